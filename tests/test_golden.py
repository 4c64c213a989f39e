"""The feedback of every catalogued mistake, in English and Chinese, pinned in reviewed files.

`tests/golden/<module>.json` holds, per mutant, the lines a student reads
(message and advice of each problem) in both languages. A change of wording
shows up as a diff of those files; write them anew with

    DESCENT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

(`DESCENT_GOLDEN_MODULES=sgd,backprop` limits the rewrite to those modules.)
"""

import json
import os
from pathlib import Path

import pytest

from grader.feedback import task_feedback
from tests.chinese import english_outside_code
from tests.conftest import all_mutants

GOLDEN = Path(__file__).parent / "golden"
MUTANTS = all_mutants()
UPDATE = os.environ.get("DESCENT_UPDATE_GOLDEN") == "1"
# DESCENT_GOLDEN_MODULES=sgd,backprop: rewrite only those modules' files.
ONLY = {name for name in os.environ.get("DESCENT_GOLDEN_MODULES", "").split(",") if name}


def feedback_lines(result) -> dict[str, list[str]]:
    return {lang: [line for item in task_feedback(result, lang) for line in (item.message, item.advice)] for lang in ("en", "zh")}


def test_golden_files_match_the_feedback(graded_mutants, course):
    wrong = []
    for module in course.modules:
        path = GOLDEN / f"{module}.json"
        actual = {mutant.id: feedback_lines(graded_mutants[mutant.id]) for name, mutant in MUTANTS if name == module}
        if UPDATE and (not ONLY or module in ONLY):
            path.write_text(json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            continue
        if UPDATE:
            continue
        pinned = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for mutant_id in sorted(set(actual) | set(pinned)):
            if actual.get(mutant_id) != pinned.get(mutant_id):
                wrong.append(f"{module}.json {mutant_id}:\n  pinned {pinned.get(mutant_id)}\n  now    {actual.get(mutant_id)}")
    assert not wrong, "feedback differs from tests/golden (review, then DESCENT_UPDATE_GOLDEN=1):\n" + "\n".join(wrong[:10])


@pytest.mark.parametrize("module", sorted({module for module, _ in MUTANTS}))
def test_every_mutant_has_a_golden_entry(module):
    pinned = json.loads((GOLDEN / f"{module}.json").read_text(encoding="utf-8"))
    assert sorted(pinned) == sorted(mutant.id for name, mutant in MUTANTS if name == module)


@pytest.mark.parametrize("module", sorted({module for module, _ in MUTANTS}))
def test_chinese_feedback_of_every_catalogued_mistake_is_chinese(module):
    """Every Chinese line a student reads for a catalogued mistake: Chinese prose, code only as code."""
    pinned = json.loads((GOLDEN / f"{module}.json").read_text(encoding="utf-8"))
    english = {
        line: words
        for lines in pinned.values()
        for line in lines["zh"]
        if (words := english_outside_code(line))
    }
    assert english == {}, "\n".join(f"{words}: {line}" for line, words in english.items())
