"""The scenarios load without any check: the process that runs student code holds no oracle.

The task process registers a unit's scenarios with `grader.scenarios.load_unit`.
A fresh interpreter does just that for every unit of the course here, and
what it then has in `sys.modules` is inspected: a check module, an oracle,
`grader.checks.kit`, `grader.messages` or pytest in the same process as the
student's code would let that code reach them.
"""

import importlib
import json
import subprocess
import sys

import pytest

from grader.manifest import course as load_course
from grader.paths import repo_root
from grader.scenarios import scenarios_for

# Modules that must never be imported where student code runs (a name, or a package and everything under it).
FORBIDDEN = (
    "grader.checks",
    "grader.messages",
    "grader.plugin",
    "grader.grading",
    "pytest",
    "_pytest",
    "solutions",
)

PROBE = """
import json
import sys

from grader.manifest import course
from grader.scenarios import load_unit, scenarios_for

manifest = course()
for module in manifest.modules:
    load_unit(module)
print(json.dumps({
    "modules": sorted(sys.modules),
    "scenarios": {task.id: sorted(scenarios_for(task.id)) for task in manifest.tasks},
}))
"""


@pytest.fixture(scope="module")
def view() -> dict:
    """`sys.modules` and the registered scenarios of a fresh process that loaded every unit."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=repo_root(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _forbidden(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN)


def test_loading_every_unit_imports_no_check_oracle_or_pytest(view):
    assert [name for name in view["modules"] if _forbidden(name)] == []


def test_every_task_has_scenarios_after_load_unit_alone(view):
    assert {task.id for task in load_course().tasks} == set(view["scenarios"])
    assert [task_id for task_id, names in view["scenarios"].items() if not names] == []


def test_check_modules_register_no_scenario_of_their_own(view):
    """What the grading process registers by importing the checks is what `load_unit` gives."""
    for module in load_course().modules:
        importlib.import_module(f"grader.checks.test_{module}")
    registered = {task_id: sorted(scenarios_for(task_id)) for task_id in view["scenarios"]}
    assert registered == view["scenarios"]
