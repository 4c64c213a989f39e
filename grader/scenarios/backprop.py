"""Scenarios for unit 2, backpropagation (`backprop.py`).

Each task is called on plain inputs first, then on the inputs real callers
pass (`grader.scenarios.families`): keyword and mixed calls with the
contract's parameter names, non-contiguous views, parameters that require
grad, one row, float32 and float64, logits or pre-activations near ±1000
(where a softmax without the max trick, or a sigmoid written with `exp`,
overflows), targets that miss a class; for 2.1 models with buffers (a
BatchNorm, in training and in eval mode), stale gradients, repeated calls and
two models alive at once. Each scenario records the result, what the caller
sees of its tensors afterwards (`families.caller_view`, with the version
counters before the call) and whether autograd was used (`AutogradSpy`).

The checks (`grader/checks/test_backprop.py`) rebuild the same inputs from
the case tables and builders here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from grader import inputs
from grader.scenarios import AutogradSpy, families, scenario

# --- shared helpers -----------------------------------------------------------------


def watched(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Call the submission's function (`call()`) and note any use of autograd."""
    spy = AutogradSpy()
    with spy:
        result = call()
    return result, spy.used


def snapshot(value: Any) -> Any:
    """A copy of a result as it is now, so later calls cannot change what it recorded."""
    if type(value) is dict:
        return {key: snapshot(item) for key, item in value.items()}
    if type(value) is torch.Tensor:
        return value.detach().clone()
    return value


def register(task: str, name: str, run: Callable[[Any, tuple], Any], spec: tuple) -> None:
    """Register the scenario `name` of `task`: `run(submission, spec)` on one case of a table."""

    def scenario_of_case(submission):
        return run(submission, spec)

    scenario_of_case.__name__ = name
    scenario(task)(scenario_of_case)


STYLES = {"keywords": "keywords", "mixed": "mixed"}


def run_by_hand(function: Callable[..., Any], given: dict[str, torch.Tensor], family: str) -> dict[str, Any]:
    """Call a by-hand backward function (2.2–2.5) with `given` in the way `family` says; record everything."""
    versions = {name: int(tensor._version) for name, tensor in given.items()}
    style = STYLES.get(family, "positional")
    grad_mode = torch.no_grad() if family == "no_grad" else contextlib.nullcontext()
    with grad_mode:
        result, used = watched(lambda: families.call(function, list(given.items()), style))
    return {"result": result, "autograd": used, "inputs": {name: families.caller_view(t) for name, t in given.items()}, "versions": versions}


def with_family(given: dict[str, torch.Tensor], family: str, views: dict[str, str], leaves: tuple[str, ...]) -> dict[str, torch.Tensor]:
    """The same values, passed as the family says: `views` maps a family to the input it makes a view of."""
    given = dict(given)
    if family in views:
        name = views[family]
        make = families.strided if family.startswith("strided") else families.transposed
        given[name] = make(given[name])
    if family == "leaf":
        for name in leaves:
            given[name] = families.leaf(given[name])
    return given


# --- 2.1 layer_gradients --------------------------------------------------------------


def contract_model(seed: int, dtype: torch.dtype = torch.float32) -> nn.Sequential:
    """The lesson's model, the same in every process for the same seed."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4), nn.Linear(4, 2)).to(dtype)


def sigmoid_model(seed: int) -> nn.Sequential:
    """A float64 model with a non-linearity and a layer without bias."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(5, 6), nn.Sigmoid(), nn.Linear(6, 3, bias=False)).double()


def batchnorm_model(seed: int, training: bool = True) -> nn.Sequential:
    """A float64 model with buffers (BatchNorm1d's running statistics); in eval mode, with statistics as after training."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6), nn.Sigmoid(), nn.Linear(6, 3)).double()
    norm = model[1]
    norm.running_mean.copy_(inputs.randn(6, seed=seed + 1))
    norm.running_var.copy_(inputs.uniform(6, low=0.5, high=2.0, seed=seed + 2))
    norm.weight.data.copy_(inputs.uniform(6, low=0.5, high=1.5, seed=seed + 3))
    norm.bias.data.copy_(inputs.randn(6, seed=seed + 4) / 4)
    return model.train(training)


def contract_batch():
    return inputs.randn(6, 16, seed=211, dtype=torch.float32), inputs.classes(6, 2, seed=212)


def sigmoid_batch():
    return inputs.randn(4, 5, seed=213), inputs.classes(4, 3, seed=214)


def stale_batch():
    return inputs.randn(5, 16, seed=215, dtype=torch.float32), inputs.classes(5, 2, seed=216)


def batchnorm_batch():
    return 2 * inputs.randn(6, 5, seed=217) + 1, inputs.classes(6, 3, seed=218)


def one_row_batch():
    return inputs.randn(1, 16, seed=219, dtype=torch.float32), inputs.classes(1, 2, seed=220)


LARGE_SCALE = 1000.0


def large_batch():
    """Samples that drive the float64 lesson model's logits thousands apart."""
    return LARGE_SCALE * inputs.randn(6, 16, seed=221, dtype=torch.float64), inputs.classes(6, 2, seed=222)


def stale_gradients(model: nn.Module) -> dict[str, torch.Tensor]:
    return {
        name: inputs.randn(*p.shape, seed=2100 + i, dtype=p.dtype)
        for i, (name, p) in enumerate(model.named_parameters())
    }


def parameters(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in model.named_parameters()}


def aliases(result: Any, model: nn.Module) -> list[str]:
    """Names whose returned tensor is the model's own `.grad` (or parameter) storage."""
    if type(result) is not dict:
        return []
    owned = set()
    for p in model.parameters():
        owned.add(p.untyped_storage().data_ptr())
        if p.grad is not None:
            owned.add(p.grad.untyped_storage().data_ptr())
    return [
        str(name)
        for name, value in result.items()
        if type(value) is torch.Tensor and value.untyped_storage().data_ptr() in owned
    ]


def layer_call(submission, model: nn.Module, sample: torch.Tensor, target: torch.Tensor, style: str = "positional") -> Any:
    return families.call(submission.layer_gradients, [("model", model), ("sample", sample), ("target", target)], style)


def layer_record(result: Any, model: nn.Module, sample: torch.Tensor, target: torch.Tensor, training: bool) -> dict[str, Any]:
    """What came back (which entries carry a graph, which alias the model's tensors), and the model and inputs afterwards."""
    attached = [str(name) for name, value in result.items() if type(value) is torch.Tensor and (value.requires_grad or value.grad_fn is not None)] if type(result) is dict else []
    return {
        "result": snapshot(result),
        "attached": attached,
        "shared": aliases(result, model),
        "parameters": parameters(model),
        "training": bool(model.training),
        "training_before": training,
        "sample": sample.detach().clone(),
        "target": target.clone(),
    }


# name: (model builder, batch builder, how the batch is passed, call style)
LAYER_CASES: dict[str, tuple[Callable[[], nn.Module], Callable[[], tuple], str, str]] = {
    "sigmoid_model_float64": (lambda: sigmoid_model(2022), sigmoid_batch, "plain", "positional"),
    "batchnorm_in_training": (lambda: batchnorm_model(2030), batchnorm_batch, "plain", "positional"),
    "batchnorm_in_eval_mode": (lambda: batchnorm_model(2031, training=False), batchnorm_batch, "plain", "positional"),
    "layer_keywords": (lambda: contract_model(2026), contract_batch, "plain", "keywords"),
    "layer_mixed": (lambda: contract_model(2026), contract_batch, "plain", "mixed"),
    "transposed_sample": (lambda: contract_model(2027), contract_batch, "transposed", "positional"),
    "one_row": (lambda: contract_model(2028), one_row_batch, "plain", "positional"),
    "large_logits": (lambda: contract_model(2029, torch.float64), large_batch, "plain", "positional"),
}


def run_layer(submission, spec: tuple) -> dict[str, Any]:
    make_model, make_batch, passed, style = spec
    model = make_model()
    sample, target = make_batch()
    if passed == "transposed":
        sample = families.transposed(sample)
    training = bool(model.training)
    result = layer_call(submission, model, sample, target, style)
    return layer_record(result, model, sample, target, training)


@scenario("2.1")
def contract_model_twice(submission):
    model = contract_model(2021)
    sample, target = contract_batch()
    first = submission.layer_gradients(model, sample, target)
    record = layer_record(first, model, sample, target, True)
    second = submission.layer_gradients(model, sample, target)
    return {**record, "second": snapshot(second), "parameters": parameters(model)}


@scenario("2.1")
def model_with_stale_gradients(submission):
    model = contract_model(2023)
    old = stale_gradients(model)
    for name, p in model.named_parameters():
        p.grad = old[name]
    sample, target = stale_batch()
    return layer_record(submission.layer_gradients(model, sample, target), model, sample, target, True)


for _name, _spec in LAYER_CASES.items():
    register("2.1", _name, run_layer, _spec)


# Two models alive at once, called in turn: A, B, A, B.
TWO_MODELS = ((2024, 211), (2025, 215))


def two_model_batches():
    return [(inputs.randn(6, 16, seed=seed, dtype=torch.float32), inputs.classes(6, 2, seed=seed + 1)) for _, seed in TWO_MODELS]


@scenario("2.1")
def two_models(submission):
    models = [contract_model(seed) for seed, _ in TWO_MODELS]
    batches = two_model_batches()
    first = submission.layer_gradients(models[0], *batches[0])
    results = [snapshot(first)]
    for turn in (1, 0, 1):
        results.append(snapshot(submission.layer_gradients(models[turn], *batches[turn])))
    return {"results": results, "first_later": snapshot(first), "parameters": [parameters(model) for model in models]}


# --- 2.2 linear_backward --------------------------------------------------------------

LINEAR_NAMES = ("x", "weight", "bias", "grad_output")

# name: (N, in, out, seed, dtype, family)
LINEAR_CASES: dict[str, tuple[int, int, int, int, torch.dtype, str]] = {
    "float64_batch": (5, 4, 3, 220, torch.float64, "plain"),
    "float32_batch": (7, 3, 6, 225, torch.float32, "plain"),
    "linear_under_no_grad": (4, 6, 2, 230, torch.float32, "no_grad"),
    "linear_keywords": (5, 4, 3, 231, torch.float64, "keywords"),
    "linear_mixed": (3, 2, 4, 232, torch.float64, "mixed"),
    "linear_transposed_x": (5, 4, 3, 233, torch.float64, "transposed_x"),
    "linear_transposed_weight": (5, 4, 3, 234, torch.float64, "transposed_weight"),
    "linear_strided_grad_output": (5, 4, 3, 235, torch.float64, "strided_grad_output"),
    "linear_leaf_parameters": (4, 3, 5, 236, torch.float64, "leaf"),
    "linear_one_row": (1, 4, 3, 237, torch.float64, "plain"),
}
LINEAR_VIEWS = {"transposed_x": "x", "transposed_weight": "weight", "strided_grad_output": "grad_output"}
LINEAR_LEAVES = ("weight", "bias")


def linear_inputs(spec: tuple) -> dict[str, torch.Tensor]:
    """The case's values, contiguous and not requiring grad."""
    n, fan_in, fan_out, seed, dtype, _ = spec
    return {
        "x": inputs.randn(n, fan_in, seed=seed, dtype=dtype),
        "weight": inputs.randn(fan_out, fan_in, seed=seed + 1, dtype=dtype),
        "bias": inputs.randn(fan_out, seed=seed + 2, dtype=dtype),
        "grad_output": inputs.randn(n, fan_out, seed=seed + 3, dtype=dtype),
    }


def run_linear(submission, spec: tuple) -> dict[str, Any]:
    given = with_family(linear_inputs(spec), spec[5], LINEAR_VIEWS, LINEAR_LEAVES)
    return run_by_hand(submission.linear_backward, given, spec[5])


for _name, _spec in LINEAR_CASES.items():
    register("2.2", _name, run_linear, _spec)


# --- 2.3 sigmoid_backward -------------------------------------------------------------

# name: (shape, seed, dtype, family, large): `large` puts every other x near ±1000 (±100 in float32)
SIGMOID_CASES: dict[str, tuple[tuple[int, ...], int, torch.dtype, str, bool]] = {
    "matrix_float64": ((3, 4), 240, torch.float64, "plain", False),
    "cube_float32": ((2, 3, 4), 243, torch.float32, "plain", False),
    "vector_under_no_grad": ((6,), 246, torch.float64, "no_grad", False),
    "sigmoid_keywords": ((3, 4), 247, torch.float64, "keywords", False),
    "sigmoid_mixed": ((2, 5), 248, torch.float64, "mixed", False),
    "sigmoid_transposed_x": ((3, 4), 249, torch.float64, "transposed_x", False),
    "sigmoid_leaf_x": ((3, 4), 250, torch.float64, "leaf", False),
    "sigmoid_zero_dim": ((), 251, torch.float64, "plain", False),
    "sigmoid_large_float64": ((4, 5), 252, torch.float64, "plain", True),
    "sigmoid_large_float32": ((4, 5), 253, torch.float32, "plain", True),
}
SIGMOID_VIEWS = {"transposed_x": "x"}


def sigmoid_inputs(spec: tuple) -> dict[str, torch.Tensor]:
    shape, seed, dtype, _, large = spec
    size = 1
    for length in shape:
        size *= length
    x = 3 * inputs.randn(size, seed=seed, dtype=dtype).reshape(shape)
    if large:
        scale = 300.0 if dtype == torch.float64 else 30.0
        flat = x.reshape(-1)
        flat[::2] *= scale
    return {"x": x, "grad_output": inputs.randn(size, seed=seed + 1, dtype=dtype).reshape(shape)}


def run_sigmoid(submission, spec: tuple) -> dict[str, Any]:
    given = with_family(sigmoid_inputs(spec), spec[3], SIGMOID_VIEWS, ("x",))
    return run_by_hand(submission.sigmoid_backward, given, spec[3])


for _name, _spec in SIGMOID_CASES.items():
    register("2.3", _name, run_sigmoid, _spec)


# --- 2.4 cross_entropy_backward -------------------------------------------------------

# name: (N, C, seed, dtype, family, logits): `logits` is "normal", "large" (rows thousands apart;
# hundreds in float32) or "missing_class" (no target of the last class)
CROSS_ENTROPY_CASES: dict[str, tuple[int, int, int, torch.dtype, str, str]] = {
    "five_by_three_float64": (5, 3, 250, torch.float64, "plain", "normal"),
    "eight_by_four_float32": (8, 4, 253, torch.float32, "plain", "normal"),
    "cross_entropy_under_no_grad": (3, 5, 256, torch.float32, "no_grad", "normal"),
    "cross_entropy_keywords": (5, 3, 257, torch.float64, "keywords", "normal"),
    "cross_entropy_mixed": (4, 4, 258, torch.float64, "mixed", "normal"),
    "cross_entropy_transposed_logits": (5, 3, 259, torch.float64, "transposed_logits", "normal"),
    "cross_entropy_leaf_logits": (5, 3, 260, torch.float64, "leaf", "normal"),
    "cross_entropy_one_row": (1, 4, 261, torch.float64, "plain", "normal"),
    "cross_entropy_missing_class": (4, 5, 262, torch.float64, "plain", "missing_class"),
    "cross_entropy_large_float64": (6, 4, 263, torch.float64, "plain", "large"),
    "cross_entropy_large_float32": (6, 4, 264, torch.float32, "plain", "large"),
}
CROSS_ENTROPY_VIEWS = {"transposed_logits": "logits"}


def cross_entropy_inputs(spec: tuple) -> dict[str, torch.Tensor]:
    n, classes, seed, dtype, _, kind = spec
    logits = 2 * inputs.randn(n, classes, seed=seed, dtype=dtype)
    if kind == "large":
        spread = 1000.0 if dtype == torch.float64 else 50.0
        offsets = spread * 2 * (torch.arange(n, dtype=dtype) % 2)  # every other row far above the rest
        logits = spread * logits + offsets.unsqueeze(1)
    used = classes - 1 if kind == "missing_class" else classes
    return {"logits": logits, "target": inputs.classes(n, used, seed=seed + 1)}


def run_cross_entropy(submission, spec: tuple) -> dict[str, Any]:
    given = with_family(cross_entropy_inputs(spec), spec[4], CROSS_ENTROPY_VIEWS, ("logits",))
    return run_by_hand(submission.cross_entropy_backward, given, spec[4])


for _name, _spec in CROSS_ENTROPY_CASES.items():
    register("2.4", _name, run_cross_entropy, _spec)


# --- 2.5 mlp_backward -----------------------------------------------------------------

MLP_NAMES = ("x", "target", "w1", "b1", "w2", "b2")

# name: (N, in, hidden, C, seed, dtype, family, kind): `kind` is "normal", "large_logits" (w2 scaled
# so that the logits are thousands apart), "large_pre_activation" (half of w1's rows scaled so that
# x @ w1.T + b1 reaches ±1000) or "missing_class"
MLP_CASES: dict[str, tuple[int, int, int, int, int, torch.dtype, str, str]] = {
    "six_samples_float64": (6, 5, 4, 3, 260, torch.float64, "plain", "normal"),
    "eight_samples_float32": (8, 3, 5, 2, 267, torch.float32, "plain", "normal"),
    "mlp_under_no_grad": (4, 4, 3, 5, 274, torch.float32, "no_grad", "normal"),
    "mlp_keywords": (5, 4, 3, 3, 281, torch.float64, "keywords", "normal"),
    "mlp_mixed": (5, 3, 4, 2, 288, torch.float64, "mixed", "normal"),
    "mlp_transposed_x": (6, 5, 4, 3, 295, torch.float64, "transposed_x", "normal"),
    "mlp_transposed_w1": (6, 5, 4, 3, 302, torch.float64, "transposed_w1", "normal"),
    "mlp_leaf_parameters": (5, 4, 3, 3, 309, torch.float64, "leaf", "normal"),
    "mlp_one_row": (1, 4, 3, 3, 316, torch.float64, "plain", "normal"),
    "mlp_missing_class": (5, 4, 3, 4, 323, torch.float64, "plain", "missing_class"),
    "mlp_large_logits": (6, 4, 5, 3, 330, torch.float64, "plain", "large_logits"),
    "mlp_large_pre_activation": (6, 4, 6, 3, 337, torch.float64, "plain", "large_pre_activation"),
}
MLP_VIEWS = {"transposed_x": "x", "transposed_w1": "w1"}
MLP_LEAVES = ("w1", "b1", "w2", "b2")


def mlp_inputs(spec: tuple) -> dict[str, torch.Tensor]:
    n, fan_in, hidden, classes, seed, dtype, _, kind = spec
    given = {
        "x": inputs.randn(n, fan_in, seed=seed, dtype=dtype),
        "target": inputs.classes(n, classes - 1 if kind == "missing_class" else classes, seed=seed + 1),
        "w1": inputs.randn(hidden, fan_in, seed=seed + 2, dtype=dtype),
        "b1": inputs.randn(hidden, seed=seed + 3, dtype=dtype),
        "w2": inputs.randn(classes, hidden, seed=seed + 4, dtype=dtype),
        "b2": inputs.randn(classes, seed=seed + 5, dtype=dtype),
    }
    if kind == "large_logits":
        given["w2"] = 1000 * given["w2"]
    if kind == "large_pre_activation":
        given["w1"][::2] *= 1000
    return given


def run_mlp(submission, spec: tuple) -> dict[str, Any]:
    given = with_family(mlp_inputs(spec), spec[6], MLP_VIEWS, MLP_LEAVES)
    return run_by_hand(submission.mlp_backward, given, spec[6])


for _name, _spec in MLP_CASES.items():
    register("2.5", _name, run_mlp, _spec)
