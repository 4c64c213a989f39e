"""How a notebook's cells become the module the grader grades, and how hidden checks are found."""

from grader.hidden import hidden_checks, strip_hidden
from grader.notebook import module_source, notebook_code_cells


def test_definitions_are_kept_and_scratch_work_left_out():
    cells = [
        "import torch\nfrom torch import nn",
        "def mse(y_hat, y):\n    return ((y_hat - y) ** 2).mean()",
        "mse(torch.ones(3), torch.zeros(3))  # trying it out",
        "print('hello')\nfor i in range(3):\n    print(i)\nresult = mse(torch.ones(2), torch.ones(2))",
        "LR = 0.1\n_Base = nn.Module",
        "@staticmethod\ndef helper():\n    return LR",
        "from grader.notebook import grade_task\ngrade_task('4.1')",
        "def broken(:\n    pass",
        "from __future__ import annotations",
    ]
    source, broken = module_source(cells)
    assert source.startswith("from __future__ import annotations\n")
    for kept in ["import torch", "from torch import nn", "def mse(y_hat, y):", "LR = 0.1", "_Base = nn.Module", "@staticmethod\ndef helper():"]:
        assert kept in source
    for dropped in ["trying it out", "print(", "result =", "grade_task", "broken"]:
        assert dropped not in source
    assert broken == ["def broken(:"]
    compile(source, "module", "exec")


def test_later_definitions_win_as_in_the_notebook():
    source, _ = module_source(["def f():\n    return 1", "def f():\n    return 2"])
    namespace: dict = {}
    exec(compile(source, "module", "exec"), namespace)
    assert namespace["f"]() == 2


def test_autograder_cells_of_a_notebook_file_are_left_out():
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "# Unit", "metadata": {}},
            {"cell_type": "code", "source": ["def f():\n", "    return 1\n"], "metadata": {"nbgrader": {"solution": True, "grade": False}}},
            {"cell_type": "code", "source": "assert f() == 1", "metadata": {"nbgrader": {"solution": False, "grade": True, "points": 1}}},
            {"cell_type": "code", "source": "x = 2", "metadata": {}},
        ]
    }
    assert notebook_code_cells(notebook) == ["def f():\n    return 1\n", "x = 2"]


CHECKS = '''import pytest


@pytest.mark.task("1.1", weight=2)
def test_visible(outcome):
    pass


@pytest.mark.task("1.1", hidden=True)
def test_hidden(outcome):
    pass


@pytest.mark.task("1.2")
def test_other(outcome):
    pass
'''


def test_hidden_checks_are_found_and_stripped():
    (found,) = hidden_checks(CHECKS)
    assert (found.name, found.task_id) == ("test_hidden", "1.1")
    stripped = strip_hidden(CHECKS)
    assert "test_hidden" not in stripped and "test_visible" in stripped and "test_other" in stripped
    compile(stripped, "checks", "exec")
