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


def test_the_tests_sharing_the_graded_fixture_stay_on_one_worker(request):
    """Under `--dist loadgroup` (as `.ci/run` runs the suite) xdist sees the group, or the fixture runs per worker."""
    assert request.node.get_closest_marker("xdist_group").args == ("graded",)
    if getattr(request.config.option, "loadgroup", False):
        assert request.node.nodeid.endswith("@graded"), request.node.nodeid
