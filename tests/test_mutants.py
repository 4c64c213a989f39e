"""Known wrong answers lose points, and the feedback names the mistake."""

import re

import pytest

from grader.feedback import task_feedback
from tests.conftest import all_mutants

MUTANTS = all_mutants()


@pytest.mark.parametrize(("module", "mutant"), MUTANTS, ids=[m.id for _, m in MUTANTS])
def test_mutant_loses_points_with_a_message_that_names_it(graded_mutants, module, mutant):
    result = graded_mutants[mutant.id]
    assert result.score < result.max_score, f"{mutant.id} kept full points"
    english = [f.message + " " + f.advice for f in task_feedback(result, "en")]
    chinese = [f.message + " " + f.advice for f in task_feedback(result, "zh")]
    naming = [i for i, line in enumerate(english) if mutant.feedback.lower() in line.lower()]
    assert naming, english
    # The same diagnosis, in Chinese: real Chinese text, not the English sentence.
    assert len(chinese) == len(english)
    for i in naming:
        assert re.search(r"[\u4e00-\u9fff]", chinese[i]) and chinese[i] != english[i], chinese[i]


def test_every_task_has_at_least_three_mutants_and_eighty_in_all(course):
    counts = {task.id: 0 for task in course.tasks}
    for _, mutant in MUTANTS:
        counts[mutant.task] += 1
    assert {task_id: n for task_id, n in counts.items() if n < 3} == {}
    assert len(MUTANTS) >= 80


def test_mutant_names_are_unique():
    ids = [mutant.id for _, mutant in MUTANTS]
    assert len(ids) == len(set(ids))
