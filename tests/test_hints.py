"""Hints that teach: a ladder of three per task, climbed one level at a time.

Level 1 is the idea, in words; level 2 the plan, naming the tools; level 3
near-code. No level hands over the answer: no hint holds a line of the
reference solution (`solutions/<module>.py`, compared without whitespace).
`grader hint TASK` shows the next level and remembers it in
`.grader/progress.json`; `--all` shows every level, `--level N` one of them,
`--reset` starts over; `grader check`, `next` and `list` show where the
student stands.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.manifest import HINT_LEVELS, LANGUAGES, ManifestError, parse_course
from grader.stubs import BEGIN, END
from tests.chinese import english_outside_code
from tests.conftest import ROOT, SOLUTIONS

CODE_SPAN = re.compile(r"`([^`]*)`")
CJK = re.compile(r"[\u4e00-\u9fff]")
# A statement this short, or a bare call such as `loss.backward()`, is vocabulary, not an answer.
SHORTEST_ANSWER = 12
BARE_CALL = re.compile(r"^[\w.]+\(\)$")
# A call inside a solution line this long is an answer of its own (`minibatches(len(x), batch_size, generator)`).
SHORTEST_ANSWER_CALL = 24


def squeeze(text: str) -> str:
    return re.sub(r"[\s`]", "", text)


def _solution_lines(source: str) -> set[int]:
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), 1):
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def answer_lines(module: str) -> set[str]:
    """The answers of a solution module, without whitespace: each statement inside a solution
    region, the value it assigns or returns, a `for` loop's header and iterable, and long calls."""
    source = (SOLUTIONS / f"{module}.py").read_text(encoding="utf-8")
    region = _solution_lines(source)
    found: set[str] = set()

    def add(node: ast.AST | None) -> None:
        if node is None or isinstance(node, ast.Name | ast.Attribute | ast.Tuple) and not any(isinstance(part, ast.Call | ast.BinOp) for part in ast.walk(node)):
            return  # names (`model, losses`, `self.param_groups`) are vocabulary
        text = squeeze(ast.get_source_segment(source, node) or "")
        if len(text) >= SHORTEST_ANSWER and not BARE_CALL.match(text):
            found.add(text)

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt) or node.lineno not in region:
            continue
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Expr):
            add(node)
            add(getattr(node, "value", None))
        elif isinstance(node, ast.Return):
            add(node.value)
        elif isinstance(node, ast.For):
            found.add(squeeze(f"for {ast.get_source_segment(source, node.target)} in {ast.get_source_segment(source, node.iter)}"))
        else:
            continue
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and len(squeeze(ast.get_source_segment(source, call) or "")) >= SHORTEST_ANSWER_CALL:
                add(call)
    return found


def test_the_answer_finder_finds_the_lines_that_answer_a_task():
    answers = answer_lines("derivatives")
    assert "point=x.detach().clone().requires_grad_(True)" in answers
    assert "x.detach().clone().requires_grad_(True)" in answers
    assert "(f(x+step)-f(x-step))/(2*h)" in answers
    assert "torch.stack(iterates)" in answers
    assert not any(BARE_CALL.match(answer) for answer in answers)
    assert "forindicesintorch.randperm(len(x),generator=generator).split(batch_size)" in answer_lines("training_loop")


# ---- the ladders in course.toml


def test_every_task_has_a_ladder_of_three_hints_in_both_languages(course):
    for task in course.tasks:
        assert len(task.hints) == HINT_LEVELS, f"task {task.id} has {len(task.hints)} hints"
        for lang in LANGUAGES:
            texts = [hint[lang].strip() for hint in task.hints]
            assert all(texts), f"task {task.id} has an empty {lang} hint"
            assert len(set(texts)) == HINT_LEVELS, f"task {task.id} repeats a {lang} hint"
        assert all(CJK.search(hint["zh"]) for hint in task.hints), task.id


def test_the_first_hint_is_the_idea_without_code_and_the_last_is_near_code(course):
    for task in course.tasks:
        for lang in LANGUAGES:
            assert "`" not in task.hints[0][lang], f"task {task.id}: hint 1 ({lang}) is the idea, in words, without code"
            assert "`" in task.hints[-1][lang], f"task {task.id}: the last hint ({lang}) shows some code"


def test_a_hint_shows_the_same_code_in_both_languages(course):
    for task in course.tasks:
        for level, hint in enumerate(task.hints, 1):
            english, chinese = (sorted(CODE_SPAN.findall(hint[lang])) for lang in LANGUAGES)
            assert english == chinese, f"task {task.id} hint {level}: the code differs between en and zh"


def test_the_chinese_hints_have_no_english_outside_code(course):
    for task in course.tasks:
        for level, hint in enumerate(task.hints, 1):
            assert english_outside_code(hint["zh"]) == [], f"task {task.id} hint {level}: {hint['zh']}"


def test_no_hint_holds_a_line_of_the_reference_solution(course):
    given = []
    for task in course.tasks:
        answers = answer_lines(task.module)
        for level, hint in enumerate(task.hints, 1):
            for lang in LANGUAGES:
                given += [f"task {task.id} hint {level} ({lang}) holds {answer}" for answer in answers if answer in squeeze(hint[lang])]
    assert given == []


# ---- the manifest


BASE = """
[course]
title = { en = "C", zh = "课" }
[[units]]
number = 1
module = "m"
title = { en = "U", zh = "单元" }
[[units.tasks]]
id = "1.1"
functions = ["f"]
points = 1
title = { en = "T", zh = "任务" }
"""


def test_the_manifest_reads_a_ladder_in_order_and_an_old_single_hint_as_a_ladder_of_one():
    import tomllib

    ladder = BASE + '[[units.tasks.hints]]\nen = "one"\nzh = "一"\n[[units.tasks.hints]]\nen = "two"\nzh = "二"\n'
    assert parse_course(tomllib.loads(ladder)).task("1.1").hints == ({"en": "one", "zh": "一"}, {"en": "two", "zh": "二"})
    single = BASE + 'hint = { en = "one", zh = "一" }\n'
    assert parse_course(tomllib.loads(single)).task("1.1").hints == ({"en": "one", "zh": "一"},)


@pytest.mark.parametrize(
    "extra",
    ["", '[[units.tasks.hints]]\nen = "one"\n', "hints = []\n"],
    ids=["no hints", "a level without Chinese", "an empty ladder"],
)
def test_the_manifest_refuses_a_task_without_a_bilingual_ladder(extra):
    import tomllib

    with pytest.raises(ManifestError, match="task 1.1"):
        parse_course(tomllib.loads(BASE + extra))


# ---- `grader hint` and the student's progress


def _course_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    shutil.copytree(ROOT / "exercises", folder / "exercises")
    return folder


def _grader(folder: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "", "COLUMNS": "2000"}
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=folder, capture_output=True, text=True, env=environment, timeout=120)


def _seen(folder: Path, task_id: str) -> int | None:
    tasks = json.loads((folder / ".grader" / "progress.json").read_text(encoding="utf-8"))["tasks"]
    return tasks.get(task_id, {}).get("hints_seen")


def test_grader_hint_climbs_the_ladder_one_level_per_call_and_remembers_it(tmp_path, course):
    folder = _course_copy(tmp_path / "course")
    hints = course.task("2.2").hints
    for level in (1, 2, 3):
        run = _grader(folder, "hint", "2.2")
        assert run.returncode == 0, run.stderr
        assert f"hint {level} of 3" in run.stdout
        assert hints[level - 1]["en"] in run.stdout
        assert all(hint["en"] not in run.stdout for number, hint in enumerate(hints, 1) if number != level)
        assert _seen(folder, "2.2") == level
    assert "Run `grader hint 2.2` again for hint 3 of 3" not in run.stdout and "That is the last hint" in run.stdout
    again = _grader(folder, "hint", "2.2")
    assert "hint 3 of 3" in again.stdout and _seen(folder, "2.2") == 3
    assert _seen(folder, "2.3") is None


def test_grader_hint_in_chinese_shows_the_chinese_level(tmp_path, course):
    folder = _course_copy(tmp_path / "course")
    hints = course.task("4.2").hints
    first = _grader(folder, "hint", "4.2", "--lang", "zh")
    assert "第 1 级提示，共 3 级" in first.stdout and hints[0]["zh"] in first.stdout
    assert "再运行一次 `grader hint 4.2`，查看第 2 级提示" in first.stdout
    second = _grader(folder, "hint", "4.2", "--lang", "zh")
    assert hints[1]["zh"] in second.stdout and hints[1]["en"] not in second.stdout


def test_grader_hint_all_shows_every_level_and_level_shows_one(tmp_path, course):
    folder = _course_copy(tmp_path / "course")
    hints = course.task("5.3").hints
    one = _grader(folder, "hint", "5.3", "--level", "2")
    assert one.returncode == 0 and hints[1]["en"] in one.stdout and hints[0]["en"] not in one.stdout
    assert _seen(folder, "5.3") == 2
    every = _grader(folder, "hint", "5.3", "--all", "--lang", "zh")
    assert every.returncode == 0
    assert all(hint["zh"] in every.stdout for hint in hints)
    assert [f"第 {level} 级提示（共 3 级）" in every.stdout for level in (1, 2, 3)] == [True] * 3
    assert _seen(folder, "5.3") == 3
    lower = _grader(folder, "hint", "5.3", "--level", "1")
    assert hints[0]["en"] in lower.stdout and _seen(folder, "5.3") == 3, "looking back never forgets a level"


def test_grader_hint_reset_starts_the_ladder_again(tmp_path, course):
    folder = _course_copy(tmp_path / "course")
    _grader(folder, "hint", "1.3")
    _grader(folder, "hint", "1.3")
    _grader(folder, "hint", "2.1")
    run = _grader(folder, "hint", "1.3", "--reset")
    assert run.returncode == 0 and "start over" in run.stdout
    assert _seen(folder, "1.3") is None and _seen(folder, "2.1") == 1
    assert course.task("1.3").hints[0]["en"] in _grader(folder, "hint", "1.3").stdout


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (("--level", "4"), "there is no hint 4", "没有第 4 级"),
        (("--level", "0"), "there is no hint 0", "没有第 0 级"),
        (("--all", "--reset"), "one of `--all`, `--level` and `--reset`", "每次只能用其中一个"),
    ],
)
def test_grader_hint_refuses_a_level_it_does_not_have(tmp_path, args, english, chinese):
    folder = _course_copy(tmp_path / "course")
    run = _grader(folder, "hint", "2.2", *args)
    assert run.returncode == 2 and english in run.stderr and chinese in run.stderr
    assert not (folder / ".grader" / "progress.json").exists()


def test_check_next_and_list_show_the_level_reached_and_a_check_keeps_it(tmp_path):
    folder = _course_copy(tmp_path / "course")
    before = _grader(folder, "check", "1.1")
    assert "Stuck? `grader hint 1.1` shows hint 1 of 3." in before.stdout
    _grader(folder, "hint", "1.1")
    check = _grader(folder, "check", "1.1", "--lang", "zh")
    assert "已看过 3 级提示中的 1 级；`grader hint 1.1` 会显示第 2 级。" in check.stdout
    assert _seen(folder, "1.1") == 1, "grading keeps the hints seen"
    _grader(folder, "hint", "1.1", "--all")
    assert "All 3 hints seen; `grader hint 1.1 --all` shows them again." in _grader(folder, "check", "1.1").stdout
    assert "All 3 hints seen" in _grader(folder, "next").stdout
    listing = _grader(folder, "list")
    rows = {line.split()[0]: line for line in listing.stdout.splitlines() if re.match(r"\s*\d\.\d\s", line)}
    assert rows["1.1"].rstrip().endswith("3/3") and rows["1.2"].rstrip().endswith("0/3")


def test_grader_hint_outside_a_course_says_nothing_is_remembered(tmp_path, course):
    run = _grader(tmp_path, "hint", "2.2")
    assert run.returncode == 0, run.stderr
    assert course.task("2.2").hints[0]["en"] in run.stdout
    assert "not remembered" in run.stdout
    assert not (tmp_path / ".grader").exists()
