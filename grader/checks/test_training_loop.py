"""Checks for unit 6, the whole training loop (`training_loop.py`).

Models are built in the scenario right after `torch.manual_seed(seed)` and
rebuilt the same way here (inside `torch.random.fork_rng`, so the grading
process's own random state is left alone). The expected epochs are replayed
with `torch.optim.SGD`, `LambdaLR` and `torch.randperm(...).split(...)`.
When a result is wrong, the checks replay a few known mistakes (no
`zero_grad`, a dropped last batch, a scheduler stepped per batch, ...) and
name the one that matches.

The scenarios, and the inputs both sides share, are in `grader/scenarios/training_loop.py`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch import nn

from grader import expect, inputs
from grader.expect import CheckFailure
from grader.scenarios.training_loop import (
    ACCURACY_CASES,
    EPOCHS,
    TRAININGS,
    add_stale_gradients,
    classifier_data,
)

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


@expect.oracle
def epoch_oracle(name: str, *, zero_grad: str = "before", drop_last: bool = False, shuffle: bool = True):
    """Replay one epoch; returns (state_dict, batch losses, batch sizes). The arguments replay mistakes."""
    seed, build, loss_fn, data, batch_size, generator, sgd, stale = EPOCHS[name]
    x, y = data()
    with torch.random.fork_rng(devices=[]):
        model = seeded(seed, build)
        optimizer = torch.optim.SGD(model.parameters(), **sgd)
        if stale:
            add_stale_gradients(model)
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


DEFAULTS = {"epochs": 20, "batch_size": 32, "lr0": 0.5, "decay": 0.01}


def fresh_model() -> nn.Module:
    return nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))


@expect.oracle
def classifier_oracle(name: str, *, schedule: str = "epoch", use_generator: bool = True):
    """Replay train_classifier; returns (state_dict, epoch losses). The arguments replay mistakes.

    `schedule`: "epoch" (right), "batch" (scheduler stepped per batch), "early"
    (epoch 0 already decayed), "none" (constant lr0).
    """
    seed, n, data_seed, kwargs, generator = TRAININGS[name]
    args = {**DEFAULTS, **kwargs}
    lr0, decay = args["lr0"], args["decay"]
    x, y = classifier_data(n, data_seed)
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
