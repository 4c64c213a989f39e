"""Hidden scenarios for unit 3 (`manual_update.py`): the main property of each task, on inputs the students' copy lacks."""

import torch

from grader.scenarios import scenario
from grader.scenarios.manual_update import fit_run, prepared, step_params, step_run

# --- 3.1 sgd_step_ -----------------------------------------------------------------

HIDDEN_STEP_SHAPES = (((5,), torch.float32), ((2, 3), torch.float64), ((1,), torch.float64), ((3, 1, 2), torch.float32), ((4, 2), torch.float64))
HIDDEN_STEP_PROBLEM = (HIDDEN_STEP_SHAPES, 361, 371)
HIDDEN_STEP_LR = 0.37
HIDDEN_STEP_KIND = "none"  # params[2] has no gradient


@scenario("3.1")
def hidden_step_unseen_params(submission):
    params = prepared(*step_params(HIDDEN_STEP_PROBLEM, HIDDEN_STEP_KIND), layout="transposed")
    return step_run(submission, params, lambda: submission.sgd_step_(iter(params), HIDDEN_STEP_LR))


# --- 3.2 fit_slope -----------------------------------------------------------------

HIDDEN_FIT_CASES = {  # scenario: (xs, ys, keyword arguments)
    "hidden_fit_decreasing_line": ([3.0, -2.0, 0.25, 1.0], [-4.4, 3.1, -0.2, -1.6], {"w0": 0.3, "lr": 0.02, "epochs": 9}),
    "hidden_fit_lesson_other_start": ([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], {"w0": -3.0, "lr": 0.04, "epochs": 17}),
}


def _hidden_fit_scenario(name: str):
    xs, ys, kwargs = HIDDEN_FIT_CASES[name]

    def run(submission):
        return fit_run(submission, xs, ys, kwargs, "mixed_default")

    run.__name__ = name
    return scenario("3.2")(run)


for _name in HIDDEN_FIT_CASES:
    _hidden_fit_scenario(_name)
