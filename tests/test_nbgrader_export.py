"""The nbgrader export agrees with the grader, point for point.

`grader nbgrader` writes a course directory; the real `nbgrader
generate_assignment` and `nbgrader autograde` run on it, offline, with a
kernel of this interpreter. Four students hand in every unit: the reference
solutions, the untouched release, and two students whose every task is a
wrong answer from tests/mutants (partial credit included). For each student
and task, the points in nbgrader's SQLite gradebook equal the points of
`grade()` on the same code as a folder of modules.

Two more students try what a kernel shared with the autograder allowed: one
replaces `grade_task` in a cell of its own and prints a score, the other's
answer to 1.1 is right only where the course's `source/` notebook (the
answers) can be read. Both get what their code earns and nothing more. They
hand in the derivatives unit only: the tricks do not depend on the unit.
"""

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nbgrader import __version__ as NBGRADER_VERSION  # noqa: F401 - the instructor extra: missing, it fails; never skipped

from grader.export import nbgrader as export
from grader.feedback import task_output
from grader.grading import grade
from grader.hidden import hidden_tasks
from grader.paths import CHECKS_DIR
from tests.conftest import EXERCISES, SOLUTIONS, all_mutants, make_submission

jupyter_environment = export.private_jupyter_environment


def nbgrader(course_dir: Path, env: dict[str, str], *args: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course_dir, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def mutant_students(course) -> dict[str, dict[str, str]]:
    """Two students with one wrong answer in every task: `{student: {task id: source}}`."""
    by_task: dict[str, list] = {}
    for _, mutant in all_mutants():
        by_task.setdefault(mutant.task, []).append(mutant)
    return {
        "mutants_second": {task.id: textwrap.dedent(by_task[task.id][1].source) for task in course.tasks},
        "mutants_last": {task.id: textwrap.dedent(by_task[task.id][-1].source) for task in course.tasks},
    }


def with_mutants(notebook: dict, mutants: dict[str, str]) -> dict:
    """The notebook with each task's wrong answer appended to the task's solution cell."""
    notebook = json.loads(json.dumps(notebook))
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("solution_"):
            task_id = grade_id.removeprefix("solution_").replace("_", ".")
            source = "".join(cell["source"]) + "\n\n" + mutants[task_id]
            cell["source"] = source.splitlines(keepends=True)
    return notebook


def gradebook_points(database: Path) -> dict[str, dict[str, float]]:
    """`{student: {task id: points}}` from nbgrader's gradebook: one test cell per task."""
    query = """
        SELECT student.id, base_cell.name, grade.auto_score
        FROM grade
        JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
        JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
        JOIN student ON submitted_assignment.student_id = student.id
        JOIN grade_cells ON grade.cell_id = grade_cells.id
        JOIN base_cell ON grade_cells.id = base_cell.id
    """
    points: dict[str, dict[str, float]] = {}
    with sqlite3.connect(database) as connection:
        for student, cell, score in connection.execute(query):
            assert cell.startswith("test_"), cell
            points.setdefault(student, {})[cell.removeprefix("test_").replace("_", ".")] = score
    return points


# A cell a student adds after the setup cell: with the autograder in the same kernel, it was full points.
CHEAT_CELL = """
import sys
import grader.manifest
import grader.notebook

def _full_points(task_id, hidden=True, lang=None):
    return grader.manifest.course().task(task_id).points

grader.notebook.grade_task = _full_points
sys.modules["grader.notebook"].grade_task = _full_points
print("1.1 passed (4/4)")
"""

# 1.1, right only when the answers of the course directory are readable from where the code runs.
READER_1_1 = """
SOURCE_NOTEBOOK = {path!r}


def central_difference(f, x, h=1e-4):
    open(SOURCE_NOTEBOOK, encoding="utf-8").read()
    x = x.detach()
    flat_grad = torch.zeros(x.numel(), dtype=x.dtype)
    with torch.no_grad():
        for i in range(x.numel()):
            step = torch.zeros(x.numel(), dtype=x.dtype)
            step[i] = h
            step = step.reshape(x.shape)
            flat_grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return flat_grad.reshape(x.shape)
"""


TRICKS_UNIT = "derivatives"  # the one unit the cheater and the reader hand in


def submitted_tasks(course, student: str) -> list[str]:
    """The tasks of the units `student` handed in."""
    return [task.id for task in course.tasks if student not in ("cheater", "reader") or task.module == TRICKS_UNIT]


def with_cheat_cell(notebook: dict) -> dict:
    notebook = json.loads(json.dumps(notebook))
    cell = {"cell_type": "code", "execution_count": None, "id": "cheat", "metadata": {}, "outputs": [], "source": CHEAT_CELL}
    notebook["cells"].insert(2, cell)
    return notebook


@pytest.fixture(scope="module")
def autograded(course, tmp_path_factory):
    root = tmp_path_factory.mktemp("nbgrader")
    course_dir = root / "course"
    export.main(course_dir, course, SOLUTIONS)
    env = jupyter_environment(root)
    nbgrader(course_dir, env, "generate_assignment", "*")  # every unit

    mutants = mutant_students(course)
    folders = {"reference": SOLUTIONS, "release": EXERCISES}
    for student, sources in mutants.items():
        by_module: dict[str, str] = {}
        for task in course.tasks:
            by_module[task.module] = by_module.get(task.module, "") + "\n\n" + sources[task.id]
        folders[student] = make_submission(root / "folders" / student, by_module)

    for unit in course.units:
        source = json.loads((course_dir / "source" / unit.module / f"{unit.module}.ipynb").read_text(encoding="utf-8"))
        release = json.loads((course_dir / "release" / unit.module / f"{unit.module}.ipynb").read_text(encoding="utf-8"))
        notebooks = {"reference": source, "release": release}
        notebooks.update({student: with_mutants(source, sources) for student, sources in mutants.items()})
        if unit.module == TRICKS_UNIT:  # the tricks are the same in every unit: one unit shows them
            notebooks["cheater"] = with_cheat_cell(release)
            reader = {task.id: "" for task in course.tasks}
            reader["1.1"] = READER_1_1.format(path=str(course_dir / "source" / "derivatives" / "derivatives.ipynb"))
            notebooks["reader"] = with_mutants(release, reader)
        for student, notebook in notebooks.items():
            target = course_dir / "submitted" / student / unit.module / f"{unit.module}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_text(json.dumps(notebook), encoding="utf-8")
    folders["cheater"] = EXERCISES
    folders["reader"] = make_submission(
        root / "folders" / "reader", {"derivatives": READER_1_1.format(path=str(course_dir / "source" / "derivatives" / "derivatives.ipynb"))},
        base=EXERCISES,
    )
    nbgrader(course_dir, env, "autograde", "*", "--create")
    return course_dir, gradebook_points(course_dir / "gradebook.db"), folders


def test_the_course_directory_is_nbgrader_s(course, autograded):
    course_dir, _, _ = autograded
    assert (course_dir / "nbgrader_config.py").is_file()
    for unit in course.units:
        notebook = json.loads((course_dir / "source" / unit.module / f"{unit.module}.ipynb").read_text(encoding="utf-8"))
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"
        tests = [cell for cell in notebook["cells"] if cell["metadata"]["nbgrader"]["grade"]]
        assert [cell["metadata"]["nbgrader"]["points"] for cell in tests] == [task.points for task in unit.tasks]
        solutions = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["metadata"]["nbgrader"]["solution"])
        assert solutions.count("### BEGIN SOLUTION") == solutions.count("### END SOLUTION") > 0


def test_hidden_checks_become_hidden_tests(course, autograded):
    course_dir, _, _ = autograded
    hidden = hidden_tasks(CHECKS_DIR, course.modules)
    assert hidden, "the course has no hidden checks to export"
    for task_id in hidden:
        module = course.task(task_id).module
        source = (course_dir / "source" / module / f"{module}.ipynb").read_text(encoding="utf-8")
        release = (course_dir / "release" / module / f"{module}.ipynb").read_text(encoding="utf-8")
        autograded_notebook = (course_dir / "autograded" / "reference" / module / f"{module}.ipynb").read_text(encoding="utf-8")
        call = f'grade_task(\\"{task_id}\\", hidden=True)'
        assert "BEGIN HIDDEN TESTS" in source and call in source
        assert "HIDDEN TESTS" not in release and call not in release
        assert call in autograded_notebook


def test_reference_gets_full_points_and_release_gets_none(course, autograded):
    _, points, _ = autograded
    assert points["reference"] == {task.id: task.points for task in course.tasks}
    assert points["release"] == {task.id: 0.0 for task in course.tasks}


def test_a_cell_that_replaces_the_autograder_gains_nothing(course, autograded):
    _, points, _ = autograded
    assert points["cheater"] == {task_id: 0.0 for task_id in submitted_tasks(course, "cheater")}


def test_the_answers_cannot_be_read_from_a_submission(course, autograded, tmp_path):
    course_dir, points, folders = autograded
    assert points["reader"]["1.1"] == 0.0
    # The same answer, reading a file that tasks may see (the interpreter's own, in the read-only
    # view of the system), gets the points: it is the course directory's privacy that takes them,
    # not a mistake in the answer.
    visible = Path(sys.prefix) / "pyvenv.cfg" if (Path(sys.prefix) / "pyvenv.cfg").is_file() else Path(os.__file__)
    control = make_submission(tmp_path / "control", {"derivatives": READER_1_1.format(path=str(visible))}, base=EXERCISES)
    (result,) = grade(course, control, ["1.1"]).tasks
    assert result.score == course.task("1.1").points, task_output(result, "en") + result.run.output


def test_the_course_directory_keeps_its_answers_to_its_owner(course, autograded):
    course_dir, _, _ = autograded
    for folder in (course_dir, course_dir / "source", *(course_dir / "source").iterdir()):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
    for path in [course_dir / "nbgrader_config.py", *(course_dir / "source").rglob("*.ipynb")]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_autograde_runs_no_cell_of_the_student(course, autograded):
    course_dir, _, _ = autograded
    notebook = json.loads((course_dir / "autograded" / "cheater" / "derivatives" / "derivatives.ipynb").read_text(encoding="utf-8"))
    cheat = next(cell for cell in notebook["cells"] if "".join(cell["source"]).startswith("\nimport sys") or "_full_points" in "".join(cell["source"]))
    assert cheat["outputs"] == []  # its print never ran
    tests = [cell for cell in notebook["cells"] if cell["metadata"].get("nbgrader", {}).get("grade")]
    for cell in tests:
        values = ["".join(output["data"]["text/plain"]) for output in cell["outputs"] if output["output_type"] == "execute_result"]
        assert values == ["0"], cell["outputs"]
        assert "not implemented yet" in "".join("".join(output.get("text", "")) for output in cell["outputs"])


@pytest.mark.parametrize("student", ["reference", "release", "mutants_second", "mutants_last", "cheater"])
def test_nbgrader_gives_every_task_the_grader_s_points(course, autograded, student):
    _, points, folders = autograded
    expected = {result.task.id: result.score for result in grade(course, folders[student], submitted_tasks(course, student)).tasks}
    assert points[student] == expected
    if student.startswith("mutants"):
        assert any(0 < score < course.task(task_id).points for task_id, score in expected.items()), "no partial credit"
        assert sum(expected.values()) < course.max_score
