"""`nbgrader autograde` without the student's kernel: the verdicts come from the sandboxed runner.

nbgrader's own autograde runs every cell of a submitted notebook in one
kernel, the autograder cells after the student's: whatever a solution cell
does there (replace `grade_task`, patch `print`, read the instructor's files
with the instructor's rights) reaches the verdict. The course directory that
`grader nbgrader` writes replaces nbgrader's `Execute` step with
`SandboxedGrades` (see its `nbgrader_config.py`):

1. the notebook's definitions are read from its cells, statically, as
   `grader grade` reads a submitted notebook (`grader.notebook.module_source`);
   no cell of the student runs in a kernel;
2. a fresh interpreter (`python -m grader.export.autograde`, started once per
   `nbgrader autograde` run and kept warm) grades the unit's tasks there with
   the course's checks, hidden ones included; the student's
   code runs only in the runner's contained task processes, which see neither
   the course directory (its `source/` holds the answers) nor the gradebook;
3. each autograder cell gets that task's feedback and, as its value, the
   task's points: nbgrader's partial credit, exactly `grader check`'s points.

A grading failure of the grader itself stops the notebook (nbgrader reports
it and goes on with the next) rather than record a zero nobody earned.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from traitlets import Unicode

try:
    from nbgrader.preprocessors import NbGraderPreprocessor as _Base
except ImportError:  # the instructor extra is missing: the class still imports, nbgrader itself never runs
    from nbconvert.preprocessors import Preprocessor as _Base

from grader.messages import both

TEST_PREFIX = "test_"  # grader.export.nbgrader.grade_ids: test_<task id with _ for .>
VERDICT_TIMEOUT = 1800  # seconds for one notebook's tasks: each is bounded by its own limits, far below


def task_of_cell(cell) -> str | None:
    """The task id of an autograder cell of the export (`test_4_3` → `4.3`), else None."""
    nbgrader = (cell.get("metadata") or {}).get("nbgrader") or {}
    grade_id = str(nbgrader.get("grade_id", ""))
    if cell.get("cell_type") != "code" or not nbgrader.get("grade") or nbgrader.get("solution") or not grade_id.startswith(TEST_PREFIX):
        return None
    return grade_id.removeprefix(TEST_PREFIX).replace("_", ".")


class _Judge:
    """The fresh interpreter that grades, warm for every notebook of one `nbgrader autograde` run.

    It starts at the first notebook (torch, the checks, a runner), then reads
    one request per line and answers each with one line of JSON.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grader.export.autograde"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", cwd=tempfile.gettempdir(),
        )  # fmt: skip

    def ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=VERDICT_TIMEOUT)
            return {"error": self.process.stderr.read()[-1500:] or f"exit status {self.process.returncode}"}
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()


_judges: list[_Judge] = []


def verdicts(source: str, task_ids: list[str], lang: str, private: list[str]) -> dict[str, dict]:
    """`{task id: {"points": ..., "output": ...}}` for a module's `source`, graded in a clean process."""
    if not _judges or _judges[0].process.poll() is not None:
        import atexit

        _judges[:] = [_Judge()]
        atexit.register(_judges[0].close)
    answer = _judges[0].ask({"source": source, "tasks": task_ids, "lang": lang, "private": private})
    if "error" in answer:
        _judges[0].close()  # the next notebook starts a fresh one
        raise RuntimeError(both("error_internal", detail=str(answer["error"])))
    return answer["tasks"]


class SandboxedGrades(_Base):
    """Stands in for nbgrader's `Execute`: the autograder cells' outputs are the sandboxed runner's verdicts."""

    lang = Unicode("en", help="The language of the feedback in the autograder cells (en or zh).").tag(config=True)

    def preprocess(self, nb, resources):
        from nbformat.v4 import new_output

        from grader.notebook import module_source, notebook_code_cells

        cells = [(cell, task_of_cell(cell)) for cell in nb.cells]
        task_ids = list(dict.fromkeys(task for _, task in cells if task))
        if task_ids:
            source, _ = module_source(notebook_code_cells(nb))
            private = [str(Path.cwd())]  # the course directory: source/, gradebook.db, everyone's submissions
            found = verdicts(source, task_ids, self.lang, private)
            count = 0
            for cell, task_id in cells:
                if cell.get("cell_type") != "code":
                    continue
                count += 1
                cell.execution_count = count
                cell.outputs = []
                if task_id in found:
                    verdict = found[task_id]
                    cell.outputs = [
                        new_output("stream", name="stdout", text=verdict["output"].rstrip("\n") + "\n"),
                        new_output("execute_result", data={"text/plain": f"{verdict['points']:g}"}, execution_count=count),
                    ]
        return nb, resources


def _grade_request(request: dict, runners: dict) -> dict:
    from grader.feedback import task_output
    from grader.grading import grade
    from grader.manifest import course as current_course
    from grader.runner import Runner

    course = current_course()
    task_ids = [course.task(task_id).id for task_id in request["tasks"]]
    modules = list(dict.fromkeys(course.task(task_id).module for task_id in task_ids))
    private = tuple(sorted(str(path) for path in request.get("private", [])))
    runner = runners.get(private)
    if runner is None or not runner.processes:
        if runner is not None:
            runner.close()
        runner = runners[private] = Runner(units=list(course.modules), private=list(private))
    with tempfile.TemporaryDirectory(prefix="descent-autograde-") as folder:
        os.chmod(folder, 0o700)
        (Path(folder) / f"{modules[0]}.py").write_text(request["source"], encoding="utf-8")
        result = grade(course, Path(folder), task_ids, include_hidden=True, runner=runner)
    lang = request.get("lang", "en")
    return {"tasks": {task.task.id: {"points": task.score, "output": task_output(task, lang)} for task in result.tasks}}


def main() -> None:
    import gc

    from grader.process import die_with_parent

    die_with_parent()
    import torch

    torch.set_num_threads(1)  # small tensors: extra threads only spin (see grader.batch.worker)
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the grading prints goes to stderr; the answers alone to stdout
    sys.stdout = sys.stderr
    runners: dict = {}
    try:
        for line in sys.stdin:
            try:
                answer = _grade_request(json.loads(line), runners)
            except Exception as error:  # noqa: BLE001 - the preprocessor turns it into a bilingual message
                answer = {"error": f"{type(error).__name__}: {error}"[:2000]}
            channel.write(json.dumps(answer, ensure_ascii=False) + "\n")
            channel.flush()
            gc.collect()
    finally:
        for runner in runners.values():
            runner.close()


if __name__ == "__main__":
    main()
