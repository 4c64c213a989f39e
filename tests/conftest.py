import importlib
import shutil
from pathlib import Path

import pytest
import torch

from grader.manifest import course as load_course
from grader.paths import repo_root

ROOT = repo_root()
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"

# The tests' tensors are tiny, and the graders they start need the cores.
torch.set_num_threads(1)


def all_mutants():
    """Every mutant of tests/mutants/, as (module, Mutant)."""
    found = []
    for module in load_course().modules:
        try:
            catalogue = importlib.import_module(f"tests.mutants.{module}")
        except ModuleNotFoundError:
            continue
        found.extend((module, mutant) for mutant in catalogue.MUTANTS)
    return found


def make_submission(folder: Path, changes: dict[str, str] | None = None, base: Path = SOLUTIONS) -> Path:
    """A copy of `base` with source appended to some modules (`{module: source}`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in base.glob("*.py"):
        shutil.copy(path, folder / path.name)
    for module, source in (changes or {}).items():
        target = folder / f"{module}.py"
        target.write_text(target.read_text(encoding="utf-8") + "\n\n" + source, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def course():
    return load_course()


@pytest.fixture(scope="session")
def runner():
    """One warm worker for the session's in-process gradings (each task still a fresh process)."""
    from grader.runner import Runner

    warm = Runner(units=list(load_course().modules))
    yield warm
    warm.close()


def all_alternatives():
    """Every correct answer of tests/alternatives/, as (module, Alternative)."""
    found = []
    for module in load_course().modules:
        try:
            catalogue = importlib.import_module(f"tests.alternatives.{module}")
        except ModuleNotFoundError:
            continue
        found.extend((module, alternative) for alternative in catalogue.ALTERNATIVES)
    return found


@pytest.fixture(scope="session")
def graded_mutants(course, runner):
    """`{mutant id: TaskResult}` for every catalogued mutant, graded once in batches."""
    from tests.answers import grade_answers

    return grade_answers(course, runner, [mutant for _, mutant in all_mutants()])


@pytest.fixture(scope="session")
def graded_alternatives(course, runner):
    from tests.answers import grade_answers

    return grade_answers(course, runner, [alternative for _, alternative in all_alternatives()])


# Tests that share an expensive fixture run on one xdist worker (`-n 2 --dist loadgroup`, as
# `.ci/run` runs them), so that the fixture is computed once; the rest spread over the workers.
SHARED_FIXTURES = {
    "graded": ("test_mutants.py", "test_golden.py", "test_alternatives.py"),
    "site": ("test_site_build.py", "test_site_browser.py", "test_site_interactive.py", "test_lesson_structure.py"),
    # Modules whose tests share a module-scoped fixture (a graded batch, an nbgrader course, a release).
    **{
        name.removesuffix(".py"): (name,)
        for name in (
            "test_batch.py", "test_class_report.py", "test_cluster.py", "test_grade_office.py", "test_gradescope.py",
            "test_nbgrader_export.py", "test_reference.py", "test_release.py", "test_student_loop.py", "test_task_groups.py",
        )
    },
}  # fmt: skip


def pytest_configure(config):
    """Register the group mark, and refuse a pytest and pytest-xdist that would not keep the groups together."""
    from importlib.metadata import version

    # Known without xdist too (the students' CI installs none): the groups then mean nothing.
    config.addinivalue_line("markers", "xdist_group(name): tests that share a costly fixture run on one xdist worker")
    if config.getoption("dist", "no") != "loadgroup":
        return
    xdist = tuple(int(part) for part in version("pytest-xdist").split(".")[:2] if part.isdigit())
    if pytest.version_tuple[:2] >= (9, 2) and xdist <= (3, 8):
        # pytest 9.2 ignores the group xdist 3.8 writes into each test's id (pytest-xdist#1386).
        raise pytest.UsageError(
            f"pytest {pytest.__version__} with pytest-xdist {version('pytest-xdist')} does not keep --dist loadgroup "
            "groups together, so the shared fixtures would run once per worker: install what the dev extra asks "
            "for (pip install -e '.[dev]')"
        )


# Modules whose tests each take ten seconds or more: first in the order, so that both workers end on short
# tests rather than one waiting for the other's last long one (xdist hands out the groups first, the
# largest first, then the other tests one by one in this order).
LONG_TESTS = ("test_hostile.py", "test_code_blocks.py", "test_timeouts.py")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups (it would run first)
def pytest_collection_modifyitems(config, items):
    group_of = {name: group for group, names in SHARED_FIXTURES.items() for name in names}
    for item in items:
        group = group_of.get(item.path.name)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: item.path.name not in LONG_TESTS)  # stable: the rest keep their order
