"""Grade a submission: run the tasks' scenarios, judge them with the checks, add up points."""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grader.manifest import Course, Task
from grader.paths import CHECKS_DIR
from grader.plugin import CheckResult, GradingPlugin
from grader.runner import Job, Runner, TaskRun

# Built-in pytest plugins the checks do not use: not loading them halves pytest's own cost.
UNUSED_PYTEST_PLUGINS = (
    "cacheprovider", "randomly", "doctest", "junitxml", "pastebin", "logging", "warnings", "faulthandler",
    "stepwise", "unittest", "threadexception", "unraisableexception", "setuponly", "setupplan",
    "debugging", "tmpdir", "legacypath", "recwarn", "monkeypatch", "python_path", "nose",
)  # fmt: skip


class GraderError(RuntimeError):
    """The grader itself failed (not the submission)."""


@dataclass
class TaskResult:
    task: Task
    run: TaskRun
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def max_score(self) -> float:
        return self.task.points

    @property
    def score(self) -> float:
        total = sum(check.weight for check in self.checks)
        if total == 0:
            return 0.0
        earned = sum(check.weight for check in self.checks if check.passed)
        return round(self.task.points * earned / total, 2)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def not_implemented(self) -> bool:
        failures = [check.failure for check in self.checks if not check.passed]
        return bool(failures) and not any(c.passed for c in self.checks) and all(
            f is not None and f.key == "not_implemented" for f in failures
        )

    @property
    def failures(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]


@dataclass
class GradeResult:
    submission: Path
    tasks: list[TaskResult]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    runner_mode: str = ""  # how the tasks were contained (grader.runner)
    contained: bool = True  # False: the machine offered no sandbox, the result is advisory
    runner_notes: tuple[str, ...] = ()  # what the worker could not do here (e.g. cap memory)
    notebooks: list = field(default_factory=list)  # modules graded from a newer notebook (grader.sources)

    @property
    def score(self) -> float:
        return round(sum(result.score for result in self.tasks), 2)

    @property
    def max_score(self) -> float:
        return round(sum(result.max_score for result in self.tasks), 2)

    @property
    def all_passed(self) -> bool:
        return all(result.passed for result in self.tasks)


def load_checks(course: Course, modules: list[str] | None = None) -> None:
    """Import the units' check modules (all by default), and with them their scenarios."""
    from grader.warm import install_cpu_seeding, install_dynamo_stand_in

    install_dynamo_stand_in()  # the checks' oracles use torch.optim, which would import torch._dynamo
    install_cpu_seeding()  # the checks seed before every oracle run: 3 ms each through torch.manual_seed
    for module in modules or course.modules:
        importlib.import_module(f"grader.checks.test_{module}")


def _judge(course: Course, run_for, task_ids: list[str], include_hidden: bool, submission: Path) -> list[CheckResult]:
    def describe_task(task_id: str) -> tuple[str, str]:
        task = course.task(task_id)
        return ", ".join(task.functions), task.file_name

    plugin = GradingPlugin(run_for, set(task_ids), describe_task, include_hidden, submission)
    modules = dict.fromkeys(course.task(task_id).module for task_id in task_ids)
    args = [
        *(str(CHECKS_DIR / f"test_{module}.py") for module in modules),  # in course order
        "-c", str(CHECKS_DIR / "pytest.ini"),
        "--rootdir", str(CHECKS_DIR),
        "--noconftest",
        "--import-mode=importlib",
        "--assert=plain",
        "--capture=no",
        "--tb=no",  # the checks' own messages are the feedback; pytest's tracebacks would cost time
        "-q",
        *(option for plugin_name in UNUSED_PYTEST_PLUGINS for option in ("-p", f"no:{plugin_name}")),
    ]  # fmt: skip
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sink = io.StringIO()
    import torch

    # The oracles' tensors are tiny: one intra-op thread is faster than two fighting over a busy machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = pytest.main(args, plugins=[plugin])
    finally:
        torch.set_num_threads(threads)
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
    if code == pytest.ExitCode.INTERRUPTED:
        raise KeyboardInterrupt  # Ctrl-C while judging: the caller stops, it is no failure of the grader
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderError(f"the checks did not run (pytest exit {int(code)}): {sink.getvalue()[-2000:]}")
    return plugin.results


def grade(
    course: Course,
    submission: Path,
    task_ids: list[str] | None = None,
    *,
    timeout: float | None = None,
    wall_timeout: float | None = None,
    include_hidden: bool = True,
    workers: int | None = None,
    runner: Runner | None = None,
) -> GradeResult:
    """Grade the tasks `task_ids` (all by default) of the submission folder.

    `timeout` overrides every task's limit of CPU seconds from the manifest;
    `wall_timeout` its wall-clock limit (by default a generous multiple).
    `include_hidden=False` leaves out the hidden checks, as a student's copy
    of the grader does. `workers` task processes run at once (default: one per
    core). A `runner` that is already warm (watch mode, batch grading) is used
    and left running; otherwise one is started here and stopped at the end.
    """
    tasks = [course.task(task_id) for task_id in task_ids] if task_ids else list(course.tasks)
    tasks.sort(key=lambda task: task.sort_key)
    modules = list(dict.fromkeys(task.module for task in tasks))
    started = time.perf_counter()
    own_runner = runner is None
    if own_runner:
        runner = Runner(units=modules, workers=workers)  # it warms up while the checks are imported here
    copy = None
    try:
        copy = runner.snapshot(submission)  # what the tasks run is what the checks read
        load_checks(course, modules)
        jobs = [
            Job(
                task_id=task.id,
                module=task.module,
                submission=copy,
                functions=task.functions,
                cpu_seconds=timeout or task.timeout,
                wall_seconds=wall_timeout,
                forbid=task.forbid,
            )
            for task in tasks
        ]
        batch = runner.start(jobs)
        checks = _judge(course, batch.result, [task.id for task in tasks], include_hidden, copy)
        runs = batch.close()
        mode, contained, notes = runner.mode, runner.contained, tuple(map(str, runner.ready.get("notes", [])))
    finally:
        if own_runner:
            runner.close()
        elif copy is not None:
            runner.release(copy)
    timings = {"grading": time.perf_counter() - started}
    results = []
    for task in tasks:
        own = [check for check in checks if check.task_id == task.id]
        if not own:
            raise GraderError(f"task {task.id} has no checks")
        results.append(TaskResult(task, runs[task.id], own))
    return GradeResult(submission, results, timings, mode, contained, notes)
