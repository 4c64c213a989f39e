"""The pytest plugin that turns check functions into points.

Checks are ordinary pytest tests in `grader/checks/test_<module>.py`, each
tagged `@pytest.mark.task("4.3", weight=2)` (add `hidden=True` for a check
that the student release leaves out and the nbgrader export puts in its hidden
tests). They ask the `outcome` fixture
for what a scenario of their task produced in the task's own process, and
judge it with `grader.checks.kit`. This plugin selects the checks of the graded
tasks and records, per check, whether it passed and why not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.checks.kit import CheckFailure
from grader.forbid import forbidden_subclass, is_forbidden_error
from grader.runner import Raised, TaskRun


@dataclass
class CheckResult:
    task_id: str
    name: str
    weight: float
    passed: bool
    failure: CheckFailure | None = None
    hidden: bool = False


def task_marker(item: pytest.Item) -> tuple[str, float]:
    marks = list(item.iter_markers("task"))
    if len(marks) != 1 or not marks[0].args:
        raise pytest.UsageError(f"{item.nodeid} needs exactly one @pytest.mark.task(id)")
    return str(marks[0].args[0]), float(marks[0].kwargs.get("weight", 1))


def is_hidden(item: pytest.Item) -> bool:
    """A hidden check grades like any other, but students' copies of the grader leave it out."""
    return any(bool(mark.kwargs.get("hidden", False)) for mark in item.iter_markers("task"))


def _task_failure(run: TaskRun, functions: str, file: str) -> CheckFailure:
    """Why a whole task has no results to judge."""
    task = run.task_id
    if run.status == "import_error":
        detail = dict(run.detail)
        top_line, top_code = detail.pop("top_line", 0), detail.pop("top_code", "")
        if top_line and detail.get("error_type") not in ("SyntaxError", "IndentationError", "TabError"):
            # The file's own top-level code failed while it was imported: a test call left at the bottom, say.
            return CheckFailure("import_error_top_level", advice="advice_main_guard", file=detail.get("file") or file,
                                line=top_line, code=top_code, error_type=detail.get("error_type", "?"), message=detail.get("message", ""))  # fmt: skip
        return CheckFailure("import_error", advice="advice_import_error", **detail)
    if run.status == "missing_file":
        return CheckFailure("missing_file", advice="advice_missing_file", file=file)
    if run.status == "missing_function":
        names = ", ".join(run.detail["functions"])
        return CheckFailure("missing_function", advice="advice_missing_function", file=file, functions=names)
    if run.status == "output_flood":
        return CheckFailure("output_flood", advice="advice_output_flood", task=task, limit=f"{run.detail['limit'] // 2**20} MB")
    if run.status == "timeout":
        key = "timeout_cpu" if run.detail.get("kind") == "cpu" else "timeout"
        return CheckFailure(key, advice="advice_timeout", task=task, seconds=f"{run.detail['seconds']:g}")
    return CheckFailure("crashed", advice="advice_crashed", task=task, exit=run.detail.get("exit", "?"))


def raised_failure(raised: Raised, functions: str) -> CheckFailure:
    location = {"file": raised.file, "line": raised.line, "code": raised.code}
    if raised.out_of_memory:
        return CheckFailure("memory_exceeded", advice="advice_memory", function=functions, limit="2 GiB", location=location)
    if raised.error_type == "RuntimeError" and is_forbidden_error(raised.message):
        # An API the task forbids, disabled in its process (grader.forbid).
        if forbidden_subclass(raised.message) == "torch.optim.SGD":
            return CheckFailure("subclasses_torch_sgd", advice="advice_no_torch_sgd", what=functions, location=location)
        used = raised.message.split(": ", 1)[-1].split(" is not allowed", 1)[0]
        return CheckFailure("forbidden_call", advice="advice_forbidden", call=functions, forbidden=used, location=location)
    if raised.not_implemented:
        # Name the stub that raised (one of the task's functions, or a helper it calls).
        return CheckFailure(
            "not_implemented", advice="advice_not_implemented", function=raised.function or functions, location=location
        )
    return CheckFailure(
        "raised",
        advice="advice_raised",
        function=functions,
        error_type=raised.error_type,
        message=raised.message,
        location=location,
    )


_VERDICT = pytest.StashKey[CheckFailure]()  # the failure a check raised, caught before pytest reports it


def _pop_verdict(item: pytest.Item) -> CheckFailure | None:
    failure = item.stash.get(_VERDICT, None)
    if failure is not None:
        del item.stash[_VERDICT]
    return failure


class GradingPlugin:
    def __init__(self, run_for, selected: set[str], describe_task, include_hidden: bool = True, submission: Path | None = None) -> None:
        self.run_for = run_for  # task id -> TaskRun, waiting for the task if need be
        self.submission = submission  # the copy the tasks ran: its sources are read from here
        self.selected = selected
        self.include_hidden = include_hidden
        self.describe_task = describe_task  # task id -> (functions text, file name)
        self.results: list[CheckResult] = []
        self.item: pytest.Item | None = None  # the check being run

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "task(id, weight=1): the task a check grades, and its weight")

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        kept, dropped = [], []
        for item in items:
            wanted = task_marker(item)[0] in self.selected and (self.include_hidden or not is_hidden(item))
            (kept if wanted else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    @pytest.hookimpl(wrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function):
        # A check's verdict is caught here, not left to pytest: pytest would render a
        # failure report (source, traceback) for every failed check, and nobody reads it.
        try:
            return (yield)
        except CheckFailure as failure:
            pyfuncitem.stash[_VERDICT] = failure
            return True

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if report.when == "call" or (report.when == "setup" and not report.passed):
            task_id, weight = task_marker(item)
            # (Popped: a batch runs the same items again for the next submission.)
            failure = _pop_verdict(item) if report.when == "call" else None
            if failure is None and not report.passed:
                error = call.excinfo.value if call.excinfo else None
                failure = error if isinstance(error, CheckFailure) else CheckFailure(
                    "grader_error", advice="advice_grader_error", detail=f"{item.name}: {type(error).__name__}: {error}"
                )
            self.results.append(CheckResult(task_id, item.name, weight, failure is None, failure, is_hidden(item)))
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        # The check being set up, for the fixtures below: asking pytest for `request` instead
        # builds a fixture definition (and reads a signature) for every check, every time.
        self.item = item

    @pytest.fixture
    def outcome(self):
        """`outcome(name)`: the value scenario `name` of this check's task returned."""
        task_id, _ = task_marker(self.item)
        run = self.run_for(task_id)
        functions, file = self.describe_task(task_id)

        def get(name: str) -> Any:
            if run.status != "ok":
                raise _task_failure(run, functions, file)
            value = run.outcomes[name]
            if isinstance(value, Raised):
                raise raised_failure(value, functions)
            return value

        return get

    @pytest.fixture
    def forbidden_uses(self):
        """`forbidden_uses(policy)`: what the task's functions refer to that `policy` forbids,
        read from the submission's source by the judge (see `grader.source_scan`)."""
        from grader.source_scan import forbidden_uses as scan

        task_id, _ = task_marker(self.item)
        functions, file = self.describe_task(task_id)

        def get(policy: str) -> list[str]:
            try:
                source = (self.submission / file).read_text(encoding="utf-8", errors="replace")
            except (OSError, TypeError):
                return []
            return [str(use) for use in scan(source, tuple(name.strip() for name in functions.split(",")), policy)]

        return get
