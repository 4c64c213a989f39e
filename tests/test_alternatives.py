"""Correct answers in other styles keep every point: a correct answer never loses one."""

import pytest

from grader.feedback import task_feedback
from tests.conftest import all_alternatives

ALTERNATIVES = all_alternatives()


@pytest.mark.parametrize(("module", "alternative"), ALTERNATIVES, ids=[a.id for _, a in ALTERNATIVES])
def test_alternative_scores_full_points(graded_alternatives, module, alternative):
    result = graded_alternatives[alternative.id]
    assert result.score == result.max_score, [f.message for f in task_feedback(result, "en")]


def test_there_are_forty_alternatives_over_every_unit(course):
    assert len(ALTERNATIVES) >= 40
    assert {module for module, _ in ALTERNATIVES} == set(course.modules)


def test_alternative_names_are_unique():
    ids = [alternative.id for _, alternative in ALTERNATIVES]
    assert len(ids) == len(set(ids))
