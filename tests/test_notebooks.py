"""The exercise files are jupytext percent notebooks: each converts and runs."""

import ast

import jupyter_client
import jupytext
import nbclient
import nbformat
import pytest

from tests.conftest import EXERCISES, SOLUTIONS


def _modules(course):
    return [f"{module}.py" for module in course.modules]


@pytest.mark.parametrize("folder", [EXERCISES, SOLUTIONS], ids=["exercises", "solutions"])
def test_every_module_converts_to_a_notebook_that_runs(course, folder, tmp_path):
    # One kernel for the folder's notebooks, its namespace cleared before each (`%reset -f`): a
    # notebook that needs a name another one defined fails as in a kernel of its own.
    kernel = jupyter_client.KernelManager(kernel_name="python3")
    kernel.start_kernel(cwd=str(tmp_path))
    try:
        for name in _modules(course):
            path = folder / name
            notebook = jupytext.read(path)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            definitions = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)]
            code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
            # One cell for the docstring and imports, one per function or class.
            assert len(code_cells) == 1 + len(definitions), name
            notebook.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
            client = nbclient.NotebookClient(notebook, timeout=120, km=kernel)
            client.execute()
            errors = [output for cell in notebook.cells for output in cell.get("outputs", []) if output.get("output_type") == "error"]
            assert errors == [], name
            assert client.kc is not None
            client.kc.stop_channels()
    finally:
        kernel.shutdown_kernel(now=True)


def test_a_notebook_round_trip_keeps_the_file(course):
    for name in _modules(course):
        text = (EXERCISES / name).read_text(encoding="utf-8")
        again = jupytext.writes(jupytext.reads(text, fmt="py:percent"), fmt="py:percent")
        assert ast.dump(ast.parse(again)) == ast.dump(ast.parse(text)), name
