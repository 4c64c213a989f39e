"""Trivial answers earn nothing: no check gives points for a side property alone.

For every task, each of its functions is replaced by something that does no
work (returns None, returns its first argument, an optimizer that never
moves); grading must then give the task 0 points.
"""

import pytest

from grader.grading import grade
from tests.conftest import make_submission

TRIVIAL_FUNCTIONS = {
    "returns_none": "def {name}(*args, **kwargs):\n    return None\n",
    "returns_first_argument": "def {name}(*args, **kwargs):\n    return args[0] if args else None\n",
}
TRIVIAL_CLASS = (
    "class {name}(torch.optim.Optimizer):\n"
    "    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):\n"
    "        super().__init__(params, {{'lr': lr, 'momentum': momentum, 'weight_decay': weight_decay, 'nesterov': nesterov}})\n"
    "    def step(self, closure=None):\n"
    "        return None\n"
)


def _cases(course):
    for task in course.tasks:
        for kind, template in TRIVIAL_FUNCTIONS.items():
            yield task, kind, template


@pytest.mark.parametrize("kind", sorted(TRIVIAL_FUNCTIONS) + ["no_op_class"])
def test_trivial_answers_score_zero(course, tmp_path, kind):
    changes = {}
    for task in course.tasks:
        for name in task.functions:
            template = TRIVIAL_CLASS if name[0].isupper() else TRIVIAL_FUNCTIONS.get(kind, TRIVIAL_FUNCTIONS["returns_none"])
            changes[task.module] = changes.get(task.module, "") + template.format(name=name) + "\n"
    submission = make_submission(tmp_path / "trivial", changes)
    result = grade(course, submission)
    earned = {r.task.id: [c.name for c in r.checks if c.passed] for r in result.tasks if r.score > 0}
    assert earned == {}
