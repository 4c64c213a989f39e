"""Checks for unit 6, the whole training loop (`training_loop.py`).

Models are built in the scenario right after `torch.manual_seed(seed)` and
rebuilt the same way here (inside `torch.random.fork_rng`, so the grading
process's own random state is left alone). The expected epochs are replayed
with `torch.optim.SGD`, `LambdaLR` and `torch.randperm(...).split(...)`.
When a result is wrong, the checks replay a few known mistakes (no
`zero_grad`, a dropped last batch, a scheduler stepped per batch, ...) and
name the one that matches.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch import nn

from grader import expect, inputs
from grader.expect import CheckFailure
from grader.scenarios import scenario

STATE_RTOL, STATE_ATOL = 1e-4, 1e-6
LOSS_RTOL, LOSS_ATOL = 1e-5, 1e-7


def seeded(seed: int, build: Callable[[], nn.Module]) -> nn.Module:
    """`build()` right after `torch.manual_seed(seed)`, as the scenario does."""
    torch.manual_seed(seed)
    return build()


def states_close(got: object, expected: dict[str, torch.Tensor]) -> bool:
    if type(got) is not dict or set(got) != set(expected):
        return False
    return all(
        type(got[k]) is torch.Tensor
        and got[k].shape == expected[k].shape
        and bool(torch.allclose(got[k].double(), expected[k].double(), rtol=STATE_RTOL, atol=STATE_ATOL))
        for k in expected
    )


def losses_close(got: object, expected: list[float]) -> bool:
    if type(got) is not list or len(got) != len(expected):
        return False
    return all(
        isinstance(g, float | int) and not isinstance(g, bool) and abs(g - e) <= LOSS_ATOL + LOSS_RTOL * abs(e)
        for g, e in zip(got, expected, strict=True)
    )


def compare_state(got: object, expected: dict[str, torch.Tensor], call: str) -> None:
    """`got` is the state_dict after `call`: the same keys, each tensor close to the expected one."""
    expect.mapping(got, list(expected), f"model.state_dict() after {call}")
    for key, value in expected.items():
        expect.tensor(got[key], value, f"model.state_dict()[{key!r}] after {call}", rtol=STATE_RTOL, atol=STATE_ATOL)


def named_mistake(compare: Callable[[], None], replays: list[tuple[str, str | None, Callable[[], bool]]], what: str) -> None:
    """Run `compare`; when the values are wrong, name the first replayed mistake that matches them."""
    try:
        compare()
    except CheckFailure as failure:
        if failure.key in ("wrong_values", "wrong_item", "wrong_number"):
            for key, advice, matches in replays:
                if matches():
                    expect.fail(key, advice=advice, what=what)
        raise


# Every check of a side property (inputs untouched) first requires the right
# result, so that a trivial answer earns nothing.

# --- 6.1 train_epoch -----------------------------------------------------------------


def _classifier() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3))


def _regressor() -> nn.Module:
    return nn.Linear(4, 2)


# name: (seed, build, loss_fn, data, batch_size, generator seed or None, SGD arguments, stale gradients)
EPOCHS = {
    "classifier_epoch": (61, _classifier, nn.CrossEntropyLoss, lambda: (inputs.randn(24, 6, seed=611, dtype=torch.float32), inputs.classes(24, 3, seed=612)), 6, 613, {"lr": 0.5}, False),
    "regression_short_last_batch": (62, _regressor, nn.MSELoss, lambda: (inputs.randn(10, 4, seed=621, dtype=torch.float32), inputs.randn(10, 2, seed=622, dtype=torch.float32)), 4, None, {"lr": 0.1, "momentum": 0.5}, False),
    "stale_gradients": (63, _classifier, nn.CrossEntropyLoss, lambda: (inputs.randn(15, 6, seed=631, dtype=torch.float32), inputs.classes(15, 3, seed=632)), 5, 633, {"lr": 0.5}, True),
}


def _stale(model: nn.Module) -> None:
    for i, p in enumerate(model.parameters()):
        p.grad = torch.full_like(p, 0.5 * (-1) ** i)


def _run_epoch(submission, name: str) -> dict:
    seed, build, loss_fn, data, batch_size, generator, sgd, stale = EPOCHS[name]
    x, y = data()
    torch.manual_seed(seed)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), **sgd)
    if stale:
        _stale(model)
    loss = submission.train_epoch(model, loss_fn(), optimizer, x, y, batch_size, None if generator is None else inputs.generator(generator))
    return {"loss": loss, "state": dict(model.state_dict()), "x": x, "y": y}


@scenario("6.1")
def classifier_epoch(submission):
    return _run_epoch(submission, "classifier_epoch")


@scenario("6.1")
def regression_short_last_batch(submission):
    return _run_epoch(submission, "regression_short_last_batch")


@scenario("6.1")
def stale_gradients(submission):
    return _run_epoch(submission, "stale_gradients")


def epoch_oracle(name: str, *, zero_grad: str = "before", drop_last: bool = False, shuffle: bool = True):
    """Replay one epoch; returns (state_dict, batch losses, batch sizes). The arguments replay mistakes."""
    seed, build, loss_fn, data, batch_size, generator, sgd, stale = EPOCHS[name]
    x, y = data()
    with torch.random.fork_rng(devices=[]):
        model = seeded(seed, build)
        optimizer = torch.optim.SGD(model.parameters(), **sgd)
        if stale:
            _stale(model)
        criterion = loss_fn()
        gen = None if generator is None else inputs.generator(generator)
        order = torch.randperm(len(x), generator=gen) if shuffle else torch.arange(len(x))
        batches = list(order.split(batch_size))
        if drop_last and len(batches[-1]) < batch_size:
            batches.pop()
        losses, sizes = [], []
        for idx in batches:
            if zero_grad == "before":
                optimizer.zero_grad()
            loss = criterion(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            if zero_grad == "after":
                optimizer.zero_grad()
            losses.append(loss.item())
            sizes.append(len(idx))
        return {k: v.clone() for k, v in model.state_dict().items()}, losses, sizes


def _call(name: str) -> str:
    seed, build, loss_fn, data, batch_size, generator, sgd, stale = EPOCHS[name]
    n = len(data()[0])
    return f"train_epoch with {loss_fn.__name__}, N={n}, batch_size={batch_size}" + (", stale gradients on the model" if stale else "")


def _check_epoch_state(outcome, name: str) -> None:
    what = f"model.state_dict() after {_call(name)}"
    expected, _, _ = epoch_oracle(name)
    got = outcome(name)["state"]
    seed, build, loss_fn, data, batch_size, generator, sgd, stale = EPOCHS[name]
    replays = [
        ("stale_gradients_used", "advice_zero_grad", lambda: stale and states_close(got, epoch_oracle(name, zero_grad="after")[0])),
        ("grads_accumulate_batches", "advice_zero_grad", lambda: states_close(got, epoch_oracle(name, zero_grad="never")[0])),
        ("last_batch_dropped", None, lambda: states_close(got, epoch_oracle(name, drop_last=True)[0])),
        ("batches_not_shuffled", None, lambda: states_close(got, epoch_oracle(name, shuffle=False)[0])),
    ]
    named_mistake(lambda: compare_state(got, expected, _call(name)), replays, what)


@pytest.mark.task("6.1", weight=2)
def test_parameters_match_one_epoch_of_minibatch_sgd(outcome):
    _check_epoch_state(outcome, "classifier_epoch")


@pytest.mark.task("6.1")
def test_shorter_last_batch_is_kept(outcome):
    _check_epoch_state(outcome, "regression_short_last_batch")


@pytest.mark.task("6.1")
def test_stale_gradients_are_cleared_before_each_backward(outcome):
    _check_epoch_state(outcome, "stale_gradients")


@pytest.mark.task("6.1", weight=2)
def test_returns_mean_of_batch_losses_as_float(outcome):
    for name in ("classifier_epoch", "regression_short_last_batch"):
        got = outcome(name)["loss"]
        _, losses, sizes = epoch_oracle(name)
        what = f"the value returned by {_call(name)}"

        def returns(value: float, got=got) -> bool:
            return losses_close([got], [value])

        def mean_of(replay: dict, name=name) -> float:
            replayed = epoch_oracle(name, **replay)[1]
            return sum(replayed) / len(replayed)

        weighted = sum(loss * size for loss, size in zip(losses, sizes, strict=True)) / sum(sizes)
        replays = [
            ("loss_is_last_batch", None, lambda returns=returns, losses=losses: returns(losses[-1])),
            ("loss_is_sum", None, lambda returns=returns, losses=losses: returns(sum(losses))),
            ("loss_weighted_by_size", None, lambda returns=returns, weighted=weighted: returns(weighted)),
            ("grads_accumulate_batches", "advice_zero_grad", lambda returns=returns, mean_of=mean_of: returns(mean_of({"zero_grad": "never"}))),
            ("last_batch_dropped", None, lambda returns=returns, mean_of=mean_of: returns(mean_of({"drop_last": True}))),
            ("batches_not_shuffled", None, lambda returns=returns, mean_of=mean_of: returns(mean_of({"shuffle": False}))),
        ]
        expected = sum(losses) / len(losses)
        named_mistake(lambda got=got, what=what, expected=expected: expect.number(got, expected, what, rtol=LOSS_RTOL, atol=LOSS_ATOL), replays, what)


@pytest.mark.task("6.1")
def test_leaves_x_and_y_unchanged(outcome):
    for name in EPOCHS:
        _check_epoch_state(outcome, name)
        got = outcome(name)
        x, y = EPOCHS[name][3]()
        expect.unchanged(got["x"], x, "x", "train_epoch")
        expect.unchanged(got["y"], y, "y", "train_epoch")


# --- 6.2 accuracy --------------------------------------------------------------------


def _one_hot(target: torch.Tensor, classes: int, dtype: torch.dtype) -> torch.Tensor:
    return torch.nn.functional.one_hot(target, classes).to(dtype)


def _mixed32():
    return inputs.randn(12, 4, seed=621, dtype=torch.float32), inputs.classes(12, 4, seed=622)


def _mixed64():
    return inputs.randn(9, 3, seed=623), inputs.classes(9, 3, seed=624)


def _ties():
    logits = torch.tensor([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [3.0, 3.0, 3.0], [0.0, 1.0, 0.0], [5.0, -1.0, 5.0]], dtype=torch.float64)
    return logits, torch.tensor([0, 2, 0, 1, 0])


def _all_right():
    target = inputs.classes(7, 3, seed=625)
    return inputs.randn(7, 3, seed=626, dtype=torch.float32) + 6 * _one_hot(target, 3, torch.float32), target


def _none_right():
    target = inputs.classes(8, 5, seed=627)
    return inputs.randn(8, 5, seed=628) - 10 * _one_hot(target, 5, torch.float64), target


ACCURACY_CASES = {
    "mixed_float32": (_mixed32, "12 rows of float32 logits"),
    "mixed_float64": (_mixed64, "9 rows of float64 logits"),
    "ties": (_ties, "logits with ties in some rows"),
    "all_right": (_all_right, "logits where every row is right"),
    "none_right": (_none_right, "logits where no row is right"),
}


def _accuracy_scenario(submission, name):
    logits, target = ACCURACY_CASES[name][0]()
    return {"result": submission.accuracy(logits, target), "logits": logits, "target": target}


@scenario("6.2")
def mixed_float32(submission):
    return _accuracy_scenario(submission, "mixed_float32")


@scenario("6.2")
def mixed_float64(submission):
    return _accuracy_scenario(submission, "mixed_float64")


@scenario("6.2")
def ties(submission):
    return _accuracy_scenario(submission, "ties")


@scenario("6.2")
def all_right(submission):
    return _accuracy_scenario(submission, "all_right")


@scenario("6.2")
def none_right(submission):
    return _accuracy_scenario(submission, "none_right")


def first_max_index(row: list[float]) -> int:
    return row.index(max(row))


def count_right(logits: torch.Tensor, target: torch.Tensor, pick: Callable[[list[float]], int] = first_max_index) -> int:
    return sum(pick(row) == t for row, t in zip(logits.tolist(), target.tolist(), strict=True))


def _check_accuracy(outcome, name: str) -> None:
    build, description = ACCURACY_CASES[name]
    logits, target = build()
    got = outcome(name)["result"]
    what = f"accuracy(logits, target) for {description}"
    n = len(target)
    right = count_right(logits, target)

    def argmin(row: list[float]) -> int:
        return row.index(min(row))

    def tie_counts(row: list[float], t: int) -> bool:
        return row[t] == max(row)

    ties_right = sum(tie_counts(row, t) for row, t in zip(logits.tolist(), target.tolist(), strict=True))
    replays = [
        ("accuracy_is_count", None, lambda: right != 1 and losses_close([got], [float(right)])),
        ("accuracy_argmin", None, lambda: losses_close([got], [count_right(logits, target, argmin) / n])),
        ("accuracy_ties_counted", None, lambda: losses_close([got], [ties_right / n])),
    ]
    named_mistake(lambda: expect.number(got, right / n, what, rtol=1e-9, atol=1e-12), replays, what)
    if type(got) is not float:
        expect.fail("wrong_type", what=what, expected="float", got=expect.describe(got))


@pytest.mark.task("6.2", weight=2)
def test_fraction_of_rows_whose_argmax_is_the_target(outcome):
    _check_accuracy(outcome, "mixed_float32")
    _check_accuracy(outcome, "mixed_float64")


@pytest.mark.task("6.2")
def test_all_right_is_one_and_none_right_is_zero(outcome):
    _check_accuracy(outcome, "all_right")
    _check_accuracy(outcome, "none_right")


@pytest.mark.task("6.2")
def test_ties_go_to_the_first_maximal_logit(outcome):
    _check_accuracy(outcome, "ties")


@pytest.mark.task("6.2")
def test_leaves_logits_and_target_unchanged(outcome):
    for name, (build, _) in ACCURACY_CASES.items():
        _check_accuracy(outcome, name)
        logits, target = build()
        got = outcome(name)
        expect.unchanged(got["logits"], logits, "logits", "accuracy(logits, target)")
        expect.unchanged(got["target"], target, "target", "accuracy(logits, target)")


# --- 6.3 train_classifier --------------------------------------------------------------

ARCHITECTURE = ["Linear(16, 8)", "ReLU()", "Linear(8, 4)", "ReLU()", "Linear(4, 2)"]


def _data(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = inputs.randn(n, 16, seed=seed, dtype=torch.float32)
    return x, (x[:, 0] + x[:, 1] - x[:, 2] > 0).long()


# name: (seed, N, data seed, keyword arguments, generator seed or None)
TRAININGS = {
    "trained": (631, 80, 632, {"epochs": 3, "batch_size": 24, "lr0": 0.3, "decay": 0.5}, 633),
    "untrained": (634, 40, 635, {"epochs": 0, "batch_size": 16, "lr0": 0.3, "decay": 0.5}, 636),
    "defaults": (637, 64, 638, {}, None),
}
DEFAULTS = {"epochs": 20, "batch_size": 32, "lr0": 0.5, "decay": 0.01}


def describe_model(model) -> dict:
    """What crosses back about the returned model: its type, layers, and parameters."""
    if not isinstance(model, nn.Module):
        return {"module": False, "type": type(model).__name__}
    layers = [
        f"Linear({m.in_features}, {m.out_features})" if isinstance(m, nn.Linear) else f"{type(m).__name__}()"
        for m in model.children()
    ]
    return {"module": True, "type": type(model).__name__, "layers": layers, "state": dict(model.state_dict())}


def _train(submission, name: str) -> dict:
    seed, n, data_seed, kwargs, generator = TRAININGS[name]
    x, y = _data(n, data_seed)
    if generator is not None:
        kwargs = {**kwargs, "generator": inputs.generator(generator)}
    torch.manual_seed(seed)
    result = submission.train_classifier(x, y, **kwargs)
    found = {"kind": expect.describe(result), "length": len(result) if type(result) in (tuple, list) else None}
    if type(result) in (tuple, list) and len(result) == 2:
        found["model"] = describe_model(result[0])
        found["losses"] = result[1]
    return found


@scenario("6.3")
def trained(submission):
    return _train(submission, "trained")


@scenario("6.3")
def untrained(submission):
    return _train(submission, "untrained")


@scenario("6.3")
def defaults(submission):
    return _train(submission, "defaults")


def fresh_model() -> nn.Module:
    return nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))


def classifier_oracle(name: str, *, schedule: str = "epoch", use_generator: bool = True):
    """Replay train_classifier; returns (state_dict, epoch losses). The arguments replay mistakes.

    `schedule`: "epoch" (right), "batch" (scheduler stepped per batch), "early"
    (epoch 0 already decayed), "none" (constant lr0).
    """
    seed, n, data_seed, kwargs, generator = TRAININGS[name]
    args = {**DEFAULTS, **kwargs}
    lr0, decay = args["lr0"], args["decay"]
    x, y = _data(n, data_seed)
    gen = inputs.generator(generator) if generator is not None and use_generator else None
    with torch.random.fork_rng(devices=[]):
        model = seeded(seed, fresh_model)
        optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1 / (1 + decay * epoch))
        criterion = nn.CrossEntropyLoss()
        losses, step = [], 0
        for epoch in range(args["epochs"]):
            if schedule == "early":
                optimizer.param_groups[0]["lr"] = lr0 / (1 + decay * (epoch + 1))
            elif schedule == "none":
                optimizer.param_groups[0]["lr"] = lr0
            batch_losses = []
            for idx in torch.randperm(n, generator=gen).split(args["batch_size"]):
                optimizer.zero_grad()
                loss = criterion(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
                batch_losses.append(loss.item())
                if schedule == "batch":
                    step += 1
                    optimizer.param_groups[0]["lr"] = lr0 / (1 + decay * step)
            if schedule == "epoch":
                scheduler.step()
            losses.append(sum(batch_losses) / len(batch_losses))
        return {k: v.clone() for k, v in model.state_dict().items()}, losses


def _classifier_call(name: str) -> str:
    seed, n, data_seed, kwargs, generator = TRAININGS[name]
    shown = ", ".join(f"{k}={v:g}" for k, v in kwargs.items())
    return f"train_classifier(x, y{', ' + shown if shown else ''}{', generator=g' if generator is not None else ''}) with N={n}"


def _returned(outcome, name: str) -> dict:
    """The scenario's findings, once the result is known to be `(model, losses)` with a module."""
    found = outcome(name)
    call = _classifier_call(name)
    if found["length"] is None:
        expect.fail("wrong_type", what=call, expected="tuple (model, losses)", got=found["kind"])
    if found["kind"] != "tuple" or found["length"] != 2:
        expect.fail("wrong_type", what=call, expected="tuple (model, losses)", got=f"{found['kind']} of length {found['length']}")
    model = found["model"]
    if not model["module"]:
        expect.fail("wrong_type", what=f"the model returned by {call}", expected="torch.nn.Module", got=model["type"])
    return found


def _mistakes(name: str, matches: Callable[[tuple[dict, list[float]]], bool]) -> list:
    seed, n, data_seed, kwargs, generator = TRAININGS[name]
    replays = [
        ("scheduler_per_batch", None, lambda: matches(classifier_oracle(name, schedule="batch"))),
        ("decay_from_epoch_one", None, lambda: matches(classifier_oracle(name, schedule="early"))),
        ("lr_never_decays", None, lambda: matches(classifier_oracle(name, schedule="none"))),
    ]
    if generator is not None:
        replays.append(("generator_ignored", None, lambda: matches(classifier_oracle(name, use_generator=False))))
    return replays


@pytest.mark.task("6.3")
def test_returns_a_model_and_one_float_loss_per_epoch(outcome):
    for name in ("trained", "untrained"):
        found = _returned(outcome, name)
        losses = found["losses"]
        what = f"the losses returned by {_classifier_call(name)}"
        epochs = TRAININGS[name][3]["epochs"]
        if type(losses) is not list:
            expect.fail("wrong_type", what=what, expected="list of floats", got=expect.describe(losses))
        if len(losses) != epochs:
            expect.fail("wrong_length", what=what, expected=epochs, got=len(losses))
        for index, item in enumerate(losses):
            if type(item) is not float:
                expect.fail("wrong_item_type", what=what, index=index, expected="float", got=expect.describe(item))


@pytest.mark.task("6.3")
def test_architecture_is_16_8_4_2_with_relu(outcome):
    model = _returned(outcome, "trained")["model"]
    expected = f"Sequential({', '.join(ARCHITECTURE)})"
    got = f"{model['type']}({', '.join(model['layers'])})"
    if got != expected:
        expect.fail("wrong_architecture", expected=expected, got=got)


@pytest.mark.task("6.3")
def test_model_is_built_first_with_default_initialisation(outcome):
    state = _returned(outcome, "untrained")["model"]["state"]
    expected, _ = classifier_oracle("untrained")
    expect.mapping(state, list(expected), f"model.state_dict() returned by {_classifier_call('untrained')}")
    for key, value in expected.items():
        got = state[key]
        if type(got) is not torch.Tensor or got.shape != value.shape or not torch.allclose(got.double(), value.double(), rtol=STATE_RTOL, atol=STATE_ATOL):
            expect.fail("initial_weights_differ", name=key)


@pytest.mark.task("6.3", weight=2)
def test_epoch_losses_match_sgd_with_time_based_decay(outcome):
    name = "trained"
    got = _returned(outcome, name)["losses"]
    _, expected = classifier_oracle(name)
    what = f"the epoch losses of {_classifier_call(name)}"
    replays = _mistakes(name, lambda replay: losses_close(got, replay[1]))
    named_mistake(lambda: expect.numbers(got, expected, what, rtol=LOSS_RTOL, atol=LOSS_ATOL), replays, what)


@pytest.mark.task("6.3", weight=2)
def test_final_parameters_match_sgd_with_time_based_decay(outcome):
    name = "trained"
    state = _returned(outcome, name)["model"]["state"]
    expected, _ = classifier_oracle(name)
    call = _classifier_call(name)
    replays = _mistakes(name, lambda replay: states_close(state, replay[0]))
    named_mistake(lambda: compare_state(state, expected, call), replays, f"model.state_dict() after {call}")


@pytest.mark.task("6.3")
def test_default_arguments(outcome):
    name = "defaults"
    found = _returned(outcome, name)
    expected_state, expected_losses = classifier_oracle(name)
    call = _classifier_call(name)
    losses, state = found["losses"], found["model"]["state"]
    what = f"the epoch losses of {call}"
    replays = _mistakes(name, lambda replay: losses_close(losses, replay[1]))
    named_mistake(lambda: expect.numbers(losses, expected_losses, what, rtol=LOSS_RTOL, atol=LOSS_ATOL), replays, what)
    compare_state(state, expected_state, call)
