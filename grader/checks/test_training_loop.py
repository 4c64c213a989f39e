"""Checks for unit 6, the whole training loop (`training_loop.py`).

Models are built in the scenario right after `torch.manual_seed(seed)` and
rebuilt the same way here (inside `torch.random.fork_rng`, so the grading
process's own random state is left alone). The expected epochs are replayed
with `torch.optim.SGD`, `LambdaLR` and `torch.randperm(...).split(...)`.
When a result is wrong, the checks replay known mistakes (`kit.Mistake`: no
`zero_grad`, a dropped last batch, eval mode, a restarted generator, a
scheduler stepped per batch, ...) and name the one that matches; when only one
family of inputs breaks it (keyword calls, views, a partial `loss_fn`, a
model with buffers, logits near ±1000, a second call), the failure carries
that condition (`kit.when`).

The scenarios, and the inputs both sides share, are in `grader/scenarios/training_loop.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import torch
from torch import nn

from grader import inputs
from grader.checks import kit
from grader.scenarios import load_unit
from grader.scenarios.families import call_text
from grader.scenarios.training_loop import (
    ACCURACY_CASES,
    CLASSIFIER_PARAMETERS,
    DEFAULTS,
    EPOCH_PARAMETERS,
    EPOCHS,
    LOSS_CODE,
    LOSSES,
    TRAININGS,
    Epochs,
    Training,
    add_stale_gradients,
    classifier_arguments,
    classifier_data,
    epoch_arguments,
    state_of,
)

# The judge expects a result from every scenario of a task, the hidden ones
# included where this copy of the grader has them (`load_unit` loads both).
load_unit("training_loop")

# Losses and accuracies are Python floats; one computed in float32 (a float32
# tensor's .item(), numpy.float32) is a right answer: judge at float32's tolerance.
FLOAT = kit.tolerance(torch.float32)


def code(name: str) -> str:
    """A bare name in a sentence, marked as code (`x`), so that no language reads it as a word of its own."""
    return f"`{name}`"


def seeded(seed: int, build: Callable[[], nn.Module]) -> nn.Module:
    """`build()` right after `torch.manual_seed(seed)`, as the scenario does."""
    torch.manual_seed(seed)
    return build()


# --- shared: a call that raised, floats and states with named mistakes -------------------

UNEXPECTED_KEYWORD = re.compile(r"unexpected keyword argument|missing \d+ required positional argument|got multiple values for argument")
NUMPY_WITH_GRAD = "Can't call numpy() on Tensor that requires grad"


def succeeded(found: dict, call: str, conditions: Sequence[kit.Condition] = (), signature: str = "") -> Any:
    """The value a call returned; if it raised instead, fail with the condition it raised under."""
    raised = found["raised"]
    if raised is None:
        return found["value"] if "value" in found else found
    location = {"file": raised["file"], "line": raised["line"], "code": raised["code"]}
    if signature and raised["error_type"] == "TypeError" and UNEXPECTED_KEYWORD.search(raised["message"]):
        kit.fail("training_loop_keyword_call_failed", advice="training_loop_advice_signature", call=call, signature=signature, conditions=conditions)
    if raised["file"] and NUMPY_WITH_GRAD in raised["message"]:
        kit.fail("training_loop_numpy_requires_grad", advice="training_loop_advice_stay_in_torch", call=call, conditions=conditions, **location)
    if raised["file"]:
        kit.fail("training_loop_raised_at", advice="advice_raised", call=call, error_type=raised["error_type"], message=raised["message"], conditions=conditions, **location)
    kit.fail("training_loop_raised", call=call, error_type=raised["error_type"], message=raised["message"], conditions=conditions)


def gives(value: float) -> Callable[[Any], bool]:
    return lambda got: kit.close_number(got, value, rtol=FLOAT.rtol, atol=FLOAT.atol)


def number_mistake(key: str, got: Any, wrong: float | None, what: str, expected: float, advice: str | None = None) -> list[kit.Mistake]:
    """The mistake that gives `wrong` instead of `expected`, as a list: empty when it cannot be told from the right answer."""
    if wrong is None or gives(wrong)(expected):
        return []
    return [kit.Mistake(key, gives(wrong), advice, {"what": what, "got": kit.number_text(got), "expected": kit.number_text(expected)})]


def check_float(got: Any, expected: float, what: str, mistakes: Sequence[kit.Mistake] | Callable[[], Sequence[kit.Mistake]] = (), conditions: Sequence[kit.Condition] = ()) -> None:
    """`got` is the float `expected`; if not, a known mistake that explains it is named."""
    if not kit.close_number(got, expected, rtol=FLOAT.rtol, atol=FLOAT.atol):
        kit.diagnose(got, mistakes, conditions)
    kit.number(got, expected, what, rtol=FLOAT.rtol, atol=FLOAT.atol, conditions=conditions)


def states_close(got: Any, expected: dict[str, torch.Tensor]) -> bool:
    return type(got) is dict and set(got) == set(expected) and all(kit.close(got[key], value) for key, value in expected.items())


def state_entry(key: str, parameters: Sequence[str]) -> str:
    """A state_dict entry as the code that reads it: `model.get_parameter('0.weight')`."""
    kind = "parameter" if key in parameters else "buffer"
    return f"model.get_{kind}({key!r})"


def compare_state(got: Any, expected: dict[str, torch.Tensor], parameters: Sequence[str], mistakes: Sequence[kit.Mistake] | Callable[[], Sequence[kit.Mistake]], conditions: Sequence[kit.Condition]) -> None:
    """`got` is the model's state_dict: the same entries, each close to the expected one; a known mistake is named."""
    if not states_close(got, expected):
        kit.diagnose(got, mistakes, conditions)
    kit.mapping(got, list(expected), "model.state_dict()", conditions)
    for key, value in expected.items():
        kit.tensor(got[key], value, state_entry(key, parameters), conditions=conditions)


def state_mistake(key: str, advice: str | None, wrong: dict[str, torch.Tensor], expected: dict[str, torch.Tensor]) -> list[kit.Mistake]:
    if states_close(wrong, expected):
        return []
    return [kit.Mistake(key, lambda got: states_close(got, wrong), advice, {"what": "model.state_dict()"})]


# --- 6.1 train_epoch -----------------------------------------------------------------


def epoch_spec(name: str) -> Epochs:
    """A scenario's calls of train_epoch, hidden ones included."""
    if name in EPOCHS:
        return EPOCHS[name]
    from grader.scenarios.hidden.training_loop import HIDDEN_EPOCHS

    return HIDDEN_EPOCHS[name]


EPOCH_SIGNATURE = "train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None)"
TRAIN_EPOCH = "train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator)"


@kit.oracle
def epochs_oracle(
    name: str, *, zero_grad: str = "before", drop_last: bool = False, shuffle: bool = True, eval_mode: bool = False,
    forwards: int = 1, restart_generator: bool = False, fresh_generator: bool = False, reseed: bool = False,
) -> dict:  # fmt: skip
    """Replay the calls of scenario `name`: per call, the state after it, its batch losses and sizes. The options replay mistakes."""
    spec = epoch_spec(name)
    x, y = spec.data()
    with torch.random.fork_rng(devices=[]):
        model = seeded(spec.seed, spec.build).to(spec.dtype)
        optimizer = torch.optim.SGD(model.parameters(), **spec.sgd)
        if spec.stale:
            add_stale_gradients(model)
        if eval_mode:
            model.eval()
        loss_fn = LOSSES[spec.loss]()
        generator = inputs.generator(spec.generator)
        calls = []
        for use in spec.plan:
            if use:
                source = inputs.generator(spec.generator) if restart_generator else generator
            else:
                source = torch.Generator() if fresh_generator else None
                if reseed:
                    torch.manual_seed(0)
            order = torch.randperm(len(x), generator=source) if shuffle else torch.arange(len(x))
            batches = list(order.split(spec.batch_size))
            if drop_last and len(batches[-1]) < spec.batch_size:
                batches.pop()
            losses, sizes = [], []
            for indices in batches:
                if zero_grad == "before":
                    optimizer.zero_grad()
                for _ in range(forwards - 1):
                    model(x[indices])
                loss = loss_fn(model(x[indices]), y[indices])
                loss.backward()
                optimizer.step()
                if zero_grad == "after":
                    optimizer.zero_grad()
                losses.append(loss.item())
                sizes.append(len(indices))
            calls.append({"state": state_of(model), "losses": losses, "sizes": sizes})
        return {"calls": calls, "parameters": [key for key, _ in model.named_parameters()]}


STATE_REPLAYS = [
    ("stale_gradients_used", "advice_zero_grad", {"zero_grad": "after"}),
    ("grads_accumulate_batches", "advice_zero_grad", {"zero_grad": "never"}),
    ("last_batch_dropped", None, {"drop_last": True}),
    ("batches_not_shuffled", None, {"shuffle": False}),
    ("training_loop_eval_mode", "training_loop_advice_train_mode", {"eval_mode": True}),
    ("training_loop_extra_forward", "training_loop_advice_one_forward", {"forwards": 2}),
    ("training_loop_generator_restarted", "training_loop_advice_draw_from_generator", {"restart_generator": True}),
    ("training_loop_fresh_generator", "training_loop_advice_pass_none_on", {"fresh_generator": True}),
    ("training_loop_reseeded", "training_loop_advice_pass_none_on", {"reseed": True}),
]


def epoch_code(spec: Epochs, use: bool) -> str:
    """The call as code: `train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, 6, generator)`."""
    if spec.style != "positional":
        return call_text("train_epoch", epoch_arguments(spec, *EPOCH_PARAMETERS[:5], "generator" if use else None), spec.style)
    return f"train_epoch(model, {LOSS_CODE[spec.loss]}, optimizer, x, y, {spec.batch_size}{', generator' if use else ''})"


def call_conditions(spec: Epochs, index: int) -> list[kit.Condition]:
    """What is special about call `index` of a scenario: no generator, the same generator again, a second call."""
    use = spec.plan[index]
    if not use:
        return [kit.when("no_generator")]
    if index and any(spec.plan[:index]):
        return [kit.when("training_loop_generator_again")]
    return [kit.when("second_call")] if index else []


def losses_before(name: str) -> list[float]:
    """The batch losses of every call the task process made before scenario `name` (scenarios run in this order, hidden ones last)."""
    from grader.scenarios import scenarios_for

    earlier: list[float] = []
    for other in scenarios_for("6.1"):
        if other == name:
            break
        earlier += [loss for call in epochs_oracle(other)["calls"] for loss in call["losses"]]
    return earlier


def check_epochs(outcome, name: str, family: Sequence[kit.Condition] = ()) -> None:
    """Every call of scenario `name` trained the model as one epoch of mini-batch SGD, and returned its mean batch loss."""
    spec = epoch_spec(name)
    expected = epochs_oracle(name)
    parameters = expected["parameters"]
    found = outcome(name)["calls"]
    earlier = losses_before(name)
    for index, (use, run) in enumerate(zip(spec.plan, found, strict=False)):
        call = epoch_code(spec, use)
        conditions = [*family, *call_conditions(spec, index)]
        got = succeeded(run, call, conditions, signature=EPOCH_SIGNATURE if spec.style != "positional" else "")
        want = expected["calls"][index]
        def mistakes(index=index, want=want) -> list[kit.Mistake]:
            found = []
            for key, advice, replay in STATE_REPLAYS:
                if key == "stale_gradients_used" and not spec.stale:
                    continue
                found += state_mistake(key, advice, epochs_oracle(name, **replay)["calls"][index]["state"], want["state"])
            return found

        compare_state(run["state"], want["state"], parameters, mistakes, [*conditions, kit.when("after_step", call=call)])
        check_epoch_loss(got, name, index, call, conditions, earlier)
        earlier += want["losses"]


def check_epoch_loss(got: Any, name: str, index: int, call: str, conditions: Sequence[kit.Condition], earlier: Sequence[float] = ()) -> None:
    """`got` is the mean of call `index`'s batch losses; the sum, the last one, a weighted mean and others are named."""
    want = epochs_oracle(name)["calls"][index]
    losses, sizes = want["losses"], want["sizes"]
    expected = sum(losses) / len(losses)
    def mistakes() -> list[kit.Mistake]:
        found = (
            number_mistake("loss_is_last_batch", got, losses[-1], call, expected)
            + number_mistake("loss_is_sum", got, sum(losses), call, expected)
            + number_mistake("loss_weighted_by_size", got, sum(loss * size for loss, size in zip(losses, sizes, strict=True)) / sum(sizes), call, expected)
            + number_mistake("training_loop_losses_kept", got, (sum(earlier) + sum(losses)) / (len(earlier) + len(losses)) if earlier else None, call, expected, "training_loop_advice_local_state")
        )  # fmt: skip
        for key, advice, replay in STATE_REPLAYS:
            replayed = epochs_oracle(name, **replay)["calls"][index]["losses"]
            found += number_mistake(key, got, sum(replayed) / len(replayed), call, expected, advice)
        return found

    check_float(got, expected, call, mistakes, conditions)


@pytest.mark.task("6.1", weight=2)
def test_parameters_match_one_epoch_of_minibatch_sgd(outcome):
    check_epochs(outcome, "classifier_epoch")


@pytest.mark.task("6.1")
def test_shorter_last_batch_is_kept(outcome):
    check_epochs(outcome, "regression_short_last_batch")


@pytest.mark.task("6.1")
def test_stale_gradients_are_cleared_before_each_backward(outcome):
    check_epochs(outcome, "stale_gradients")


@pytest.mark.task("6.1", weight=2)
def test_returns_mean_of_batch_losses_as_float(outcome):
    for name in ("classifier_epoch", "regression_short_last_batch"):
        spec = EPOCHS[name]
        run = outcome(name)["calls"][0]
        call = epoch_code(spec, spec.plan[0])
        check_epoch_loss(succeeded(run, call), name, 0, call, [], losses_before(name))


LOSS_CONDITIONS = {
    "loss_function": lambda: kit.when("training_loop_function", name=code("loss_fn"), value="F.cross_entropy"),
    "loss_partial": lambda: kit.when("partial", name=code("loss_fn")),
    "loss_lambda": lambda: kit.when("lambda", name=code("loss_fn")),
}


@pytest.mark.task("6.1")
def test_loss_fn_may_be_any_callable(outcome):
    for name, condition in LOSS_CONDITIONS.items():
        check_epochs(outcome, name, [condition()])


@pytest.mark.task("6.1")
def test_model_with_buffers_trains_in_train_mode(outcome):
    spec = EPOCHS["buffers"]
    for index, call in enumerate(outcome("buffers")["calls"]):
        if call["raised"] is None and not call["training"]:
            conditions = [kit.when("buffers"), *call_conditions(spec, index)]
            kit.fail("training_loop_left_in_eval_mode", advice="training_loop_advice_train_mode", call=epoch_code(spec, True), conditions=conditions)
    check_epochs(outcome, "buffers", [kit.when("buffers")])


@pytest.mark.task("6.1")
def test_x_and_y_may_be_views(outcome):
    check_epochs(outcome, "views", [kit.when("transposed", name=code("x")), kit.when("strided", name=code("y"))])


@pytest.mark.task("6.1")
def test_keyword_and_mixed_calls_use_the_contract_names(outcome):
    for name in ("keywords", "mixed"):
        check_epochs(outcome, name, [kit.when("keywords", call=epoch_code(EPOCHS[name], True))])


@pytest.mark.task("6.1")
def test_float64_model_and_data(outcome):
    check_epochs(outcome, "float64", [kit.when("dtype", dtype="float64")])


@pytest.mark.task("6.1")
def test_without_a_generator_the_global_random_state_shuffles(outcome):
    check_epochs(outcome, "with_and_without_generator")


@pytest.mark.task("6.1")
def test_a_second_epoch_goes_on_with_the_generator(outcome):
    check_epochs(outcome, "two_epochs")


@pytest.mark.task("6.1")
def test_leaves_x_and_y_unchanged(outcome):
    for name in ("classifier_epoch", "regression_short_last_batch", "views"):
        check_epochs(outcome, name)
        found = outcome(name)
        x, y = EPOCHS[name].data()
        kit.unchanged(found["x"]["values"], x, code("x"), TRAIN_EPOCH)
        kit.unchanged(found["y"]["values"], y, code("y"), TRAIN_EPOCH)


@pytest.mark.task("6.1", hidden=True)
def test_hidden_epochs(outcome):
    from grader.scenarios.hidden.training_loop import HIDDEN_EPOCHS

    for name in HIDDEN_EPOCHS:
        check_epochs(outcome, name)


# --- 6.2 accuracy --------------------------------------------------------------------

ACCURACY = "accuracy(logits, target)"


def first_max_index(row: list[float]) -> int:
    return row.index(max(row))


def accuracy_of(predictions: torch.Tensor, target: torch.Tensor) -> float:
    return float((predictions == target).double().mean())


def case_conditions(name: str) -> list[kit.Condition]:
    family = ACCURACY_CASES[name][1]
    if family is None:
        return []
    key, params = family
    return [kit.when(key, **{field: code(value) if field == "name" else value for field, value in params.items()})]


def check_accuracy(
    got: Any, logits: torch.Tensor, target: torch.Tensor, what: str, conditions: Sequence[kit.Condition] = (), earlier: Sequence[tuple] = (),
) -> None:  # fmt: skip
    """`got` is the fraction of rows whose first maximal logit is the target; known mistakes are named."""
    rows, classes = logits.tolist(), target.tolist()
    n = len(classes)
    right = count_right(logits, target)
    expected = right / n
    ties = sum(row[t] == max(row) for row, t in zip(rows, classes, strict=True))
    wide = logits.float()
    overflowed = [torch.sigmoid(wide), wide.exp() / wide.exp().sum(dim=1, keepdim=True)]
    mistakes = number_mistake("accuracy_is_count", got, float(right) if n > 1 and right != 1 else None, what, expected)
    if earlier:
        before = sum(count_right(*call) for call in earlier)
        rows_before = sum(len(call[1]) for call in earlier)
        mistakes += number_mistake("training_loop_accuracy_kept", got, (before + right) / (rows_before + n), what, expected, "training_loop_advice_local_state")
    for probabilities in overflowed:
        mistakes += number_mistake("training_loop_accuracy_overflow", got, accuracy_of(probabilities.argmax(dim=1), target), what, expected, "training_loop_advice_argmax_logits")
    mistakes += (
        number_mistake("training_loop_accuracy_argmin", got, accuracy_of(logits.argmin(dim=1), target), what, expected)
        + number_mistake("accuracy_ties_counted", got, ties / n, what, expected)
        + number_mistake("training_loop_accuracy_wrong_dim", got, accuracy_of(logits.argmax(dim=0), target) if logits.shape[0] == logits.shape[1] else None, what, expected)
    )  # fmt: skip
    # Last: a 0 that integer division explains may have another cause named above.
    mistakes += number_mistake("training_loop_accuracy_integer_division", got, float(right // n), what, expected)
    check_float(got, expected, what, mistakes, conditions)


def count_right(logits: torch.Tensor, target: torch.Tensor) -> int:
    return sum(first_max_index(row) == t for row, t in zip(logits.tolist(), target.tolist(), strict=True))


def calls_before(name: str) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The inputs of every accuracy call the task process made before case `name`'s (scenarios run in this order, hidden ones last)."""
    from grader.scenarios import scenarios_for

    earlier = []
    for other in scenarios_for("6.2"):
        if other == "second_call":
            earlier.append(ACCURACY_CASES["mixed_float64"][0]())  # made inside the scenario, before its own call
        if other == name:
            break
        if other == "hidden_accuracies":
            from grader.scenarios.hidden.training_loop import HIDDEN_ACCURACIES

            earlier += HIDDEN_ACCURACIES()
        else:
            earlier.append(ACCURACY_CASES[other][0]())
    return earlier


def _case_is_right(outcome, name: str) -> dict:
    logits, target = ACCURACY_CASES[name][0]()
    conditions = case_conditions(name)
    what = "accuracy(logits=logits, target=target)" if name == "keywords" else ACCURACY
    found = outcome(name)
    got = succeeded(found, what, conditions, signature=ACCURACY if name == "keywords" else "")
    check_accuracy(got, logits, target, what, conditions, calls_before(name))
    return found


@pytest.mark.task("6.2", weight=2)
def test_fraction_of_rows_whose_argmax_is_the_target(outcome):
    for name in ("square", "mixed_float32", "mixed_float64"):
        _case_is_right(outcome, name)


@pytest.mark.task("6.2")
def test_all_right_is_one_and_none_right_is_zero(outcome):
    _case_is_right(outcome, "all_right")
    _case_is_right(outcome, "none_right")


@pytest.mark.task("6.2")
def test_ties_go_to_the_first_maximal_logit(outcome):
    _case_is_right(outcome, "ties")


@pytest.mark.task("6.2")
def test_logits_near_plus_and_minus_1000_keep_their_argmax(outcome):
    _case_is_right(outcome, "near_plus_1000")
    _case_is_right(outcome, "near_minus_1000")


@pytest.mark.task("6.2")
def test_a_single_row(outcome):
    _case_is_right(outcome, "one_row")


@pytest.mark.task("6.2")
def test_views_give_the_same_accuracy(outcome):
    for name in ("transposed_logits", "strided_target", "expanded_logits"):
        _case_is_right(outcome, name)


@pytest.mark.task("6.2")
def test_logits_requiring_grad_are_only_read(outcome):
    found = _case_is_right(outcome, "logits_require_grad")
    conditions = case_conditions("logits_require_grad")
    view = found["logits"]
    if not view["requires_grad"]:
        kit.fail("training_loop_requires_grad_changed", advice="advice_copy_input", call=ACCURACY, name="logits", before=True, after=False, conditions=conditions)
    if view["grad"] is not None:
        kit.fail("training_loop_grad_touched", advice="training_loop_advice_no_backward", call=ACCURACY, name="logits", conditions=conditions)


@pytest.mark.task("6.2")
def test_logits_and_target_may_be_passed_by_keyword(outcome):
    _case_is_right(outcome, "keywords")


@pytest.mark.task("6.2")
def test_a_second_call_counts_only_its_own_rows(outcome):
    _case_is_right(outcome, "second_call")


@pytest.mark.task("6.2")
def test_leaves_logits_and_target_unchanged(outcome):
    for name in ("square", "mixed_float32", "ties", "transposed_logits", "logits_require_grad"):
        found = _case_is_right(outcome, name)
        logits, target = ACCURACY_CASES[name][0]()
        kit.unchanged(found["logits"]["values"], logits, code("logits"), ACCURACY, case_conditions(name))
        kit.unchanged(found["target"]["values"], target, code("target"), ACCURACY, case_conditions(name))


@pytest.mark.task("6.2", hidden=True)
def test_hidden_accuracies(outcome):
    from grader.scenarios.hidden.training_loop import HIDDEN_ACCURACIES

    earlier = calls_before("hidden_accuracies")
    for (logits, target), run in zip(HIDDEN_ACCURACIES(), outcome("hidden_accuracies"), strict=True):
        check_accuracy(succeeded(run, ACCURACY), logits, target, ACCURACY, (), earlier)
        earlier.append((logits, target))


# --- 6.3 train_classifier --------------------------------------------------------------

ARCHITECTURE = ["Linear(16, 8)", "ReLU()", "Linear(8, 4)", "ReLU()", "Linear(4, 2)"]
CLASSIFIER_SIGNATURE = "train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None)"


def fresh_model() -> nn.Module:
    return nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))


def training_spec(name: str) -> Training:
    """A scenario's call of train_classifier, hidden ones included."""
    if name in TRAININGS:
        return TRAININGS[name]
    from grader.scenarios.hidden.training_loop import HIDDEN_TRAININGS

    return HIDDEN_TRAININGS[name]


@kit.oracle
def classifier_oracle(name: str, *, schedule: str = "epoch", use_generator: bool = True, fresh_generator: bool = False, reseed: bool = False) -> dict:
    """Replay train_classifier; the state and the epoch losses. The options replay mistakes.

    `schedule`: "epoch" (right), "batch" (decayed after every batch), "early"
    (epoch 0 already decayed), "none" (constant lr0).
    """
    spec = training_spec(name)
    args = {**DEFAULTS, **spec.kwargs}
    lr0, decay = args["lr0"], args["decay"]
    x, y = classifier_data(spec.n, spec.data_seed)
    if spec.generator is not None and use_generator:
        generator = inputs.generator(spec.generator)
    else:
        generator = torch.Generator() if fresh_generator else None
    with torch.random.fork_rng(devices=[]):
        model = seeded(0 if reseed and spec.generator is None else spec.seed, fresh_model)
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
            for indices in torch.randperm(spec.n, generator=generator).split(args["batch_size"]):
                optimizer.zero_grad()
                loss = criterion(model(x[indices]), y[indices])
                loss.backward()
                optimizer.step()
                batch_losses.append(loss.item())
                if schedule == "batch":
                    step += 1
                    optimizer.param_groups[0]["lr"] = lr0 / (1 + decay * step)
            if schedule == "epoch":
                scheduler.step()
            losses.append(sum(batch_losses) / len(batch_losses))
        return {"state": state_of(model), "losses": losses, "parameters": [key for key, _ in model.named_parameters()]}


CLASSIFIER_REPLAYS = [
    ("scheduler_per_batch", None, {"schedule": "batch"}),
    ("training_loop_decay_from_epoch_one", None, {"schedule": "early"}),
    ("lr_never_decays", None, {"schedule": "none"}),
    ("generator_ignored", None, {"use_generator": False}),
    ("training_loop_fresh_generator", "training_loop_advice_pass_none_on", {"fresh_generator": True, "use_generator": False}),
    ("training_loop_reseeded", "training_loop_advice_pass_none_on", {"reseed": True}),
]


def classifier_code(spec: Training) -> str:
    """The call as code, with the values of the arguments given: `train_classifier(x, y, epochs=3, …, generator=generator)`."""
    arguments = classifier_arguments(spec, "x", "y", "generator" if spec.generator is not None else None)
    parts = []
    for index, (key, value) in enumerate(arguments):
        shown = value if isinstance(value, str) else f"{value:g}"
        parts.append(shown if spec.style == "positional" or index < 2 and spec.style != "keywords" else f"{key}={shown}")
    return f"train_classifier({', '.join(parts)})"


def spec_conditions(name: str) -> list[kit.Condition]:
    spec = TRAININGS[name]
    if name == "defaults":
        return [kit.when("defaults", call="train_classifier(x, y)")]
    if spec.style in ("positional", "keywords"):
        return [kit.when(spec.style, call=call_text("train_classifier", [(key, None) for key in CLASSIFIER_PARAMETERS], spec.style))]
    if spec.layout:
        return [kit.when("transposed", name=code("x")), kit.when("strided", name=code("y"))]
    return []


def returned(found: dict, call: str, conditions: Sequence[kit.Condition] = (), signature: str = "") -> dict:
    """The scenario's findings, once the result is known to be `(model, losses)` with a module."""
    succeeded(found, call, conditions, signature)
    if found["length"] is None:
        kit.fail("wrong_type", what=call, expected="tuple (model, losses)", got=found["kind"], conditions=conditions)
    if found["kind"] != "tuple" or found["length"] != 2:
        kit.fail("wrong_type", what=call, expected="tuple (model, losses)", got=f"{found['kind']} of length {found['length']}", conditions=conditions)
    if not found["model"]["module"]:
        kit.fail("wrong_type", what=f"{call}[0]", expected="torch.nn.Module", got=found["model"]["type"], conditions=conditions)
    return found


def check_losses(got: Any, name: str, call: str, conditions: Sequence[kit.Condition]) -> None:
    expected = classifier_oracle(name)["losses"]
    what = f"{call}[1]"

    def mistakes() -> list[kit.Mistake]:
        found = []
        for key, advice, replay in CLASSIFIER_REPLAYS:
            wrong = classifier_oracle(name, **replay)["losses"]
            if not kit.close(torch.tensor(wrong, dtype=torch.float64), torch.tensor(expected, dtype=torch.float64), rtol=FLOAT.rtol, atol=FLOAT.atol):
                found.append(kit.Mistake(key, lambda got, wrong=wrong: _losses_close(got, wrong), advice, {"what": what}))
        if expected:
            found.append(kit.Mistake("training_loop_losses_kept", lambda got: type(got) is list and len(got) > len(expected) and _losses_close(got[-len(expected):], expected), "training_loop_advice_local_state", {"what": what}))
        return found

    if not _losses_close(got, expected):
        kit.diagnose(got, mistakes, conditions)
    kit.numbers(got, expected, what, rtol=FLOAT.rtol, atol=FLOAT.atol, conditions=conditions)


def _losses_close(got: Any, expected: list[float]) -> bool:
    return type(got) is list and len(got) == len(expected) and all(kit.close_number(g, e, rtol=FLOAT.rtol, atol=FLOAT.atol) for g, e in zip(got, expected, strict=True))


def check_trained(found: dict, name: str, call: str, conditions: Sequence[kit.Condition]) -> None:
    expected = classifier_oracle(name)
    def mistakes() -> list[kit.Mistake]:
        return [
            mistake
            for key, advice, replay in CLASSIFIER_REPLAYS
            for mistake in state_mistake(key, advice, classifier_oracle(name, **replay)["state"], expected["state"])
        ]

    compare_state(found["model"]["state"], expected["state"], expected["parameters"], mistakes, [*conditions, kit.when("after_step", call=call)])


def check_classifier(outcome, name: str, index: int = 0, extra: Sequence[kit.Condition] = ()) -> dict:
    """Call `index` of scenario `name` returned the model and epoch losses of SGD with time-based decay."""
    spec = TRAININGS[name]
    call = classifier_code(spec)
    conditions = [*spec_conditions(name), *extra]
    found = returned(outcome(name)[index], call, conditions, CLASSIFIER_SIGNATURE)
    check_losses(found["losses"], name, call, conditions)
    check_trained(found, name, call, conditions)
    return found


@pytest.mark.task("6.3")
def test_returns_a_model_and_one_float_loss_per_epoch(outcome):
    for name in ("trained", "untrained"):
        spec = TRAININGS[name]
        call = classifier_code(spec)
        losses = returned(outcome(name)[0], call, signature=CLASSIFIER_SIGNATURE)["losses"]
        epochs = spec.kwargs["epochs"]
        if type(losses) is not list:
            kit.fail("wrong_type", what=f"{call}[1]", expected="list of floats", got=kit.describe(losses))
        if len(losses) != epochs:
            kit.fail("wrong_length", what=f"{call}[1]", expected=epochs, got=len(losses))
        for index, item in enumerate(losses):
            if type(item) is not float:
                kit.fail("wrong_item_type", what=f"{call}[1]", index=index, expected="float", got=kit.describe(item))


@pytest.mark.task("6.3")
def test_architecture_is_16_8_4_2_with_relu(outcome):
    model = returned(outcome("trained")[0], classifier_code(TRAININGS["trained"]), signature=CLASSIFIER_SIGNATURE)["model"]
    expected = f"Sequential({', '.join(ARCHITECTURE)})"
    got = f"{model['type']}({', '.join(model['layers'])})"
    if got != expected:
        kit.fail("wrong_architecture", expected=expected, got=got)


@pytest.mark.task("6.3")
def test_model_is_built_first_with_default_initialisation(outcome):
    call = classifier_code(TRAININGS["untrained"])
    state = returned(outcome("untrained")[0], call, signature=CLASSIFIER_SIGNATURE)["model"]["state"]
    expected = classifier_oracle("untrained")["state"]
    expected_parameters = classifier_oracle("untrained")["parameters"]
    kit.mapping(state, list(expected), "model.state_dict()")
    for key, value in expected.items():
        if not kit.close(state[key], value):
            kit.fail("training_loop_initial_weights_differ", what=state_entry(key, expected_parameters))


@pytest.mark.task("6.3", weight=2)
def test_epoch_losses_match_sgd_with_time_based_decay(outcome):
    call = classifier_code(TRAININGS["trained"])
    check_losses(returned(outcome("trained")[0], call, signature=CLASSIFIER_SIGNATURE)["losses"], "trained", call, [])


@pytest.mark.task("6.3", weight=2)
def test_final_parameters_match_sgd_with_time_based_decay(outcome):
    call = classifier_code(TRAININGS["trained"])
    check_trained(returned(outcome("trained")[0], call, signature=CLASSIFIER_SIGNATURE), "trained", call, [])


@pytest.mark.task("6.3")
def test_default_arguments(outcome):
    check_classifier(outcome, "defaults")


@pytest.mark.task("6.3")
def test_positional_and_keyword_calls_follow_the_signature(outcome):
    check_classifier(outcome, "keywords")
    try:
        check_classifier(outcome, "positional")
    except kit.CheckFailure:
        # The same arguments are right by keyword: only their order can be wrong.
        kit.fail(
            "training_loop_parameter_order", advice="training_loop_advice_signature", call=classifier_code(TRAININGS["positional"]),
            signature=CLASSIFIER_SIGNATURE, conditions=spec_conditions("positional"),
        )  # fmt: skip


@pytest.mark.task("6.3")
def test_training_data_may_be_views(outcome):
    check_classifier(outcome, "views")


@pytest.mark.task("6.3")
def test_a_second_call_trains_a_new_model(outcome):
    spec = TRAININGS["second_call"]
    check_classifier(outcome, "second_call", 0)
    try:
        check_classifier(outcome, "second_call", 1, [kit.when("second_call")])
    except kit.CheckFailure as failure:
        if failure.key in ("wrong_values", "wrong_item", "wrong_length", "wrong_number"):
            kit.fail("training_loop_state_between_calls", advice="training_loop_advice_local_state", call=classifier_code(spec), conditions=[kit.when("second_call")])
        raise


@pytest.mark.task("6.3")
def test_leaves_the_training_data_unchanged(outcome):
    for name in ("trained", "views"):
        check_classifier(outcome, name)
        found = outcome(name)[0]
        x, y = classifier_data(TRAININGS[name].n, TRAININGS[name].data_seed)
        call = "train_classifier(x, y)"
        kit.unchanged(found["x"]["values"], x, code("x"), call, spec_conditions(name))
        kit.unchanged(found["y"]["values"], y, code("y"), call, spec_conditions(name))


@pytest.mark.task("6.3", hidden=True)
def test_hidden_trainings(outcome):
    from grader.scenarios.hidden.training_loop import HIDDEN_TRAININGS

    for name, spec in HIDDEN_TRAININGS.items():
        call = classifier_code(spec)
        found = returned(outcome(name)[0], call, signature=CLASSIFIER_SIGNATURE)
        check_losses(found["losses"], name, call, [])
        check_trained(found, name, call, [])
