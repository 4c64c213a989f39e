"""`grader release`: the student copy gives no answer away, and it installs and grades.

An answer leaks when the body of a solution region (the lines between
`# BEGIN SOLUTION` and `# END SOLUTION`, without blank lines or comments,
whitespace normalised) appears as a whole, as consecutive lines, in any file
of the release. The checks may hold independent oracles (autograd,
`torch.optim.SGD`, recomputed trajectories); for a task whose answer is a
single formula that its statement itself gives, the oracle or the lesson
cannot help writing the same line: those are listed in FORMULAS.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.hidden import hidden_checks
from grader.paths import CHECKS_DIR
from grader.stubs import BEGIN, END, expected_stubs
from tests.conftest import ROOT, SOLUTIONS

# One-line answers that are the formula of their own task statement (the checks compute it, the lessons teach it).
FORMULAS = {
    "(x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2",  # 5.1 rosenbrock: "(x[1] − x[0]²)² + (1 − x[0])²"
    "((y_hat - y) ** 2).mean()",  # 4.1 mse: "the mean of squared differences"
}
NEVER_RELEASED = ["solutions", "tests", "bench", ".ci", ".git", "mkdocs.yml"]


def grader(*args, cwd=ROOT, env=None, python=(sys.executable,)):
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "200", **(env or {})}
    return subprocess.run([*python, "-m", "grader", *args], capture_output=True, text=True, cwd=cwd, env=environment, timeout=300)


def normalise(line: str) -> str:
    return " ".join(line.split())


def code_lines(text: str) -> list[str]:
    lines = (normalise(line) for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def answers() -> list[tuple[str, int, list[str]]]:
    """(file, line, body) of every solution region."""
    found = []
    for path in sorted(SOLUTIONS.glob("*.py")):
        body = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() == BEGIN:
                body, start = [], number
            elif line.strip() == END:
                found.append((path.name, start, code_lines("\n".join(body))))
                body = None
            elif body is not None:
                body.append(line)
    return found


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "descent"
    run = grader("release", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_release_holds_what_students_need_and_nothing_else(course, release):
    for name in ["README.md", "course.toml", "pyproject.toml", ".github/workflows/grade.yml", "grader/cli.py"]:
        assert (release / name).exists(), name
    assert (release / "site" / "docs").is_dir() == (ROOT / "site" / "docs").is_dir()  # the lessons
    for name in NEVER_RELEASED:
        assert not (release / name).exists(), name
    assert not list(release.rglob("__pycache__"))
    stubs = expected_stubs(course, SOLUTIONS)
    assert {path.name: path.read_text(encoding="utf-8") for path in (release / "exercises").iterdir()} == stubs
    assert "## For instructors" not in (release / "README.md").read_text(encoding="utf-8")


def test_no_answer_appears_anywhere_in_the_release(release):
    regions = answers()
    assert len(regions) > 20
    files = {}
    for path in release.rglob("*"):
        if path.is_file():
            try:
                files[path] = "\n" + "\n".join(code_lines(path.read_text(encoding="utf-8"))) + "\n"
            except UnicodeDecodeError:
                continue  # figures and fonts
    leaks = [
        (name, line, str(path.relative_to(release)))
        for name, line, body in regions
        if not (len(body) == 1 and any(formula in body[0] for formula in FORMULAS))
        for path, text in files.items()
        if "\n" + "\n".join(body) + "\n" in text
    ]
    assert leaks == []


def test_hidden_checks_are_left_out(course, release):
    hidden = {module: hidden_checks((CHECKS_DIR / f"test_{module}.py").read_text(encoding="utf-8")) for module in course.modules}
    assert any(hidden.values()), "the course has no hidden checks"
    for module, checks in hidden.items():
        released = (release / "grader" / "checks" / f"test_{module}.py").read_text(encoding="utf-8")
        compile(released, module, "exec")
        assert "hidden=True" not in released
        for check in checks:
            assert f"def {check.name}(" not in released


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    run = grader("release", str(tmp_path))
    assert run.returncode == 2
    assert "Cannot write the student copy" in run.stderr and "无法把学生版写入" in run.stderr
    assert "Traceback" not in run.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["old.txt"]


@pytest.fixture(scope="module")
def installed(release, tmp_path_factory):
    """The release installed the way pip installs it (a wheel), not the repository's grader."""
    target = tmp_path_factory.mktemp("site-packages")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(release)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return target


def released_grader(release: Path, installed: Path, *args: str):
    # -P: the grader comes from the installed release, not from a folder on the path.
    return grader(*args, cwd=release, env={"PYTHONPATH": str(installed)}, python=(sys.executable, "-P"))


def test_released_course_grades_the_stubs_as_not_implemented(course, release, installed):
    run = released_grader(release, installed, "check")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "not implemented yet" in run.stdout
    assert f"Score: 0 / {course.max_score:g}" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_released_course_gives_the_reference_solutions_full_points(course, release, installed):
    run = released_grader(release, installed, "check", "--submission", str(SOLUTIONS))
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Score: {course.max_score:g} / {course.max_score:g}" in run.stdout


def test_released_grader_is_the_installed_copy(release, installed):
    probe = subprocess.run(
        [sys.executable, "-P", "-c", "import grader.paths as p; print(p.PACKAGE_DIR); print(p.solutions_dir().exists())"],
        capture_output=True, text=True, cwd=release, env={**os.environ, "PYTHONPATH": str(installed)},
    )  # fmt: skip
    package, has_solutions = probe.stdout.split()
    assert Path(package).is_relative_to(installed) and has_solutions == "False"
    run = released_grader(release, installed, "check", "--solutions")
    assert run.returncode == 2 and "no solutions/ folder" in run.stderr and "没有 `solutions/` 文件夹" in run.stderr
