"""Hidden scenarios for unit 4 (`sgd.py`): the main property of each task, on inputs the students' copy lacks."""

import torch

from grader import inputs
from grader.scenarios import families, scenario
from grader.scenarios.sgd import lesson_data, run_sgd, train_run

# --- 4.1 mse -----------------------------------------------------------------------

HIDDEN_MSE_CASES = {  # case: (shape, dtype, seed, how y_hat is passed)
    "four_d_float32": ((2, 3, 2, 2), torch.float32, 481, "plain"),
    "column": ((6, 1), torch.float64, 483, "plain"),
    "transposed_float32": ((5, 3), torch.float32, 485, "transposed"),
}


def hidden_mse_inputs(case: str):
    shape, dtype, seed, _ = HIDDEN_MSE_CASES[case]
    return 3 * inputs.randn(*shape, seed=seed, dtype=dtype), inputs.randn(*shape, seed=seed + 1, dtype=dtype) - 1


@scenario("4.1")
def hidden_mse_cases(submission):
    results = {}
    for case, (_, _, _, layout) in HIDDEN_MSE_CASES.items():
        y_hat, y = hidden_mse_inputs(case)
        results[case] = submission.mse(families.transposed(y_hat) if layout == "transposed" else y_hat, y)
    return results


# --- 4.2 minibatches ---------------------------------------------------------------

HIDDEN_BATCH_CASES = {"eleven_by_three": (11, 3, 491), "twenty_by_six": (20, 6, 492), "two_by_two": (2, 2, 493)}


@scenario("4.2")
def hidden_batch_cases(submission):
    return {case: submission.minibatches(n, batch_size, inputs.generator(seed)) for case, (n, batch_size, seed) in HIDDEN_BATCH_CASES.items()}


# --- 4.3 SGD -----------------------------------------------------------------------

HIDDEN_SGD_PROBLEM = ((((5,), torch.float32), ((2, 3), torch.float64), ((3,), torch.float64), ((1,), torch.float32)), 601, 4900)
HIDDEN_SGD_STEPS = 7
HIDDEN_SGD_RUNS = {  # scenario: (arguments, lr change (step, lr) or None, kind of gradients)
    "hidden_sgd_nesterov_lr_change": ({"lr": 0.03, "momentum": 0.7, "weight_decay": 0.05, "nesterov": True}, (3, 0.01), "full"),
    "hidden_sgd_momentum_none_grads": ({"lr": 0.2, "momentum": 0.3}, None, "none"),
    "hidden_sgd_weight_decay_only": ({"lr": 0.07, "weight_decay": 0.3}, None, "full"),
}


def _hidden_sgd_scenario(name: str):
    config, lr_change, kind = HIDDEN_SGD_RUNS[name]

    def run(submission):
        make = lambda params: submission.SGD(params, **config)  # noqa: E731
        return run_sgd(submission, make, problem=HIDDEN_SGD_PROBLEM, steps=HIDDEN_SGD_STEPS, kind=kind, lr_change=lr_change)

    run.__name__ = name
    return scenario("4.3")(run)


for _name in HIDDEN_SGD_RUNS:
    _hidden_sgd_scenario(_name)


# --- 4.4 train_linear_regression ---------------------------------------------------

HIDDEN_REGRESSION_CASES = {  # case: (n, data seed, dtype, keyword arguments, generator seed)
    "float32_batches_of_three": (13, 495, torch.float32, {"lr": 0.15, "epochs": 4, "batch_size": 3}, 4901),
    "float64_full_batch": (25, 497, torch.float64, {"lr": 0.05, "epochs": 30}, None),
}


def hidden_regression_arguments(case: str):
    n, data_seed, dtype, kwargs, seed = HIDDEN_REGRESSION_CASES[case]
    x, y, a0 = lesson_data(n, data_seed, dtype)
    arguments = [("x", x), ("y", y - 1), ("a0", a0.flip(0)), *kwargs.items()]
    if seed is not None:
        arguments.append(("generator", inputs.generator(seed)))
    return arguments


def _hidden_regression_scenario(case: str):
    def run(submission):
        return train_run(submission, hidden_regression_arguments(case))

    run.__name__ = f"hidden_regression_{case}"
    return scenario("4.4")(run)


for _case in HIDDEN_REGRESSION_CASES:
    _hidden_regression_scenario(_case)
