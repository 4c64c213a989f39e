"""Batch grading: `grader grade SUBMISSIONS_DIR --out RESULTS_DIR`.

    RESULTS_DIR/gradebook.sqlite                    every result, structured (see `gradebook`)
    RESULTS_DIR/grades.csv                          one row per student: status, days late, points per task, totals
    RESULTS_DIR/students/<student>/results.json     each student's Gradescope-format results

The steps:

1. find the submissions (`submissions.discover`): folders, `.zip` files or
   nbgrader's `submitted/<student>/<assignment>/`; every other entry is
   listed as skipped, with its reason;
2. stage each into a flat folder of modules and hash it; a student whose
   hash (and grader) match the gradebook is already graded and is skipped
   (`--student NAME` regrades that student whatever the hashes say);
3. grade the others in worker processes (`worker`, laid out by
   `worker_layout`), each grading one submission at a time with a warm
   runner and one judging session; or, with `cluster=ADDRESS`, on the
   workers of a Dask cluster (`cluster`), with this process as the only
   writer of the gradebook;
4. record each student in one transaction as soon as it is graded, then
   write that student's `results.json` and the CSV.

A submission that cannot be read gets an `ungradable` row of zero points,
one whose grading fails or runs past its time budget an `error` row; the
others are unaffected. Killing the batch at any moment loses nothing already
recorded; running it again grades only what is new or changed. Overrides
(`grader override`) and the due date and late policy live in the gradebook
beside the grades and apply to every export (`export`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader import __version__
from grader.batch import export
from grader.batch.gradebook import CheckGrade, Gradebook, StudentGrade, TaskGrade
from grader.batch.submissions import (
    Skipped,
    Submission,
    SubmissionError,
    discover,
    source_hash,
    stage,
    submission_time,
)
from grader.cleanup import remove_tree
from grader.manifest import Course
from grader.messages import text
from grader.paths import PACKAGE_DIR, manifest_path
from grader.runner import wall_limit

GRADEBOOK = "gradebook.sqlite"
STAGING = ".staging"
BUDGET_MARGIN = 60.0  # seconds a submission may take beyond the sum of its tasks' wall-clock limits
CSV_EVERY = 2.0  # seconds between rewrites of grades.csv while grading


class BatchError(RuntimeError):
    """The batch cannot run; `key` and `params` name a message of grader.messages."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class BatchReport:
    submissions: int = 0
    unchanged: int = 0
    graded: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (student, why)
    skipped: list[Skipped] = field(default_factory=list)  # entries that are not submissions, with why
    workers: int = 0
    where: str = ""  # "local", or the cluster's address

    @property
    def lost_entries(self) -> bool:
        """Was an entry that may be someone's work left ungraded?"""
        return any(entry.serious for entry in self.skipped)


class Progress:
    """What the batch tells its caller; the CLI draws a progress bar from it."""

    def start(self, to_grade: int, unchanged: int, workers: int) -> None: ...

    def graded(self, student: str, score: float, max_score: float, status: str) -> None: ...

    def finish(self) -> None: ...


def grader_fingerprint() -> str:
    """A hash of the manifest and the grader's code: grades from another grader are redone."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(manifest_path().read_bytes())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _error_grade(
    course: Course, submission: Submission, files_hash: str, grader_hash: str, message: str, lang: str, status: str = "error",
    submitted: tuple[str, str] = ("", ""),
) -> StudentGrade:  # fmt: skip
    tasks = tuple(TaskGrade(task.id, 0.0, task.points, "error", message) for task in course.tasks)
    results = {
        "score": 0.0,
        "max_score": course.max_score,
        "execution_time": 0.0,
        "output": message,
        "output_format": "text",
        "test_output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {"number": task.id, "name": task.title[lang], "score": 0.0, "max_score": task.points, "status": "failed", "output": message,
             "output_format": "text", "visibility": "visible"}
            for task in course.tasks
        ],
    }  # fmt: skip
    return StudentGrade(
        submission.student, submission.source, files_hash, grader_hash, status, message, _json(results), tasks, *submitted, lang=lang
    )


def graded(submission: Submission, files_hash: str, grader_hash: str, reply: dict, lang: str, submitted: tuple[str, str]) -> StudentGrade:
    """A worker's reply (`grader.batch.worker.reply`) as the gradebook stores it."""
    tasks = tuple(
        TaskGrade(
            str(t["task"]), float(t["points"]), float(t["max_points"]), str(t["status"]), str(t["feedback"]), float(t.get("seconds", 0.0)),
            tuple(CheckGrade(str(c["name"]), float(c["weight"]), bool(c["passed"]), str(c.get("mistake", "")), bool(c.get("hidden")))
                  for c in t.get("checks", [])),
        )
        for t in reply["tasks"]
    )  # fmt: skip
    return StudentGrade(
        submission.student, submission.source, files_hash, grader_hash, "graded", "", _json(reply["results"]), tasks, *submitted,
        seconds=float(reply.get("seconds", 0.0)), lang=lang,
    )  # fmt: skip


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@dataclass
class _Job:
    submission: Submission
    folder: Path
    files_hash: str
    submitted: tuple[str, str] = ("", "")  # (ISO time, where it comes from)


# The worker program; tests put a stand-in here.
WORKER_COMMAND = [sys.executable, "-m", "grader.batch.worker"]
STARTUP_BUDGET = 180.0  # seconds a worker may take to warm up
MAX_FAILED_STARTS = 3


class _Worker:
    """One worker process: starting (until it says it is ready), idle, or grading one job."""

    def __init__(self, lang: str, timeout: float | None, task_processes: int | None, private: list[str], temp: str) -> None:
        self.process = subprocess.Popen(
            [*WORKER_COMMAND, lang, str(timeout or 0), str(task_processes or 0)],
            # hidden from every task; its temporary folders go where the batch removes them in the end
            env={**os.environ, "DESCENT_PRIVATE_PATHS": os.pathsep.join(private), "TMPDIR": temp},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own group: a stuck worker is killed with everything it started
        )
        self.buffer = b""
        self.ready = False
        self.job: _Job | None = None
        self.deadline = time.monotonic() + STARTUP_BUDGET

    def send(self, job: _Job, budget: float) -> None:
        self.job = job
        self.deadline = time.monotonic() + budget
        self.process.stdin.write((json.dumps({"student": job.submission.student, "folder": str(job.folder)}) + "\n").encode())
        self.process.stdin.flush()

    def stop(self, patience: float = 10.0) -> None:
        """No more jobs: let it finish (it removes its own folders), then make sure it is gone."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=patience)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class _Pool:
    """Worker processes that grade the jobs, one job per worker at a time.

    A worker that dies, or runs past its budget, is killed; its job gets an
    error reply and a fresh worker takes the next job.
    """

    def __init__(
        self, size: int, lang: str, timeout: float | None, budget: float, done: Callable[[_Job, dict], None], unsandboxed: bool = False,
        task_processes: int = 1,
    ) -> None:  # fmt: skip
        self.size, self.lang, self.timeout, self.budget, self.done = size, lang, timeout, budget, done
        self.unsandboxed = unsandboxed
        self.task_processes = task_processes
        self.private: list[str] = []
        self.temp = tempfile.gettempdir()
        self.modes: list[tuple[str, list[str]]] = []  # how each worker contains its tasks
        self.selector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.failed_starts = 0

    def _start(self) -> None:
        worker = _Worker(self.lang, self.timeout, self.task_processes, self.private, self.temp)
        self.selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        self.workers.append(worker)

    def _retire(self, worker: _Worker, why: str | None = None, failed: bool = True) -> None:
        self.selector.unregister(worker.process.stdout)
        if worker.job is None and worker.ready:
            worker.stop()
        else:
            worker.kill()
        self.workers.remove(worker)
        if worker.job is not None:
            self.done(worker.job, {"error": why or "the grading process ended early"})
        elif failed and not worker.ready:
            self.failed_starts += 1
            if self.failed_starts > MAX_FAILED_STARTS:
                raise RuntimeError("the grading processes do not start (python -m grader.batch.worker)")

    def _read(self, worker: _Worker) -> None:
        chunk = os.read(worker.process.stdout.fileno(), 1 << 20)
        if not chunk:
            self._retire(worker)
            return
        worker.buffer += chunk
        while b"\n" in worker.buffer:
            line, worker.buffer = worker.buffer.split(b"\n", 1)
            try:
                reply = json.loads(line)
            except ValueError:
                reply = {"error": "unreadable reply from the grading process"}
            if not isinstance(reply, dict):
                reply = {"error": "unreadable reply from the grading process"}
            if not worker.ready:
                worker.ready = bool(reply.get("ready"))
                self.failed_starts = 0 if worker.ready else self.failed_starts
                if worker.ready:
                    self.modes.append((str(reply.get("mode", "?")), [str(note) for note in reply.get("notes", [])]))
                if worker.ready and not reply.get("contained") and not self.unsandboxed:
                    raise BatchError("error_no_sandbox", mode=str(reply.get("mode", "?")))
            elif worker.job is not None:
                job, worker.job = worker.job, None
                self.done(job, reply)

    def run(self, jobs: list[_Job]) -> None:
        pending = list(jobs)
        try:
            while pending or any(worker.job for worker in self.workers):
                while len(self.workers) < min(self.size, len(pending) + sum(1 for w in self.workers if w.job)):
                    self._start()
                for worker in list(self.workers):
                    if worker.job is None and not pending:
                        self._retire(worker, failed=False)  # nothing left for it
                    elif worker.ready and worker.job is None:
                        try:
                            worker.send(pending.pop(0), self.budget)
                        except OSError:
                            pass  # it died: its reader sees the end and reports the job
                if not self.workers:
                    continue
                for key, _ in self.selector.select(timeout=max(0.0, min(w.deadline for w in self.workers) - time.monotonic())):
                    if key.data in self.workers:
                        self._read(key.data)
                now = time.monotonic()
                for worker in list(self.workers):
                    if now > worker.deadline:
                        if worker.job is not None:
                            self._retire(worker, f"grading took longer than {self.budget:g} s and was stopped")
                        else:
                            self._retire(worker)
        finally:
            for worker in list(self.workers):
                self.selector.unregister(worker.process.stdout)
                if worker.job is None and worker.ready:
                    worker.stop()
                else:
                    worker.kill()
            self.workers.clear()
            self.selector.close()


def grade_options(due: str | None, late_policy: str | None) -> tuple[str | None, str | None]:
    """`--due` and `--late-policy` as the gradebook stores them: normalised, `""` for `none`, None when not given."""
    from grader.batch.late import LateError, parse_due, parse_policy

    if due is not None:
        try:
            due = "" if due.strip().lower() == "none" else parse_due(due).isoformat(timespec="minutes")
        except LateError as error:
            raise BatchError("batch_bad_due", problem=str(error)) from None
    if late_policy is not None:
        try:
            late_policy = "" if late_policy.strip().lower() == "none" else parse_policy(late_policy).text()
        except LateError as error:
            raise BatchError("batch_bad_late_policy", problem=str(error)) from None
    return due, late_policy


def worker_layout(cores: int, workers: int | None, submissions: int) -> tuple[int, int]:
    """(batch workers, task processes each) for this machine.

    A worker's judging and its tasks' processes take about the same CPU,
    and every worker pays the warm-up once (torch, the checks, the oracles):
    so one worker per two cores, each running two of a submission's tasks at
    once. `workers` (`--workers`) sets the first number; each then runs as
    many tasks at once as its share of the cores.
    """
    cores = max(1, cores)
    count = workers or max(1, cores // 2)
    count = max(1, min(count, submissions or 1))
    return count, max(1, min(4, -(-cores // count)))


def main(
    submissions_dir: Path,
    out_dir: Path,
    course: Course,
    *,
    workers: int | None = None,
    lang: str = "en",
    timeout: float | None = None,
    force: bool = False,
    progress: Progress | None = None,
    unsandboxed: bool = False,
    students: list[str] | None = None,
    due: str | None = None,
    late_policy: str | None = None,
    cluster: str | None = None,
) -> BatchReport:
    """Grade every submission in `submissions_dir` into `out_dir` (see the module's docstring).

    `students` grades those students only, whether their work changed or not.
    `due` (ISO 8601 with offset) and `late_policy` (`grader.batch.late`) are
    stored in the gradebook when given; `""` clears them. `cluster` is the
    address of a Dask scheduler to grade on (`grader.batch.cluster`).
    """
    progress = progress or Progress()
    submissions_dir, out_dir = Path(submissions_dir).resolve(), Path(out_dir).resolve()
    if not submissions_dir.is_dir() or not os.access(submissions_dir, os.R_OK | os.X_OK):
        raise BatchError("error_no_submissions", path=str(submissions_dir))
    if out_dir == submissions_dir or submissions_dir in out_dir.parents:
        raise BatchError("error_out_inside_submissions", path=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if not os.access(out_dir, os.W_OK | os.X_OK):
            raise PermissionError(13, "not writable")
    except OSError as error:
        raise BatchError("error_out_dir", path=str(out_dir), reason=error.strerror or str(error)) from None
    # What the batch writes (gradebook, grades, staged submissions) is for the instructor alone.
    # The caller's umask comes back afterwards: it is the process's, and a caller may go on with other work.
    umask = os.umask(0o077)
    try:
        lock = os.open(out_dir / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when this process ends, however it ends
        except BlockingIOError:
            os.close(lock)
            raise BatchError("error_batch_running", path=str(out_dir)) from None
        try:
            options = _Options(workers, lang, timeout, force, unsandboxed, students, due, late_policy, cluster)
            return _run(submissions_dir, out_dir, course, options, progress)
        finally:
            os.close(lock)
    finally:
        os.umask(umask)


@dataclass
class _Options:
    workers: int | None
    lang: str
    timeout: float | None
    force: bool
    unsandboxed: bool
    students: list[str] | None
    due: str | None
    late_policy: str | None
    cluster: str | None


def open_gradebook(out_dir: Path) -> Gradebook:
    try:
        return Gradebook(out_dir / GRADEBOOK)
    except Exception as error:  # noqa: BLE001 - sqlite3 raises several kinds for a file that is no database
        raise BatchError("error_gradebook", path=str(out_dir / GRADEBOOK), reason=str(error)) from None


def _run(submissions_dir: Path, out_dir: Path, course: Course, options: _Options, progress: Progress) -> BatchReport:
    lang = options.lang
    report = BatchReport()
    found, report.skipped = discover(submissions_dir, course)
    if options.students:
        names = {submission.student for submission in found}
        for student in options.students:
            if student not in names:
                raise BatchError("batch_unknown_student", student=student, path=str(submissions_dir))
        found = [submission for submission in found if submission.student in options.students]
    report.submissions = len(found)
    grader_hash = grader_fingerprint()
    staging = out_dir / STAGING
    remove_tree(str(staging))
    staging.mkdir(mode=0o700)  # a task never sees another student's files, nor this one's
    gradebook = open_gradebook(out_dir)
    try:
        settings = gradebook.settings()
        due = settings.get("due") if options.due is None else options.due or None
        policy = settings.get("late_policy") if options.late_policy is None else options.late_policy or None
        if policy and not due:
            raise BatchError("batch_policy_without_due")
        gradebook.set_setting("due", due)
        gradebook.set_setting("late_policy", policy)
        if not options.students:
            gradebook.set_skipped([(entry.entry, entry.key, entry.params) for entry in report.skipped])
        current = {} if options.force or options.students else gradebook.current()
        jobs = []
        for number, submission in enumerate(found):
            folder = staging / f"{number:05d}"
            submitted = submission_time(submission, course)
            try:
                files_hash = stage(submission, folder, course)
            except SubmissionError as problem:
                files_hash = source_hash(submission.path)
                if current.get(submission.student) == (files_hash, grader_hash):
                    report.unchanged += 1
                    continue
                message = text(problem.key, lang, **problem.params)
                gradebook.record(_error_grade(course, submission, files_hash, grader_hash, message, lang, "ungradable", submitted))
                report.errors.append((submission.student, message))
                continue
            if current.get(submission.student) == (files_hash, grader_hash):
                report.unchanged += 1
                shutil.rmtree(folder, ignore_errors=True)
                continue
            jobs.append(_Job(submission, folder, files_hash, submitted))
        export.write_all(gradebook, course, out_dir)
        budget = sum(wall_limit(options.timeout or task.timeout) for task in course.tasks) + BUDGET_MARGIN
        last_csv = time.monotonic()

        def done(job: _Job, reply: dict) -> None:
            nonlocal last_csv
            submission = job.submission
            if "error" in reply or not isinstance(reply.get("tasks"), list):
                detail = str(reply.get("error", "no result"))
                message = text("error_grading_failed", lang, detail=detail)
                grade = _error_grade(course, submission, job.files_hash, grader_hash, message, lang, "error", job.submitted)
                report.errors.append((submission.student, message))
            else:
                grade = graded(submission, job.files_hash, grader_hash, reply, lang, job.submitted)
                report.graded += 1
            gradebook.record(grade)
            export.write_results(out_dir, grade.student, export.standing_of(gradebook, course, grade.student).results_json)
            if time.monotonic() - last_csv >= CSV_EVERY:
                export.write_csv(gradebook, course, out_dir)
                last_csv = time.monotonic()
            shutil.rmtree(job.folder, ignore_errors=True)
            progress.graded(grade.student, grade.score, grade.max_score, grade.status)

        if options.cluster:
            from grader.batch import cluster

            report.where = options.cluster
            client = cluster.connect(options.cluster)
            try:
                report.workers = cluster.check_workers(client, options.cluster, grader_hash)
                progress.start(len(jobs), report.unchanged, report.workers)
                if jobs:
                    cluster.grade_jobs(client, jobs, lang, options.timeout, done, options.unsandboxed, grader_hash)
            finally:
                client.close()
        else:
            report.where = "local"
            count, task_processes = worker_layout(os.cpu_count() or 1, options.workers, len(jobs))
            report.workers = count
            progress.start(len(jobs), report.unchanged, count)
            if jobs:
                pool = _Pool(count, lang, options.timeout, budget, done, options.unsandboxed, task_processes)
                pool.private = [str(submissions_dir), str(out_dir)]
                pool.temp = tempfile.mkdtemp(prefix="descent-batch-")
                try:
                    pool.run(jobs)
                finally:
                    remove_tree(pool.temp)
        export.write_all(gradebook, course, out_dir)
        progress.finish()
    finally:
        gradebook.close()
        remove_tree(str(staging))
    return report


class RichProgress(Progress):
    """A progress bar on a rich console, in the instructor's language."""

    def __init__(self, console, lang: str) -> None:
        self.console = console
        self.lang = lang
        self.bar = None
        self.task = None

    def start(self, to_grade: int, unchanged: int, workers: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console.print(text("ui_batch_start", self.lang, count=to_grade, unchanged=unchanged, workers=workers))
        if not to_grade:
            return
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
            console=self.console,
        )  # fmt: skip
        self.bar.start()
        self.task = self.bar.add_task(text("ui_batch_grading", self.lang), total=to_grade)

    def graded(self, student: str, score: float, max_score: float, status: str) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)
            if status == "error":
                self.bar.console.print(text("ui_batch_student_error", self.lang, student=student))

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
