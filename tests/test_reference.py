"""The reference solutions score full points; the untouched stubs score zero."""

import pytest

from grader.grading import grade
from tests.conftest import EXERCISES, SOLUTIONS


@pytest.fixture(scope="module")
def reference(course):
    return grade(course, SOLUTIONS)


@pytest.fixture(scope="module")
def stubs(course):
    return grade(course, EXERCISES)


def test_every_task_is_graded(course, reference):
    assert [result.task.id for result in reference.tasks] == [task.id for task in course.tasks]


def test_solutions_score_full_points_on_every_check(reference):
    failing = {
        result.task.id: [(check.name, check.failure and check.failure.key, check.failure and check.failure.params) for check in result.failures]
        for result in reference.tasks
        if not result.passed
    }
    assert failing == {}
    assert reference.score == reference.max_score > 0


def test_stubs_score_zero_and_say_not_implemented(stubs):
    assert stubs.score == 0
    for result in stubs.tasks:
        assert result.not_implemented, (result.task.id, [c.failure.key for c in result.failures])


def test_every_task_has_several_checks(reference):
    for result in reference.tasks:
        assert len(result.checks) >= 2, result.task.id


def test_grading_twice_gives_identical_points(course, reference):
    again = grade(course, SOLUTIONS)
    assert [(r.task.id, r.score) for r in again.tasks] == [(r.task.id, r.score) for r in reference.tasks]
