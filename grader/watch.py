"""`grader watch`: check the task you are editing every time its file is saved.

The process stays warm (torch, the checks and pytest imported once) and keeps
one warm worker for the tasks (`grader.runner`); it polls the exercise files'
modification times and grades only the tasks whose functions changed since
the last save, so the result is on screen a moment after the save.
"""

from __future__ import annotations

import ast
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from grader import sources
from grader.grading import GradeResult, grade, load_checks
from grader.manifest import Course
from grader.runner import Runner

POLL_SECONDS = 0.02
SETTLE_SECONDS = 0.05  # a save is over when its file has not changed for this long
SETTLE_LIMIT = 1.0


def _definitions(source: str) -> dict[str, str] | None:
    """Source text of each top-level function or class; None if the file does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return {
        node.name: ast.get_source_segment(source, node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def changed_tasks(course: Course, module: str, before: str | None, after: str) -> list[str]:
    """The tasks of `module` whose functions differ between two versions of its file.

    Everything outside the functions (imports, helpers) may affect every task,
    and a file that does not parse affects them all.
    """
    tasks = [task for task in course.tasks if task.module == module]
    old, new = _definitions(before or ""), _definitions(after)
    if old is None or new is None:
        return [task.id for task in tasks]
    own = {name for task in tasks for name in task.functions}
    if _rest(before or "", old, own) != _rest(after, new, own):
        return [task.id for task in tasks]
    return [task.id for task in tasks if any(old.get(name) != new.get(name) for name in task.functions)]


def _rest(source: str, definitions: dict[str, str], own: set[str]) -> str:
    """The file without the task functions, white space ignored."""
    for name, text in definitions.items():
        if name in own:
            source = source.replace(text, "")
    return "".join(source.split())


class Watcher:
    """Polls the exercise files (and their notebooks); `poll()` returns the graded result of a save, or None.

    One save is one grading: a change is graded once the file has stayed the
    same for `SETTLE_SECONDS` (editors that truncate and then write, or write in
    several steps, touch it more than once), and only if its content differs
    from what was graded last.
    """

    def __init__(self, course: Course, exercises: Path) -> None:
        self.course = course
        self.exercises = exercises
        self.stamps = {module: self._stamps(module) for module in course.modules}
        self.sources = {module: self._source(module) for module in course.modules}
        self.runner = Runner(units=list(course.modules))
        load_checks(course)
        self.runner.ready  # noqa: B018 - warm before the first save, not after it

    def _stamps(self, module: str) -> tuple:
        return tuple(_stamp(self.exercises / f"{module}{suffix}") for suffix in (".py", ".ipynb"))

    def _source(self, module: str) -> str | None:
        """The source that grading would see now: the `.py`, or the newer notebook's Python."""
        choice = sources.choose(self.exercises, module)
        try:
            return sources.notebook_source(choice.path) if choice.notebook else choice.path.read_text(encoding="utf-8")
        except Exception:  # noqa: BLE001 - a half-written or foreign file is graded at the next save
            return None

    def _settled(self, module: str) -> tuple:
        """Wait until the files of `module` stop changing (within reason); their stamps then."""
        deadline = time.monotonic() + SETTLE_LIMIT
        stamps = self._stamps(module)
        while time.monotonic() < deadline:
            time.sleep(SETTLE_SECONDS)
            again = self._stamps(module)
            if again == stamps:
                break
            stamps = again
        return stamps

    def close(self) -> None:
        self.runner.close()

    def poll(self) -> tuple[str, GradeResult] | None:
        for module in self.course.modules:
            if self._stamps(module) == self.stamps[module]:
                continue
            self.stamps[module] = self._settled(module)
            source = self._source(module)
            if source is None or source == self.sources[module]:
                continue  # unreadable for now, or saved without a change
            task_ids = changed_tasks(self.course, module, self.sources[module], source)
            self.sources[module] = source
            if task_ids:
                folder, notebooks, temporary = sources.prepare(self.exercises, [module])
                try:
                    result = grade(self.course, folder, task_ids, runner=self.runner)
                finally:
                    if temporary is not None:
                        shutil.rmtree(temporary, ignore_errors=True)
                result.submission, result.notebooks = self.exercises, notebooks
                return module, result
        return None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def watch(course: Course, exercises: Path, show: Callable[[str, GradeResult, float], None], ready: Callable[[], None]) -> None:
    """Check saved tasks until interrupted; `show(module, result, seconds)` after each save."""
    watcher = Watcher(course, exercises)
    try:
        ready()
        while True:
            started = time.perf_counter()
            found = watcher.poll()
            if found:
                show(found[0], found[1], time.perf_counter() - started)
            else:
                time.sleep(POLL_SECONDS)
    finally:
        watcher.close()
