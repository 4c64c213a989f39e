"""The gradebook of a batch: SQLite, one row per student and task.

Each student's grades are written in one transaction, in WAL mode with full
synchronisation: a run killed at any moment leaves every student either
graded completely or not at all, and the file always passes
`PRAGMA integrity_check`. `grades.csv` and the students' `results.json` are
derived from it (see `grader.batch.export`), so they can always be rebuilt.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    student      TEXT PRIMARY KEY,
    source       TEXT NOT NULL,  -- how it was submitted: folder, zip or nbgrader, and the entry's name
    files_hash   TEXT NOT NULL,  -- SHA-256 of the graded files (see grader.batch.submissions.files_hash)
    grader_hash  TEXT NOT NULL,  -- the grader and checks that graded them
    score        REAL NOT NULL,
    max_score    REAL NOT NULL,
    status       TEXT NOT NULL,  -- graded, or error when the submission could not be graded
    error        TEXT NOT NULL DEFAULT '',
    results_json TEXT NOT NULL,  -- the student's results.json (Gradescope format)
    graded_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS grades (
    student    TEXT NOT NULL REFERENCES submissions (student) ON DELETE CASCADE,
    task       TEXT NOT NULL,
    points     REAL NOT NULL,
    max_points REAL NOT NULL,
    status     TEXT NOT NULL,  -- passed, partial, failed, todo (not implemented) or error
    feedback   TEXT NOT NULL,
    files_hash TEXT NOT NULL,
    PRIMARY KEY (student, task)
);
"""


@dataclass(frozen=True)
class TaskGrade:
    task: str
    points: float
    max_points: float
    status: str
    feedback: str


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

    @property
    def score(self) -> float:
        return round(sum(task.points for task in self.tasks), 2)

    @property
    def max_score(self) -> float:
        return round(sum(task.max_points for task in self.tasks), 2)


class Gradebook:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=FULL")
        self.connection.execute("PRAGMA foreign_keys=ON")
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"{self.path} has gradebook schema {version}, this grader writes {SCHEMA_VERSION}")
        self.connection.executescript(SCHEMA)
        self.connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def current(self) -> dict[str, tuple[str, str]]:
        """`{student: (files hash, grader hash)}` of what is graded."""
        rows = self.connection.execute("SELECT student, files_hash, grader_hash FROM submissions")
        return {student: (files, grader) for student, files, grader in rows}

    def record(self, grade: StudentGrade) -> None:
        """Replace the student's grades, all or nothing."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.execute("DELETE FROM grades WHERE student = ?", (grade.student,))
            cursor.execute(
                "INSERT OR REPLACE INTO submissions "
                "(student, source, files_hash, grader_hash, score, max_score, status, error, results_json, graded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (grade.student, grade.source, grade.files_hash, grade.grader_hash, grade.score, grade.max_score,
                 grade.status, grade.error, grade.results_json, now),
            )  # fmt: skip
            cursor.executemany(
                "INSERT INTO grades (student, task, points, max_points, status, feedback, files_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(grade.student, t.task, t.points, t.max_points, t.status, t.feedback, grade.files_hash) for t in grade.tasks],
            )
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise

    def students(self) -> list[tuple[str, str, str]]:
        """(student, status, results.json text), by student."""
        return list(self.connection.execute("SELECT student, status, results_json FROM submissions ORDER BY student"))

    def points(self) -> dict[str, dict[str, float]]:
        """`{student: {task: points}}`."""
        table: dict[str, dict[str, float]] = {}
        for student, task, points in self.connection.execute("SELECT student, task, points FROM grades"):
            table.setdefault(student, {})[task] = points
        return table
