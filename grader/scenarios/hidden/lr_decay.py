"""Hidden scenarios of unit 5: the main property of each task, on inputs the students' copy does not hold."""

from __future__ import annotations

import functools

import torch

from grader import inputs
from grader.scenarios import families, scenario
from grader.scenarios.lr_decay import attempt, decayed

# --- 5.1: other points, float32 and float64, one of them a strided view -------------

HIDDEN_POINTS = [((3.25, -1.75), torch.float64), ((-0.75, 0.125), torch.float32), ((1.5, 2.25), torch.float64)]


@scenario("5.1")
def hidden_points(submission):
    found = []
    for number, (point, dtype) in enumerate(HIDDEN_POINTS):
        x = torch.tensor(point, dtype=dtype)
        x = families.leaf(x) if number == 0 else families.strided(x) if number == 1 else x
        run = attempt(submission, lambda x=x: submission.rosenbrock(x))
        out = run["value"]
        run["grad"] = None
        if number == 0 and type(out) is torch.Tensor and out.requires_grad and out.numel() == 1:
            out.sum().backward()
            run["grad"] = None if x.grad is None else x.grad.detach().clone()
        found.append(run)
    return found


# --- 5.2: other arguments, far iterations -------------------------------------------

HIDDEN_RATES = {
    "time_based_decay": [(0.05, 0.002, 1000), (1.5, 0.3, 4), (0.7, 1.0, 1)],
    "step_decay": [(0.4, 0.1, 7, 13), (0.4, 0.1, 7, 14), (2.0, 0.75, 2, 11), (0.05, 0.5, 100, 99)],
    "exponential_decay": [(0.3, 0.995, 500), (1.0, 0.25, 2), (0.6, 1.0, 9)],
}


@scenario("5.2")
def hidden_rates(submission):
    return {
        name: [attempt(submission, lambda case=case, name=name: getattr(submission, name)(*case)) for case in cases]
        for name, cases in HIDDEN_RATES.items()
    }


# --- 5.3: another function and schedule, a 2 x 2 start ------------------------------


def quartic(x: torch.Tensor) -> torch.Tensor:
    """A quartic bowl with a cross term, on shape (2, 2)."""
    return (x**4).sum() * 0.25 + (x[0, 0] * x[1, 1]) + ((x - 0.3) ** 2).sum()


def step_rate(lr0: float, drop: float, every: int, i: int) -> float:
    return lr0 * drop ** (i // every)


def quartic_start() -> torch.Tensor:
    return inputs.randn(2, 2, seed=531)


def hump_start() -> torch.Tensor:
    return torch.tensor([-1.0, 0.5], dtype=torch.float64)


def hump(x: torch.Tensor) -> torch.Tensor:
    return (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2 + 0.5 * x[1] ** 2


# (f, start, lr, iterations, the call as code)
HIDDEN_DESCENTS = [
    (quartic, quartic_start, functools.partial(step_rate, 0.1, 0.5, 5), 20, "minimize(f, start, lr=functools.partial(step_rate, 0.1, 0.5, 5), iterations=20)"),
    (hump, hump_start, functools.partial(decayed, 0.15, 0.02), 60, "minimize(f, start, lr=functools.partial(decayed, 0.15, 0.02), iterations=60)"),
    (hump, hump_start, 0.05, 1, "minimize(f, start, lr=0.05, iterations=1)"),
]


@scenario("5.3")
def hidden_descents(submission):
    return [
        attempt(submission, lambda f=f, start_of=start_of, lr=lr, n=n: submission.minimize(f, families.transposed(start_of()) if start_of().dim() == 2 else start_of(), lr, n))
        for f, start_of, lr, n, _ in HIDDEN_DESCENTS
    ]


# --- 5.4: other decays, far epochs -----------------------------------------------------

HIDDEN_FACTORS = [(0.0, [0, 3, 50]), (0.003, [0, 1, 250, 1000]), (2.0, [0, 1, 2, 9])]
HIDDEN_LR0, HIDDEN_STEPS = 1.25, 4


@scenario("5.4")
def hidden_factors(submission):
    def run(decay, epochs):
        factor = submission.time_based_lambda(decay)
        values = [factor(epoch) for epoch in epochs]
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=HIDDEN_LR0)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, submission.time_based_lambda(decay))
        rates = [optimizer.param_groups[0]["lr"]]
        for _ in range(HIDDEN_STEPS):
            optimizer.step()
            scheduler.step()
            rates.append(optimizer.param_groups[0]["lr"])
        return {"values": values, "rates": rates}

    return [attempt(submission, lambda decay=decay, epochs=epochs: run(decay, epochs)) for decay, epochs in HIDDEN_FACTORS]
