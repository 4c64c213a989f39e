"""The gradebook of a batch: SQLite, one row per student and task.

    submissions   one row per student: how it was handed in and when, status, totals, results.json
    grades        one row per student and task: points, status, feedback, run time
    checks        one row per student, task and check: weight, passed, the mistake's message key
    overrides     points an instructor set by hand (`grader override`), with the reason;
                  apart from the grades, so that a regrade keeps them
    settings      the due date and late policy the grades are computed with
    skipped       the entries of the submissions folder that the last run did not grade, and why

Each student's grades are written in one transaction, in WAL mode with full
synchronisation: a run killed at any moment leaves every student either
graded completely or not at all, and the file always passes
`PRAGMA integrity_check`. `grades.csv`, the students' `results.json` and the
class report are derived from it (see `grader.batch.export`), so they can
always be rebuilt.

Schema 1 (points and rendered feedback only) is migrated in place, in one
transaction, the first time a newer grader opens the file: every row is kept,
and the structured results appear when those students are graded again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    student      TEXT PRIMARY KEY,
    source       TEXT NOT NULL,  -- how it was submitted: folder, zip or nbgrader, and the entry's name
    files_hash   TEXT NOT NULL,  -- SHA-256 of the graded files (see grader.batch.submissions.files_hash)
    grader_hash  TEXT NOT NULL,  -- the grader and checks that graded them
    score        REAL NOT NULL,  -- the graded points, before overrides and late penalty
    max_score    REAL NOT NULL,
    status       TEXT NOT NULL,  -- graded; error (grading failed); ungradable (the submission cannot be read)
    error        TEXT NOT NULL DEFAULT '',
    results_json TEXT NOT NULL,  -- the student's results.json (Gradescope format), as graded
    graded_at    TEXT NOT NULL,
    submitted_at TEXT NOT NULL DEFAULT '',  -- ISO 8601 with offset; '' when unknown
    submitted_from TEXT NOT NULL DEFAULT '',  -- where that time comes from: mtime or timestamp.txt
    seconds      REAL NOT NULL DEFAULT 0,  -- wall-clock seconds its grading took
    lang         TEXT NOT NULL DEFAULT 'en'  -- the language of its feedback
);
CREATE TABLE IF NOT EXISTS grades (
    student    TEXT NOT NULL REFERENCES submissions (student) ON DELETE CASCADE,
    task       TEXT NOT NULL,
    points     REAL NOT NULL,
    max_points REAL NOT NULL,
    status     TEXT NOT NULL,  -- passed, partial, failed, todo (not implemented) or error
    feedback   TEXT NOT NULL,
    files_hash TEXT NOT NULL,
    seconds    REAL NOT NULL DEFAULT 0,  -- wall-clock seconds of the task's process
    PRIMARY KEY (student, task)
);
CREATE TABLE IF NOT EXISTS checks (
    student  TEXT NOT NULL REFERENCES submissions (student) ON DELETE CASCADE,
    task     TEXT NOT NULL,
    position INTEGER NOT NULL,  -- the check's place among its task's checks
    name     TEXT NOT NULL,  -- the check function, e.g. test_bias_gradient_sums_over_batch
    weight   REAL NOT NULL,
    passed   INTEGER NOT NULL,
    mistake  TEXT NOT NULL DEFAULT '',  -- the message key of what failed (CheckFailure.key); '' when passed
    hidden   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (student, task, position)
);
CREATE TABLE IF NOT EXISTS overrides (
    student    TEXT NOT NULL,
    task       TEXT NOT NULL,  -- a task id, or 'late': the days late to count
    points     REAL NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (student, task)
);
CREATE TABLE IF NOT EXISTS settings (
    name  TEXT PRIMARY KEY,  -- due, late_policy
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skipped (
    entry  TEXT PRIMARY KEY,
    reason TEXT NOT NULL,  -- a message key of grader.messages
    params TEXT NOT NULL DEFAULT '{}'  -- its fields, JSON
);
"""
# Schema 1 had submissions and grades without the columns below.
MIGRATE_FROM_1 = (
    "ALTER TABLE submissions ADD COLUMN submitted_at TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE submissions ADD COLUMN submitted_from TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE submissions ADD COLUMN seconds REAL NOT NULL DEFAULT 0",
    "ALTER TABLE submissions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'",
    "ALTER TABLE grades ADD COLUMN seconds REAL NOT NULL DEFAULT 0",
)


@dataclass(frozen=True)
class CheckGrade:
    name: str
    weight: float
    passed: bool
    mistake: str = ""  # the message key of the failure
    hidden: bool = False


@dataclass(frozen=True)
class TaskGrade:
    task: str
    points: float
    max_points: float
    status: str
    feedback: str
    seconds: float = 0.0
    checks: tuple[CheckGrade, ...] = ()


@dataclass(frozen=True)
class StudentGrade:
    student: str
    source: str
    files_hash: str
    grader_hash: str
    status: str
    error: str
    results_json: str
    tasks: tuple[TaskGrade, ...]
    submitted_at: str = ""
    submitted_from: str = ""
    seconds: float = 0.0
    lang: str = "en"

    @property
    def score(self) -> float:
        return round(sum(task.points for task in self.tasks), 2)

    @property
    def max_score(self) -> float:
        return round(sum(task.max_points for task in self.tasks), 2)


@dataclass(frozen=True)
class Override:
    student: str
    task: str
    points: float
    reason: str
    created_at: str


@dataclass(frozen=True)
class Submitted:
    """One student's row of `submissions`, for the exports."""

    student: str
    status: str
    error: str
    score: float
    max_score: float
    results_json: str
    submitted_at: str
    submitted_from: str
    seconds: float
    lang: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Gradebook:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=FULL")
        self.connection.execute("PRAGMA foreign_keys=ON")
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, 1, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"{self.path} has gradebook schema {version}, this grader writes {SCHEMA_VERSION}")
        if version == 1:
            self._migrate_from_1()
        self.connection.executescript(SCHEMA)
        self.connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _migrate_from_1(self) -> None:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATE_FROM_1:
                cursor.execute(statement)
            cursor.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- grades

    def current(self) -> dict[str, tuple[str, str]]:
        """`{student: (files hash, grader hash)}` of what is graded."""
        rows = self.connection.execute("SELECT student, files_hash, grader_hash FROM submissions")
        return {student: (files, grader) for student, files, grader in rows}

    def record(self, grade: StudentGrade) -> None:
        """Replace the student's grades, all or nothing (their overrides stay)."""
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute("DELETE FROM checks WHERE student = ?", (grade.student,))
            cursor.execute("DELETE FROM grades WHERE student = ?", (grade.student,))
            cursor.execute(
                "INSERT INTO submissions "
                "(student, source, files_hash, grader_hash, score, max_score, status, error, results_json, graded_at, "
                "submitted_at, submitted_from, seconds, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (student) DO UPDATE SET source = excluded.source, files_hash = excluded.files_hash, "
                "grader_hash = excluded.grader_hash, score = excluded.score, max_score = excluded.max_score, "
                "status = excluded.status, error = excluded.error, results_json = excluded.results_json, "
                "graded_at = excluded.graded_at, submitted_at = excluded.submitted_at, "
                "submitted_from = excluded.submitted_from, seconds = excluded.seconds, lang = excluded.lang",
                (grade.student, grade.source, grade.files_hash, grade.grader_hash, grade.score, grade.max_score,
                 grade.status, grade.error, grade.results_json, _now(), grade.submitted_at, grade.submitted_from,
                 round(grade.seconds, 3), grade.lang),
            )  # fmt: skip
            cursor.executemany(
                "INSERT INTO grades (student, task, points, max_points, status, feedback, files_hash, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(grade.student, t.task, t.points, t.max_points, t.status, t.feedback, grade.files_hash, round(t.seconds, 4)) for t in grade.tasks],
            )
            cursor.executemany(
                "INSERT INTO checks (student, task, position, name, weight, passed, mistake, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (grade.student, t.task, position, c.name, c.weight, int(c.passed), c.mistake, int(c.hidden))
                    for t in grade.tasks
                    for position, c in enumerate(t.checks)
                ],
            )
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise

    def students(self) -> list[tuple[str, str, str]]:
        """(student, status, results.json text), by student."""
        return list(self.connection.execute("SELECT student, status, results_json FROM submissions ORDER BY student"))

    def submissions(self, student: str | None = None) -> list[Submitted]:
        """Every graded student's row (or one student's), by student."""
        where, params = ("WHERE student = ?", (student,)) if student is not None else ("", ())
        rows = self.connection.execute(
            "SELECT student, status, error, score, max_score, results_json, submitted_at, submitted_from, seconds, lang "
            f"FROM submissions {where} ORDER BY student",
            params,
        )
        return [Submitted(*row) for row in rows]

    def points(self, student: str | None = None) -> dict[str, dict[str, float]]:
        """`{student: {task: points}}`, as graded (without overrides)."""
        where, params = ("WHERE student = ?", (student,)) if student is not None else ("", ())
        table: dict[str, dict[str, float]] = {}
        for name, task, points in self.connection.execute(f"SELECT student, task, points FROM grades {where}", params):
            table.setdefault(name, {})[task] = points
        return table

    def task_rows(self) -> list[tuple[str, str, float, float, str, float]]:
        """(student, task, points, max points, status, seconds) for every graded task."""
        return list(self.connection.execute("SELECT student, task, points, max_points, status, seconds FROM grades ORDER BY student, task"))

    def check_rows(self) -> list[tuple[str, str, str, float, bool, str, bool]]:
        """(student, task, check, weight, passed, mistake key, hidden) for every check that ran."""
        rows = self.connection.execute("SELECT student, task, name, weight, passed, mistake, hidden FROM checks ORDER BY student, task, position")
        return [(s, t, n, w, bool(p), m, bool(h)) for s, t, n, w, p, m, h in rows]

    # --- overrides, kept apart from the grades

    def set_override(self, student: str, task: str, points: float, reason: str) -> None:
        self.connection.execute(
            "INSERT INTO overrides (student, task, points, reason, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (student, task) DO UPDATE SET points = excluded.points, reason = excluded.reason, created_at = excluded.created_at",
            (student, task, points, reason, _now()),
        )

    def remove_override(self, student: str, task: str) -> bool:
        cursor = self.connection.execute("DELETE FROM overrides WHERE student = ? AND task = ?", (student, task))
        return cursor.rowcount > 0

    def overrides(self, student: str | None = None) -> dict[str, dict[str, Override]]:
        """`{student: {task: Override}}`."""
        where, params = ("WHERE student = ?", (student,)) if student is not None else ("", ())
        found: dict[str, dict[str, Override]] = {}
        for row in self.connection.execute(f"SELECT student, task, points, reason, created_at FROM overrides {where} ORDER BY student, task", params):
            found.setdefault(row[0], {})[row[1]] = Override(*row)
        return found

    # --- settings and skipped entries

    def settings(self) -> dict[str, str]:
        return dict(self.connection.execute("SELECT name, value FROM settings"))

    def set_setting(self, name: str, value: str | None) -> None:
        if value is None:
            self.connection.execute("DELETE FROM settings WHERE name = ?", (name,))
        else:
            self.connection.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, value)
            )

    def set_skipped(self, entries: list[tuple[str, str, dict]]) -> None:
        """The entries the last run skipped: (entry, message key, its fields)."""
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute("DELETE FROM skipped")
            cursor.executemany(
                "INSERT OR REPLACE INTO skipped (entry, reason, params) VALUES (?, ?, ?)",
                [(entry, key, json.dumps(params, ensure_ascii=False)) for entry, key, params in entries],
            )
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise

    def skipped(self) -> list[tuple[str, str, dict]]:
        return [(entry, key, json.loads(params)) for entry, key, params in self.connection.execute("SELECT entry, reason, params FROM skipped ORDER BY entry")]
