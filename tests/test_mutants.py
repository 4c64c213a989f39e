"""Known wrong answers lose points, and the feedback names the mistake."""

import textwrap

import pytest

from grader.feedback import task_feedback
from grader.grading import grade
from tests.conftest import all_mutants, make_submission

MUTANTS = all_mutants()


@pytest.mark.parametrize(("module", "mutant"), MUTANTS, ids=[m.id for _, m in MUTANTS])
def test_mutant_loses_points_with_a_message_that_names_it(course, tmp_path, module, mutant):
    submission = make_submission(tmp_path / "submission", {module: textwrap.dedent(mutant.source)})
    (result,) = grade(course, submission, [mutant.task]).tasks
    assert result.score < result.max_score, f"{mutant.id} kept full points"
    english = [f.message + " " + f.advice for f in task_feedback(result, "en")]
    chinese = [f.message for f in task_feedback(result, "zh")]
    assert any(mutant.feedback.lower() in line.lower() for line in english), english
    assert chinese and all(line.strip() for line in chinese)


def test_every_task_has_at_least_two_mutants(course):
    counts = {task.id: 0 for task in course.tasks}
    for _, mutant in MUTANTS:
        counts[mutant.task] += 1
    assert {task_id: n for task_id, n in counts.items() if n < 2} == {}
