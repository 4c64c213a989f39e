"""Judging one submission after another in a single pytest session.

`grader.grading.grade` starts a pytest session for every submission it
grades. A batch grades hundreds, so `SessionJudge` collects the checks once
and runs the same items again for each submission, with the same plugin
(`grader.plugin.GradingPlugin`), the same jobs and the same warm runner as
`grade`: the points, statuses and mistakes are the same
(`tests/test_batch.py` compares them). Left out is only what nobody reads
in a batch: pytest's start-up and collection for each submission, its
terminal report, and the tracebacks it formats for every failed check (the
feedback comes from the checks' own `CheckFailure`, not from pytest).

Every item runs through pytest's own `runtestprotocol`, the last one of a
submission with no next item, so that every fixture is torn down between
two students: nothing of one submission's judging reaches the next.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from pathlib import Path

import pytest
from _pytest.runner import runtestprotocol

from grader.grading import UNUSED_PYTEST_PLUGINS, GraderError, GradeResult, TaskResult, load_checks
from grader.manifest import Course
from grader.paths import CHECKS_DIR
from grader.plugin import CheckResult, GradingPlugin
from grader.runner import Job, Runner

STOP = object()


class _Tail:
    """A text stream that keeps only its last characters (pytest's terminal output, for errors)."""

    def __init__(self, size: int = 4000) -> None:
        self.size = size
        self.text = ""

    def write(self, data: str) -> int:
        self.text = (self.text + data)[-self.size :]
        return len(data)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _plain_failure(excinfo, style=None) -> str:
    """What pytest would format into a traceback; nothing reads it in a batch."""
    return f"{excinfo.typename}: {excinfo.value}"


class _Loop:
    """The session's test loop: one round of every collected check per submission handed to it."""

    def __init__(self, judge: SessionJudge) -> None:
        self.judge = judge

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        judge = self.judge
        sys_streams = judge.streams
        import sys

        sys.stdout, sys.stderr = sys_streams  # the terminal reporter keeps writing to the tail
        if session.testsfailed or not session.items:
            judge.startup_error = f"the checks did not load: {judge.tail.text[-2000:]}"
            judge.ready.set()
            return True
        for item in session.items:
            item.repr_failure = _plain_failure
            item._repr_failure_py = _plain_failure
        judge.ready.set()
        while True:
            request = judge.requests.get()
            if request is STOP:
                return True
            run_for, copy, answer = request
            plugin = judge.plugin
            plugin.run_for, plugin.submission, plugin.results = run_for, copy, []
            try:
                items = session.items
                for index, item in enumerate(items):
                    runtestprotocol(item, log=False, nextitem=items[index + 1] if index + 1 < len(items) else None)
                answer.put(list(plugin.results))
            except BaseException as error:  # noqa: BLE001 - handed to the caller, which fails this submission
                answer.put(error)


class SessionJudge:
    """Grades submissions one at a time in one pytest session (see the module's docstring).

    `grade(folder)` is `grader.grading.grade(course, folder, runner=runner,
    timeout=timeout)` for every task of the course, hidden checks included.
    """

    def __init__(self, course: Course, runner: Runner, timeout: float | None = None) -> None:
        self.course = course
        self.runner = runner
        self.timeout = timeout
        self.tasks = sorted(course.tasks, key=lambda task: task.sort_key)
        self.requests: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.startup_error = ""
        self.tail = _Tail()
        self.lock = threading.Lock()
        self.streams = None

        def describe_task(task_id: str) -> tuple[str, str]:
            task = course.task(task_id)
            return ", ".join(task.functions), task.file_name

        self.plugin = GradingPlugin(None, {task.id for task in self.tasks}, describe_task, True, None)
        load_checks(course)
        self.thread = threading.Thread(target=self._session, name="descent-judge", daemon=True)
        self.thread.start()
        self.ready.wait()
        if self.startup_error:
            raise GraderError(self.startup_error)

    def _session(self) -> None:
        import sys

        modules = dict.fromkeys(task.module for task in self.tasks)
        args = [
            *(str(CHECKS_DIR / f"test_{module}.py") for module in modules),
            "-c", str(CHECKS_DIR / "pytest.ini"), "--rootdir", str(CHECKS_DIR), "--noconftest", "--import-mode=importlib",
            "--assert=plain", "--capture=no", "--tb=no", "-q",
            *(option for plugin_name in UNUSED_PYTEST_PLUGINS for option in ("-p", f"no:{plugin_name}")),
        ]  # fmt: skip
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        self.streams = (sys.stdout, sys.stderr)
        try:
            with contextlib.redirect_stdout(self.tail), contextlib.redirect_stderr(self.tail):
                pytest.main(args, plugins=[self.plugin, _Loop(self)])
        except BaseException as error:  # noqa: BLE001 - reported to whoever waits
            self.startup_error = self.startup_error or f"{type(error).__name__}: {error}"
        finally:
            if not self.ready.is_set():
                self.startup_error = self.startup_error or f"the checks did not run: {self.tail.text[-2000:]}"
                self.ready.set()
            self.startup_error = self.startup_error or "the judging session ended"

    def _judge(self, run_for, copy: Path) -> list[CheckResult]:
        if not self.thread.is_alive():
            raise GraderError(self.startup_error or "the judging session ended")
        answer: queue.Queue = queue.Queue()
        self.requests.put((run_for, copy, answer))
        while True:
            try:
                reply = answer.get(timeout=1.0)
                break
            except queue.Empty:
                if not self.thread.is_alive():
                    raise GraderError(self.startup_error or "the judging session ended") from None
        if isinstance(reply, BaseException):
            if isinstance(reply, KeyboardInterrupt):
                raise reply
            raise GraderError(f"the checks did not run: {type(reply).__name__}: {reply}")
        return reply

    def grade(self, submission: Path) -> GradeResult:
        with self.lock:
            started = time.perf_counter()
            runner = self.runner
            copy = runner.snapshot(submission)
            try:
                jobs = [
                    Job(task_id=task.id, module=task.module, submission=copy, functions=task.functions,
                        cpu_seconds=self.timeout or task.timeout, forbid=task.forbid)
                    for task in self.tasks
                ]  # fmt: skip
                batch = runner.start(jobs)
                checks = self._judge(batch.result, copy)
                runs = batch.close()
            finally:
                runner.release(copy)
            results = []
            for task in self.tasks:
                own = [check for check in checks if check.task_id == task.id]
                if not own:
                    raise GraderError(f"task {task.id} has no checks")
                results.append(TaskResult(task, runs[task.id], own))
            notes = tuple(map(str, runner.ready.get("notes", [])))
            return GradeResult(submission, results, {"grading": time.perf_counter() - started}, runner.mode, runner.contained, notes)

    def close(self) -> None:
        self.requests.put(STOP)
        self.thread.join(timeout=30)
