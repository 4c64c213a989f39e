"""Checks for unit 4, stochastic gradient descent (`sgd.py`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/sgd.py`.
"""

import math

import pytest
import torch
import torch.nn.functional as F

from grader import expect, inputs
from grader.scenarios.sgd import (
    BATCH_CASES,
    GENERATOR_CONFIG,
    GLOBAL_SEED,
    LR_CHANGE,
    LR_CONFIG,
    MODEL_CONFIG,
    MODEL_STEPS,
    MSE_CASES,
    NEVER,
    REGRESSION_CASES,
    SGD_CONFIGS,
    SGD_SHAPES,
    SGD_STEPS,
    SKIPPED_STEP,
    SOMETIMES,
    ZERO_GRAD_CONFIG,
    lesson_data,
    linear_data,
    mse_inputs,
    sgd_gradient,
    sgd_start,
)


def _tolerance(dtype: torch.dtype) -> dict:
    return {"rtol": 1e-4, "atol": 1e-6} if dtype == torch.float32 else {"rtol": 1e-7, "atol": 1e-10}


def _close(got, want: torch.Tensor) -> bool:
    """Quietly: is `got` a tensor like `want`, element-wise close?"""
    if type(got) is not torch.Tensor or got.shape != want.shape:
        return False
    return bool(torch.isclose(got.double(), want.double(), **_tolerance(got.dtype)).all())


# Every check that tests a side property (dtype, inputs untouched, batch sizes,
# skipped params, leaves updated in place, zero_grad, no torch.optim, detached
# results) first requires the right result from the same scenario, so that a
# trivial answer earns nothing.

# --- 4.1 mse -----------------------------------------------------------------------

MSE_CALL = "mse(y_hat, y)"


def _what(case: str) -> str:
    shape, dtype, _ = MSE_CASES[case]
    return f"mse(y_hat, y) for {expect.dtype_text(dtype)} inputs of shape {expect.shape_text(shape)}"


def _zero_dimensional(result, case: str) -> torch.Tensor:
    result = expect.is_tensor(result, _what(case))
    if result.dim() != 0:
        expect.fail("wrong_shape", advice="advice_mean", what=_what(case), expected="()", got=expect.shape_text(result.shape))
    return result


def _check_mse(got, case: str) -> torch.Tensor:
    """The value of mse(y_hat, y) for one case is F.mse_loss's, in any dtype; summing is named."""
    y_hat, y = mse_inputs(case)
    result = _zero_dimensional(got[case]["result"], case)
    squared_sum = ((y_hat - y) ** 2).sum().reshape(())
    if result.numel() == 1 and _close(result.reshape(()), squared_sum):
        expect.fail("sum_instead_of_mean", advice="advice_mean", what=_what(case), n=y_hat.numel())
    return expect.tensor(result, F.mse_loss(y_hat, y), _what(case), check_dtype=False, **_tolerance(y_hat.dtype))


@pytest.mark.task("4.1", weight=2)
def test_matches_f_mse_loss(outcome):
    got = outcome("mse_of_several_shapes")
    for case in MSE_CASES:
        _check_mse(got, case)


@pytest.mark.task("4.1")
def test_returns_a_0d_tensor_in_the_input_dtype(outcome):
    got = outcome("mse_of_several_shapes")
    for case in MSE_CASES:
        shape, dtype, _ = MSE_CASES[case]
        result = _check_mse(got, case)
        if result.dtype != dtype:
            expect.fail("wrong_dtype", what=_what(case), expected=expect.dtype_text(dtype), got=expect.dtype_text(result.dtype))


@pytest.mark.task("4.1", weight=2)
def test_gradient_flows_back_to_y_hat(outcome):
    got = outcome("mse_backward")
    _zero_dimensional(got["result"], "matrix_float32")
    if not got["flows"] or got["grad"] is None:
        expect.fail("no_gradient_flow", advice="advice_stay_in_torch", what=MSE_CALL)
    y_hat, y = mse_inputs("matrix_float32")
    y_hat.requires_grad_(True)
    (want,) = torch.autograd.grad(F.mse_loss(y_hat, y), y_hat)
    if _close(got["grad"], want * y_hat.numel()):
        expect.fail("sum_instead_of_mean", advice="advice_mean", what="y_hat.grad after mse(y_hat, y).backward()", n=y_hat.numel())
    expect.tensor(got["grad"], want, "y_hat.grad after mse(y_hat, y).backward()", **_tolerance(y_hat.dtype))


@pytest.mark.task("4.1")
def test_leaves_y_hat_and_y_unchanged(outcome):
    got = outcome("mse_of_several_shapes")
    for case in MSE_CASES:
        _check_mse(got, case)
        y_hat, y = mse_inputs(case)
        expect.unchanged(got[case]["y_hat"], y_hat, "y_hat", MSE_CALL)
        expect.unchanged(got[case]["y"], y, "y", MSE_CALL)


# --- 4.2 minibatches ---------------------------------------------------------------


def _batches_call(n: int, batch_size: int, generator: str = "generator") -> str:
    return f"minibatches({n}, {batch_size}, {generator})" if generator else f"minibatches({n}, {batch_size})"


def _split(n: int, batch_size: int, generator: torch.Generator) -> list[torch.Tensor]:
    return list(torch.randperm(n, generator=generator).split(batch_size))


def _same_batches(got, expected: list[torch.Tensor]) -> bool:
    if type(got) not in (list, tuple) or len(got) != len(expected):
        return False
    return all(type(g) is torch.Tensor and g.shape == e.shape and torch.equal(g.long(), e) for g, e in zip(got, expected, strict=True))


def _check_batches(got, expected: list[torch.Tensor], what: str, mistakes: dict | None = None) -> None:
    """`got` holds the `expected` index tensors, in order; a known mistake is named."""
    if _same_batches(got, expected):
        if type(got) is tuple:  # the values are right; the type is judged by its own check
            return
        for index, (batch, want) in enumerate(zip(got, expected, strict=True)):
            expect.tensor(batch, want, f"batch {index} of {what}")
        return
    for key, (variant, advice) in (mistakes or {}).items():
        if _same_batches(got, variant):
            expect.fail(key, advice=advice, what=what)
    if type(got) not in (list, tuple):
        expect.fail("wrong_type", advice="advice_split", what=what, expected="list of tensors", got=expect.describe(got))
    if len(got) != len(expected):
        expect.fail("wrong_length", advice="advice_split", what=what, expected=len(expected), got=len(got))
    for index, (batch, want) in enumerate(zip(got, expected, strict=True)):
        expect.tensor(batch, want, f"batch {index} of {what}", advice="advice_pass_generator")


def _batch_mistakes(n: int, batch_size: int, expected: list[torch.Tensor], global_seed: int = GLOBAL_SEED) -> dict:
    mistakes = {
        "indices_not_shuffled": (list(torch.arange(n).split(batch_size)), "advice_pass_generator"),
        "randperm_ignores_generator": (_split(n, batch_size, inputs.generator(global_seed)), "advice_pass_generator"),
    }
    if len(expected[-1]) < batch_size:
        mistakes["last_batch_dropped"] = (expected[:-1], "advice_split")
    return mistakes


def _check_batch_case(outcome, case: str):
    """The batches of one case are the seeded permutation cut into chunks; a known mistake is named."""
    n, batch_size, seed = BATCH_CASES[case]
    expected = _split(n, batch_size, inputs.generator(seed))
    got = outcome(f"batches_{case}")
    _check_batches(got, expected, _batches_call(n, batch_size), _batch_mistakes(n, batch_size, expected))
    return got


@pytest.mark.task("4.2", weight=2)
def test_matches_seeded_randperm_cut_into_chunks(outcome):
    for case in BATCH_CASES:
        _check_batch_case(outcome, case)
    generator = inputs.generator(424)
    first, second = _split(7, 2, generator), _split(7, 2, generator)
    got = outcome("two_epochs_one_generator")
    _check_batches(got[0], first, "minibatches(7, 2, generator), first call")
    _check_batches(got[1], second, "minibatches(7, 2, generator), second call with the same generator")
    _check_batches(outcome("no_generator"), _split(8, 3, inputs.generator(426)), "minibatches(8, 3) after torch.manual_seed(426)")


@pytest.mark.task("4.2")
def test_keeps_the_shorter_last_batch(outcome):
    n, batch_size, _ = BATCH_CASES["shorter_last"]
    got = _check_batch_case(outcome, "shorter_last")
    what = _batches_call(n, batch_size)
    if type(got) not in (list, tuple):
        expect.fail("wrong_type", advice="advice_split", what=what, expected="list of tensors", got=expect.describe(got))
    sizes = [len(batch) if type(batch) is torch.Tensor else -1 for batch in got]
    if sizes == [batch_size] * (n // batch_size):
        expect.fail("last_batch_dropped", advice="advice_split", what=what)
    expect.equal(sizes, [4, 4, 2], f"the batch sizes of {what}", advice="advice_split")


@pytest.mark.task("4.2")
def test_follows_the_generator_not_the_global_seed(outcome):
    runs = outcome("same_seed_other_global_seeds")
    expected = _split(9, 4, inputs.generator(425))
    for run, global_seed in zip(runs, (1, 2), strict=True):
        what = f"minibatches(9, 4, generator) after torch.manual_seed({global_seed})"
        _check_batches(run, expected, what, _batch_mistakes(9, 4, expected, global_seed))


@pytest.mark.task("4.2")
def test_holds_every_index_exactly_once(outcome):
    for case, (n, batch_size, _) in BATCH_CASES.items():
        got = _check_batch_case(outcome, case)
        what = _batches_call(n, batch_size)
        if type(got) not in (list, tuple) or not got or any(type(b) is not torch.Tensor or b.dim() != 1 for b in got):
            expect.fail("wrong_type", advice="advice_split", what=what, expected="list of 1-d tensors", got=expect.describe(got))
        joined = torch.cat([b.long() if not b.is_floating_point() else b for b in got])
        if joined.is_floating_point() or not torch.equal(joined.sort().values, torch.arange(n)):
            expect.fail("wrong_indices", advice="advice_split", what=what, last=n - 1)


@pytest.mark.task("4.2")
def test_returns_a_list_of_long_tensors(outcome):
    for case, (n, batch_size, _) in BATCH_CASES.items():
        got = _check_batch_case(outcome, case)
        what = _batches_call(n, batch_size)
        if type(got) is not list:
            expect.fail("wrong_type", advice="advice_list", what=what, expected="list", got=expect.describe(got))
        for index, batch in enumerate(got):
            expect.is_tensor(batch, f"{what}[{index}]")
            if batch.dtype != torch.long:
                expect.fail("wrong_dtype", what=f"{what}[{index}]", expected="int64", got=expect.dtype_text(batch.dtype))


# --- 4.3 SGD -----------------------------------------------------------------------

SGD_NAMES = [f"params[{i}]" for i in range(len(SGD_SHAPES))]


def _sgd_call(config: dict) -> str:
    return "SGD(params, " + ", ".join(f"{key}={value}" for key, value in config.items()) + ")"


def torch_sgd_trajectory(config: dict, lr_change=None) -> list[list[torch.Tensor]]:
    """The oracle: torch.optim.SGD (dampening=0) on the same gradients."""
    params = [p.clone().requires_grad_(True) for p in sgd_start()]
    optimizer = torch.optim.SGD(params, dampening=0, **config)
    trajectory = []
    for step in range(SGD_STEPS):
        if lr_change is not None and step == lr_change[0]:
            optimizer.param_groups[0]["lr"] = lr_change[1]
        for i, param in enumerate(params):
            param.grad = sgd_gradient(i, step, param)
        optimizer.step()
        trajectory.append([param.detach().clone() for param in params])
    return trajectory


def mistaken_trajectory(config: dict, mistake: str, lr_change=None) -> list[list[torch.Tensor]]:
    """The trajectory of a known wrong optimizer, to name it in the feedback."""
    lr, momentum = config["lr"], config.get("momentum", 0.0)
    decay, nesterov = config.get("weight_decay", 0.0), config.get("nesterov", False)
    params, buffers, trajectory = sgd_start(), [None] * len(SGD_SHAPES), []
    for step in range(SGD_STEPS):
        if lr_change is not None and step == lr_change[0] and mistake != "lr_cached":
            lr = lr_change[1]
        for i, param in enumerate(params):
            grad = sgd_gradient(i, step, param)
            if grad is None:
                continue
            if mistake not in ("weight_decay_ignored", "weight_decay_after_momentum"):
                grad = grad + decay * param
            direction, scale = grad, lr
            if momentum:
                old = buffers[i]
                if mistake == "lr_in_buffer":
                    buffer, scale = (lr * grad if old is None else momentum * old + lr * grad), 1.0
                elif old is None or mistake == "momentum_not_kept":
                    buffer = grad.clone()
                elif mistake == "dampening_applied":
                    buffer = momentum * old + (1 - momentum) * grad
                else:
                    buffer = momentum * old + grad
                buffers[i] = buffer
                if nesterov and mistake == "nesterov_raw_gradient":
                    direction = grad - decay * param + momentum * buffer
                elif nesterov and mistake != "nesterov_ignored":
                    direction = grad + momentum * buffer
                else:
                    direction = buffer
            if mistake == "weight_decay_after_momentum":
                direction = direction + decay * param
            params[i] = param - scale * direction
        trajectory.append([param.clone() for param in params])
    return trajectory


def _matches(got, expected) -> bool:
    return (
        type(got) is list
        and len(got) == len(expected)
        and all(type(row) is list and len(row) == len(want) and all(_close(g, w) for g, w in zip(row, want, strict=True)) for row, want in zip(got, expected, strict=True))
    )


def _compare_trajectory(got, expected, what: str, names: list[str]) -> None:
    """Step by step, param by param; the first difference is reported with its step."""
    for step, (row, want_row) in enumerate(zip(got, expected, strict=True)):
        for name, value, want in zip(names, row, want_row, strict=True):
            if value.shape != want.shape or value.dtype != want.dtype:
                expect.tensor(value, want, f"{name} after step {step} of {what}")
            close = torch.isclose(value.double(), want.double(), **_tolerance(want.dtype))
            if not bool(close.all()):
                first = tuple(int(i) for i in (~close).nonzero()[0].tolist())
                expect.fail(
                    "trajectory_differs",
                    what=what,
                    step=step,
                    name=name,
                    index=expect.index_text(first),
                    got=expect.number_text(value[first].item()),
                    expected=expect.number_text(want[first].item()),
                )


def _sgd_outcome(outcome, name: str) -> dict:
    """The scenario's record, once it is clear that torch.optim.SGD was not used."""
    got = outcome(name)
    if got["subclass"]:
        expect.fail("subclasses_torch_sgd", advice="advice_no_torch_sgd", what="SGD")
    if got["forbidden"]:
        expect.fail("forbidden_call", advice="advice_no_torch_sgd", call="SGD", forbidden=", ".join(got["forbidden"]))
    if got["autograd_error"]:
        expect.fail("update_recorded_by_autograd", advice="advice_no_grad", call="SGD.step()", name="params")
    return got


SGD_ADVICE = {
    "momentum_not_kept": "advice_momentum_buffer",
    "dampening_applied": "advice_momentum_buffer",
    "weight_decay_ignored": "advice_weight_decay_first",
    "weight_decay_after_momentum": "advice_weight_decay_first",
    "nesterov_ignored": "advice_nesterov",
    "nesterov_raw_gradient": "advice_nesterov",
    "lr_cached": "advice_read_lr",
    "lr_in_buffer": "advice_read_lr",
}


SGD_MISTAKES = tuple(SGD_ADVICE)


def _check_sgd_run(outcome, config_name: str) -> None:
    got = _sgd_outcome(outcome, f"sgd_{config_name}")
    config = SGD_CONFIGS[config_name]
    what = _sgd_call(config)
    _check_trajectory(got["trajectory"], torch_sgd_trajectory(config), what, config)


def _check_trajectory(got, expected, what: str, config: dict, lr_change=None) -> None:
    """Compare with torch.optim.SGD; when it differs, name a known mistake whose trajectory matches."""
    try:
        _compare_trajectory(got, expected, what, SGD_NAMES)
    except expect.CheckFailure:
        for mistake in SGD_MISTAKES:
            if _matches(got, mistaken_trajectory(config, mistake, lr_change)):
                expect.fail(mistake, advice=SGD_ADVICE[mistake], what=what)
        if all(value.dtype == start.dtype and torch.equal(value, start) for value, start in zip(got[0], sgd_start(), strict=True)):
            expect.fail("not_updated_in_place", advice="advice_no_grad", call=f"{what}.step()", name="params")
        raise


@pytest.mark.task("4.3", weight=2)
def test_plain_steps_match_torch_sgd(outcome):
    _check_sgd_run(outcome, "plain")


@pytest.mark.task("4.3", weight=2)
def test_momentum_matches_torch_sgd(outcome):
    _check_sgd_run(outcome, "momentum")


@pytest.mark.task("4.3", weight=2)
def test_weight_decay_matches_torch_sgd(outcome):
    for config_name in ("weight_decay", "momentum_weight_decay"):
        _check_sgd_run(outcome, config_name)


@pytest.mark.task("4.3", weight=2)
def test_nesterov_matches_torch_sgd(outcome):
    for config_name in ("nesterov", "nesterov_weight_decay"):
        _check_sgd_run(outcome, config_name)


def _check_changed_lr_run(outcome) -> None:
    got = _sgd_outcome(outcome, "sgd_changed_lr")
    what = _sgd_call(LR_CONFIG) + f" with param_groups[0]['lr'] = {LR_CHANGE[1]} from step {LR_CHANGE[0]}"
    if got["param_groups"] != "ok":
        expect.fail("no_param_groups", advice="advice_param_groups", what="SGD", got=got["param_groups"])
    expected = torch_sgd_trajectory(LR_CONFIG, LR_CHANGE)
    _check_trajectory(got["trajectory"], expected, what, LR_CONFIG, LR_CHANGE)


def _check_generator_run(outcome) -> None:
    got = _sgd_outcome(outcome, "sgd_generator_of_params")
    config = SGD_CONFIGS[GENERATOR_CONFIG]
    what = _sgd_call(config).replace("params", "(p for p in params)", 1)
    expected = torch_sgd_trajectory(config)
    listed = outcome(f"sgd_{GENERATOR_CONFIG}")
    if not listed["forbidden"] and not listed["autograd_error"] and _matches(listed["trajectory"], expected):
        if not _matches(got["trajectory"], expected):
            expect.fail("generator_walked_twice", advice="advice_walk_once", call=what, name="params")
    _check_trajectory(got["trajectory"], expected, what, config)


def _check_model_run(outcome) -> None:
    got = _sgd_outcome(outcome, "sgd_model_parameters")
    weight, bias, x, target = linear_data()
    leaves = [weight.clone().requires_grad_(True), bias.clone().requires_grad_(True)]
    optimizer = torch.optim.SGD(leaves, dampening=0, **MODEL_CONFIG)
    expected = []
    for _ in range(MODEL_STEPS):
        optimizer.zero_grad()
        F.mse_loss(F.linear(x, *leaves), target).backward()
        optimizer.step()
        expected.append([leaf.detach().clone() for leaf in leaves])
    what = _sgd_call(MODEL_CONFIG).replace("params", "model.parameters()", 1)
    _compare_trajectory(got["trajectory"], expected, what, ["model.weight", "model.bias"])


def _check_zero_grad_run(outcome) -> dict:
    """The steps before zero_grad() match torch.optim.SGD."""
    got = _sgd_outcome(outcome, "sgd_zero_grad")
    config = SGD_CONFIGS[ZERO_GRAD_CONFIG]
    _check_trajectory(got["trajectory"], torch_sgd_trajectory(config), _sgd_call(config), config)
    return got


@pytest.mark.task("4.3")
def test_changed_lr_applies_from_the_next_step(outcome):
    _check_changed_lr_run(outcome)


@pytest.mark.task("4.3")
def test_skips_params_without_grad(outcome):
    for config_name in SGD_CONFIGS:
        _check_sgd_run(outcome, config_name)
        got = _sgd_outcome(outcome, f"sgd_{config_name}")
        call = _sgd_call(SGD_CONFIGS[config_name]) + ".step()"
        start = sgd_start()
        for step, row in enumerate(got["trajectory"]):
            if not torch.equal(row[NEVER], start[NEVER]):
                expect.fail("changed_without_grad", advice="advice_skip_none_grad", call=call, name=f"{SGD_NAMES[NEVER]} (step {step})")
        before, after = got["trajectory"][SKIPPED_STEP - 1][SOMETIMES], got["trajectory"][SKIPPED_STEP][SOMETIMES]
        if not torch.equal(before, after):
            expect.fail("changed_without_grad", advice="advice_skip_none_grad", call=call, name=f"{SGD_NAMES[SOMETIMES]} (step {SKIPPED_STEP})")


@pytest.mark.task("4.3")
def test_accepts_a_generator_of_params(outcome):
    _check_generator_run(outcome)
    _check_model_run(outcome)


@pytest.mark.task("4.3")
def test_zero_grad_clears_every_gradient(outcome):
    got = _check_zero_grad_run(outcome)
    for name, value, before, grad in zip(SGD_NAMES, got["values"], got["trajectory"][-1], got["grads"], strict=True):
        if grad is not None and not (type(grad) is torch.Tensor and not bool(grad.any())):
            expect.fail("grad_not_cleared", advice="advice_clear_grad", call="optimizer.zero_grad()", name=name)
        if not torch.equal(value, before):
            expect.fail("parameters_changed", call="optimizer.zero_grad()", name=name)


@pytest.mark.task("4.3")
def test_params_stay_leaves_updated_in_place(outcome):
    _check_sgd_run(outcome, "momentum")
    got = _sgd_outcome(outcome, "sgd_momentum")
    call = _sgd_call(SGD_CONFIGS["momentum"]) + ".step()"
    for name, leaf, requires_grad, has_grad_fn in zip(SGD_NAMES, got["is_leaf"], got["requires_grad"], got["grad_fn"], strict=True):
        if has_grad_fn:
            expect.fail("recorded_by_autograd", advice="advice_no_grad", call=call, name=name)
        if not (leaf and requires_grad):
            expect.fail("not_same_tensor", advice="advice_no_grad", call=call, name=name)
    if torch.equal(got["trajectory"][-1][0], sgd_start()[0]):
        expect.fail("not_updated_in_place", advice="advice_no_grad", call=call, name=SGD_NAMES[0])


@pytest.mark.task("4.3", weight=2)
def test_does_not_use_torch_optim_sgd(outcome, forbidden_uses):
    for config_name in SGD_CONFIGS:
        _check_sgd_run(outcome, config_name)
    _check_changed_lr_run(outcome)
    _check_generator_run(outcome)
    _check_model_run(outcome)
    _check_zero_grad_run(outcome)
    names = [f"sgd_{config_name}" for config_name in SGD_CONFIGS]
    for name in [*names, "sgd_changed_lr", "sgd_generator_of_params", "sgd_model_parameters", "sgd_zero_grad"]:
        got = outcome(name)
        if got["subclass"]:
            expect.fail("subclasses_torch_sgd", advice="advice_no_torch_sgd", what="SGD")
        if got["forbidden"]:
            expect.fail("forbidden_call", advice="advice_no_torch_sgd", call="SGD", forbidden=", ".join(got["forbidden"]))
    if found := forbidden_uses("torch_optim"):  # read from the source: nothing at run time can hide it
        expect.fail("forbidden_call", advice="advice_no_torch_sgd", call="SGD", forbidden=", ".join(found))


# --- 4.4 train_linear_regression ---------------------------------------------------


def _regression_call(case: str) -> str:
    _, _, dtype, kwargs, seed = REGRESSION_CASES[case]
    arguments = ["x", "y", "a0", *(f"{key}={value}" for key, value in kwargs.items())]
    if seed is not None:
        arguments.append("generator=g")
    return f"train_linear_regression({', '.join(arguments)}) on {expect.dtype_text(dtype)} data"


@expect.oracle
def regression_oracle(case: str, mistake: str | None = None):
    """Gradient descent on the mean squared error in float64, with dL/da = 2·xᵀ(x·a − y)/n.

    Mini-batches follow torch.randperm(n, generator=g).split(batch_size), drawn
    anew in every epoch. `mistake` recomputes a known wrong version.
    """
    n, data_seed, dtype, kwargs, seed = REGRESSION_CASES[case]
    x, y, a = (t.double() for t in lesson_data(n, data_seed, dtype))
    lr, epochs, batch_size = kwargs.get("lr", 0.1), kwargs.get("epochs", 100), kwargs.get("batch_size")
    generator = inputs.generator(GLOBAL_SEED if mistake == "randperm_ignores_generator" else seed) if batch_size else None
    losses, accumulated, first_order = [], torch.zeros_like(a), None
    for _ in range(epochs):
        if batch_size is None:
            batches = [torch.arange(n)]
        elif mistake == "same_order_every_epoch" and first_order is not None:
            batches = first_order
        else:
            batches = first_order = list(torch.randperm(n, generator=generator).split(batch_size))
        if mistake == "last_batch_dropped" and len(batches[-1]) < batch_size:
            batches = batches[:-1]
        for indices in batches:
            xb, yb = x[indices], y[indices]
            scale = 1 if mistake == "regression_sum_loss" else len(indices)
            residual = xb @ a - yb
            loss = (residual**2).sum() / scale
            grad = 2 * xb.T @ residual / scale
            accumulated = accumulated + grad if mistake == "grad_never_zeroed" else grad
            a = a - lr * accumulated
            if mistake == "loss_after_update":
                loss = ((xb @ a - yb) ** 2).sum() / scale
            losses.append(float(loss))
    return a, losses


REGRESSION_ADVICE = {
    "grad_never_zeroed": "advice_clear_grad",
    "loss_after_update": "advice_loss_before_update",
    "regression_sum_loss": "advice_mean",
    "randperm_ignores_generator": "advice_pass_generator",
    "same_order_every_epoch": "advice_new_batches_each_epoch",
    "last_batch_dropped": "advice_split",
}


def _losses_close(got, want: list[float], dtype: torch.dtype) -> bool:
    tolerance = _tolerance(dtype)
    if type(got) is not list or len(got) != len(want):
        return False
    return all(
        isinstance(item, float | int) and not isinstance(item, bool) and math.isclose(item, w, rel_tol=tolerance["rtol"], abs_tol=tolerance["atol"])
        for item, w in zip(got, want, strict=True)
    )


def _floats(losses, what: str) -> None:
    """A list whose items are floats, or the precise complaint (tensors need .item())."""
    if type(losses) is not list:
        expect.fail("wrong_type", what=what, expected="list of floats", got=expect.describe(losses))
    for index, item in enumerate(losses):
        if type(item) is not float:
            expect.fail("wrong_item_type", advice="advice_item", what=what, index=index, expected="float", got=expect.describe(item))


def _regression_outcome(outcome, case: str) -> dict:
    got = outcome(f"regression_{case}")
    if got["forbidden"]:
        expect.fail("forbidden_call", advice="advice_no_grad", call="train_linear_regression", forbidden=", ".join(got["forbidden"]))
    if got["autograd_error"]:
        expect.fail("update_recorded_by_autograd", advice="advice_no_grad", call="train_linear_regression", name="a")
    return got


def _check_regression(outcome, case: str, mistakes: tuple[str, ...]) -> None:
    got = _regression_outcome(outcome, case)
    dtype = REGRESSION_CASES[case][2]
    call = _regression_call(case)
    expect.sequence(got["value"], 2, f"the result of {call}", kinds=(tuple, list))
    a, losses = got["value"]
    want_a, want_losses = regression_oracle(case)
    tolerance = _tolerance(dtype)
    try:
        if type(losses) is list and len(losses) != len(want_losses):
            expect.fail("wrong_length", advice="advice_one_loss_per_step", what=f"losses from {call}", expected=len(want_losses), got=len(losses))
        _floats(losses, f"losses from {call}")
        expect.numbers(losses, want_losses, f"losses from {call}", **tolerance)
        expect.tensor(a, want_a.to(dtype), f"a from {call}", **tolerance)
    except expect.CheckFailure as failure:
        if failure.key in ("wrong_length", "wrong_item", "wrong_values"):
            for mistake in mistakes:
                other_a, other_losses = regression_oracle(case, mistake)
                if _losses_close(losses, other_losses, dtype) and _close(a, other_a.to(dtype)):
                    expect.fail(mistake, advice=REGRESSION_ADVICE[mistake], what=call)
        raise


FULL_BATCH_MISTAKES = ("grad_never_zeroed", "loss_after_update", "regression_sum_loss")
MINIBATCH_MISTAKES = (*FULL_BATCH_MISTAKES, "randperm_ignores_generator", "same_order_every_epoch", "last_batch_dropped")


def _check_regression_case(outcome, case: str) -> None:
    """The run of one case matches the recomputed descent; a known mistake is named."""
    batch_size = REGRESSION_CASES[case][3].get("batch_size")
    _check_regression(outcome, case, FULL_BATCH_MISTAKES if batch_size is None else MINIBATCH_MISTAKES)


@pytest.mark.task("4.4", weight=2)
def test_full_batch_run_matches_recomputed_descent(outcome):
    _check_regression(outcome, "full_batch_float32", FULL_BATCH_MISTAKES)


@pytest.mark.task("4.4")
def test_lesson_defaults_match_recomputed_descent(outcome):
    _check_regression(outcome, "lesson_defaults", FULL_BATCH_MISTAKES)


@pytest.mark.task("4.4", weight=2)
def test_minibatch_runs_match_recomputed_sgd(outcome):
    for case in ("minibatches_shorter_last", "one_sample_batches_float32"):
        _check_regression(outcome, case, MINIBATCH_MISTAKES)


@pytest.mark.task("4.4")
def test_returns_a_detached_a_like_a0(outcome):
    for case in REGRESSION_CASES:
        _check_regression_case(outcome, case)
        got = _regression_outcome(outcome, case)
        call = _regression_call(case)
        expect.sequence(got["value"], 2, f"the result of {call}", kinds=(tuple, list))
        a = got["value"][0]
        expect.detached(a, f"a from {call}")
        a0 = got["a0"]
        if a.shape != a0.shape:
            expect.fail("wrong_shape", what=f"a from {call}", expected=expect.shape_text(a0.shape), got=expect.shape_text(a.shape))
        if a.dtype != a0.dtype:
            expect.fail("wrong_dtype", what=f"a from {call}", expected=expect.dtype_text(a0.dtype), got=expect.dtype_text(a.dtype))


@pytest.mark.task("4.4")
def test_losses_are_floats_one_per_step(outcome):
    for case in REGRESSION_CASES:
        _check_regression_case(outcome, case)
        got = _regression_outcome(outcome, case)
        call = _regression_call(case)
        expect.sequence(got["value"], 2, f"the result of {call}", kinds=(tuple, list))
        losses = got["value"][1]
        _floats(losses, f"losses from {call}")
        expected = len(regression_oracle(case)[1])
        if len(losses) != expected:
            expect.fail("wrong_length", advice="advice_one_loss_per_step", what=f"losses from {call}", expected=expected, got=len(losses))


@pytest.mark.task("4.4")
def test_leaves_x_y_and_a0_unchanged(outcome):
    for case in REGRESSION_CASES:
        _check_regression_case(outcome, case)
        got = _regression_outcome(outcome, case)
        n, data_seed, dtype, _, _ = REGRESSION_CASES[case]
        x, y, a0 = lesson_data(n, data_seed, dtype)
        for name, before in (("a0", a0), ("x", x), ("y", y)):
            expect.unchanged(got[name], before, name, "train_linear_regression")


@pytest.mark.task("4.4")
def test_does_not_use_torch_optim(outcome, forbidden_uses):
    for case in REGRESSION_CASES:
        _check_regression_case(outcome, case)
        got = outcome(f"regression_{case}")
        if got["forbidden"]:
            expect.fail("forbidden_call", advice="advice_no_grad", call="train_linear_regression", forbidden=", ".join(got["forbidden"]))
    if found := forbidden_uses("optimizers"):  # read from the source: nothing at run time can hide it
        expect.fail("forbidden_call", advice="advice_no_grad", call="train_linear_regression", forbidden=", ".join(found))
