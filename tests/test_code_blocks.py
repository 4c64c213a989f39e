"""Every ```python block of a lesson page runs alone in a fresh interpreter and prints what the page shows.

The build (site/code_blocks.py) shows each block's output from a cache of real
runs; here every block of both languages runs again, fresh, without the cache (each
set-up once, its blocks in forks of it: site/code_blocks.py). Blocks whose code
differs only in comments (the Chinese page's) run once.
"""

from __future__ import annotations

import importlib.util
import json
import sys

from tests.conftest import ROOT

DOCS = ROOT / "site" / "docs"
LANGUAGES = ("en", "zh")


def _code_blocks():
    if "code_blocks" in sys.modules:
        return sys.modules["code_blocks"]
    spec = importlib.util.spec_from_file_location("code_blocks", ROOT / "site" / "code_blocks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["code_blocks"] = module
    spec.loader.exec_module(module)
    return module


def _unit_blocks(course):
    code_blocks = _code_blocks()
    found = []
    for lang in LANGUAGES:
        for module in course.modules:
            page = DOCS / lang / "units" / f"{module}.md"
            for block in code_blocks.blocks(page.read_text(encoding="utf-8"), lang):
                found.append((f"{lang}/units/{module}.md:{block.line + 1}", block))
    return found


def test_every_python_block_runs_alone_and_prints_what_the_page_shows(course):
    code_blocks = _code_blocks()
    found = _unit_blocks(course)
    assert len(found) >= 2 * 60, f"only {len(found)} python blocks on the unit pages"
    programs = {}
    for where, block in found:
        programs.setdefault(code_blocks.key(block.program), (where, block))
    runs = dict(zip(programs, code_blocks.run_many([block for _, block in programs.values()]), strict=True))
    failures = []
    for program_key, (where, block) in programs.items():
        status, output = runs[program_key]
        if status != 0:
            failures.append(f"{where} fails when run alone:\n{output}")
            continue
        if block.is_setup and output:
            failures.append(f"{where}: a set-up prints\n{output}")
        shown = code_blocks.cached_output(block.program)
        if shown is None:
            failures.append(f"{where}: no output recorded; build the site and commit site/block_outputs/")
        elif shown != output and not block.varies:
            failures.append(f"{where}: the page shows\n{shown}\nbut a fresh run prints\n{output}")
        if "Traceback" in output or "Warning" in output:
            failures.append(f"{where}: prints a traceback or a warning:\n{output}")
    assert failures == [], "\n\n".join(failures)


def test_every_recorded_output_belongs_to_a_block_of_a_page(course):
    code_blocks = _code_blocks()
    used = {code_blocks.key(block.program) for _, block in _unit_blocks(course)}
    recorded = {path.stem for path in code_blocks.CACHE.glob("*.json")}
    assert recorded - used == set(), "stale outputs in site/block_outputs/: delete them"
    for path in code_blocks.CACHE.glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        assert code_blocks.key(record["code"]) == path.stem, path


def test_a_block_uses_the_nearest_set_up_above_and_a_set_up_runs_alone():
    code_blocks = _code_blocks()
    page = (
        "# Unit\n\n```python\nprint(1)\n```\n\n"
        '??? note "Set-up"\n\n    Text.\n\n    ```python\n    import math\n    ```\n\n'
        "```python\nprint(math.pi)\n```\n\n"
        "```pycon\n>>> wrong(\n```\n\n"
        '???+ question "1 · Predict the output"\n\n    ```python\n    print(2)\n    ```\n\n'
        '    ??? success "Answer"\n\n        Two.\n'
    )
    first, setup, second, question = code_blocks.blocks(page, "en")
    assert (first.setup, setup.is_setup, setup.setup) == ("", True, "")
    assert second.program == "import math\n\nprint(math.pi)\n"
    assert question.code == "print(2)\n" and question.indent == "    "
    assert code_blocks.normalised("x = 1  # one\n# alone\nprint(x)\n") == "x = 1\nprint(x)\n"


def test_the_output_goes_under_its_block_or_into_the_answer_that_follows(monkeypatch):
    code_blocks = _code_blocks()
    monkeypatch.setattr(code_blocks, "outputs", lambda page, found: {block.line: "42\n" for block in found})
    page = (
        "```python\nprint(42)\n```\n\ntext\n\n"
        '???+ question "1 · Predict the output"\n\n    ```python\n    print(42)\n    ```\n\n'
        '    ??? success "Answer"\n\n        Because.\n'
    )
    rendered = code_blocks.render(page, "en", "page.md")
    assert '```python\nprint(42)\n```\n\n``` { .text .descent-output title="Output" }\n42\n```\n\ntext' in rendered
    assert '    ??? success "Answer"\n\n        ``` { .text .descent-output title="Output" }\n        42\n' in rendered


def test_blocks_sharing_a_set_up_run_as_if_each_were_alone_after_it():
    """The runner's shortcut (a set-up once, its blocks forked from it) is invisible to the blocks."""
    code_blocks = _code_blocks()

    def block(setup: str, code: str):
        return code_blocks.Block(0, 0, "", code, setup, False, False)

    setup = "import math\nprint('set up')\nopen('note.txt', 'w').write('a')\n"
    runs = code_blocks.run_many([
        block(setup, "seen = 1\nopen('note.txt', 'a').write('b')\nprint(open('note.txt').read())"),
        block(setup, "print(open('note.txt').read(), math.pi > 3)\nprint(seen)"),
        block("", "print(math.pi)"),
        block("raise ValueError('the set-up breaks')", "print('never')"),
        block(setup, "import sys\nsys.exit(3)"),
        block("", "print(__name__)"),
    ])  # fmt: skip
    first, second, no_setup, broken, exits, main = runs
    assert first == (0, "set up\nab\n")
    assert second[0] == 1 and second[1].startswith("set up\na True\n") and "NameError: name 'seen'" in second[1]
    assert no_setup[0] == 1 and "NameError: name 'math'" in no_setup[1]
    assert broken[0] == 1 and "ValueError: the set-up breaks" in broken[1] and "never" not in broken[1]
    assert exits == (3, "set up\n")
    assert main == (0, "__main__\n")
