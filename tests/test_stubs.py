"""The stub generator: exercises/ is exactly what it writes, and bad markers are errors."""

import ast
import textwrap

import pytest

from grader.stubs import MarkerError, expected_stubs, stub_source, sync
from tests.conftest import EXERCISES, SOLUTIONS


def test_committed_exercises_match_the_generator(course):
    assert sync(course, SOLUTIONS, EXERCISES, write=False) == [], "run `grader dev sync`"


def test_every_solution_module_has_a_stub_that_compiles(course):
    stubs = expected_stubs(course, SOLUTIONS)
    assert sorted(stubs) == sorted(f"{module}.py" for module in course.modules)
    for name, text in stubs.items():
        compile(text, name, "exec")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text


def _signatures(source: str) -> dict[str, tuple[str, str | None]]:
    found = {}
    tree = ast.parse(source)
    methods = [item for node in tree.body if isinstance(node, ast.ClassDef) for item in node.body]
    for node in [*tree.body, *methods]:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            args = ast.unparse(node.args) if isinstance(node, ast.FunctionDef) else ""
            found[node.name] = (args, ast.get_docstring(node))
    return found


def test_stubs_keep_signatures_and_docstrings(course):
    stubs = expected_stubs(course, SOLUTIONS)
    for module in course.modules:
        solution = (SOLUTIONS / f"{module}.py").read_text(encoding="utf-8")
        assert _signatures(stubs[f"{module}.py"]) == _signatures(solution)


def test_every_task_function_has_a_region_that_names_its_task(course):
    stubs = expected_stubs(course, SOLUTIONS)
    for task in course.tasks:
        assert f"Task {task.id}: write" in stubs[task.file_name], task.id
        tree = ast.parse(stubs[task.file_name])
        names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
        assert set(task.functions) <= names


def _stub(course, body: str) -> str:
    return stub_source(textwrap.dedent(body), SOLUTIONS / "derivatives.py", "derivatives", course)


def test_a_region_becomes_a_raise_with_the_region_indentation(course):
    stub = _stub(
        course,
        """
        def central_difference(f, x, h=1e-4):
            \"\"\"Doc.\"\"\"
            # BEGIN SOLUTION
            return x
            # END SOLUTION
        """,
    )
    assert '    raise NotImplementedError("Task 1.1: write central_difference here' in stub
    assert "return x" not in stub


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("def central_difference():\n    # BEGIN SOLUTION\n    pass\n", 2, "never closed"),
        ("def central_difference():\n    pass\n    # END SOLUTION\n", 3, "without an opening"),
        ("def central_difference():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    pass\n    # END SOLUTION\n", 3, "inside the region"),
        ("def central_difference():\n    # BEGIN SOLUTION extra\n    pass\n", 2, "malformed marker"),
        ("def central_difference():\n    #BEGIN SOLUTION\n    pass\n    # END SOLUTION\n", 2, "malformed marker"),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", 1, "inside a function"),
        ("def helper():\n    # BEGIN SOLUTION\n    pass\n    # END SOLUTION\n", 2, "no task"),
    ],
)
def test_malformed_regions_name_file_and_line(course, body, line, words):
    with pytest.raises(MarkerError) as caught:
        _stub(course, body)
    assert caught.value.line == line
    assert caught.value.path.endswith("derivatives.py")
    assert f"derivatives.py:{line}:" in str(caught.value)
    assert words in str(caught.value)
