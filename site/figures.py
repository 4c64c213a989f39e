"""The lesson figures, drawn from the reference solutions.

Every number in a figure comes from calling a function of `solutions/`, so a
picture can never disagree with the answer key. Each drawing takes the
page's language and returns a matplotlib figure (or an `Animation`); labels
are written in both languages right where they are drawn. Writing the files,
fonts and caching live in `figure_files.py`.

The data follow the lesson pages: the same functions, seeds, starts and
learning rates as the code the pages show, so the figures match the numbers
printed in the prose.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import matplotlib

matplotlib.use("Agg")  # no display on build machines

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402
from svg_animation import frame_gid  # noqa: E402
from torch import nn  # noqa: E402

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"

BLUE, ORANGE, GREEN, RED, PURPLE, GREY = (
    "#3f51b5",
    "#ef6c00",
    "#2e7d32",
    "#c62828",
    "#6a1b9a",
    "#9e9e9e",
)


@dataclass(frozen=True)
class Animation:
    """A figure whose artists carry frame gids, and how long each frame shows (seconds)."""

    figure: Figure
    durations: list[float]


def say(lang: str, en: str, zh: str) -> str:
    """The label in the page's language."""
    return zh if lang == "zh" else en


@cache
def solution(module: str) -> ModuleType:
    """`solutions/<module>.py`, imported by path (it is not an installed package)."""
    path = SOLUTIONS / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"descent_site_solutions_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


# ---------------------------------------------------------------- unit 1


def _square(x: torch.Tensor) -> torch.Tensor:
    return (x**2).sum()


def _slope(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    return solution("derivatives").autograd_gradient(f, torch.tensor(x, dtype=torch.float64)).item()


def slope_arrows(lang: str) -> Figure:
    """f(x) = x²: steep slope, big step; gentle slope, small step; flat floor, no step."""
    lr = 0.25
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    xs = np.linspace(-3.4, 3.4, 300)
    axes.plot(xs, xs**2, color=BLUE, linewidth=2)
    notes = {
        3.0: say(lang, "steep: slope {s:g}, big step", "陡：斜率 {s:g}，大步"),
        0.5: say(lang, "gentle: slope {s:g}, small step", "缓：斜率 {s:g}，小步"),
        0.0: say(lang, "valley floor: slope 0, no step", "谷底：斜率 0，不再移动"),
        -2.0: say(lang, "slope {s:g}: downhill is to the right", "斜率 {s:g}：下坡在右边"),
    }
    # Where each note sits: inside the bowl or below the floor, clear of the curve.
    places = {
        3.0: (2.6, 10.2, "right"),
        0.5: (0.9, -1.0, "left"),
        0.0: (-0.4, -1.7, "right"),
        -2.0: (-1.5, 6.4, "left"),
    }
    for x, note in notes.items():
        slope = _slope(_square, x)
        tangent = np.linspace(x - 0.7, x + 0.7, 2)
        axes.plot(tangent, x**2 + slope * (tangent - x), color=GREY, linestyle="--", linewidth=1)
        target = x - lr * slope
        axes.plot([x], [x**2], "o", color=ORANGE, zorder=3)
        if slope != 0:
            axes.add_patch(
                FancyArrowPatch(
                    (x, x**2),
                    (target, target**2),
                    arrowstyle="-|>",
                    mutation_scale=18,
                    color=ORANGE,
                    linewidth=2,
                    zorder=4,
                )
            )
        text_x, text_y, align = places[x]
        axes.annotate(
            note.format(s=slope).replace("-", "−"),
            (x, x**2),
            (text_x, text_y),
            fontsize=10,
            ha=align,
            va="center",
            arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.8},
        )
    axes.set_xlabel("$x$")
    axes.set_ylabel("$f(x) = x^2$")
    axes.set_xlim(-3.6, 3.9)
    axes.set_ylim(-2.5, 11.5)
    axes.set_title(
        say(lang, f"One step x − {lr}·f′(x) from each point", f"从每个点走一步：x − {lr}·f′(x)")
    )
    return figure


def _quartic(x: torch.Tensor) -> torch.Tensor:
    return (x**4 - 3 * x**2 + x).sum()


def _saddle(p: torch.Tensor) -> torch.Tensor:
    return p[0] ** 2 - p[1] ** 2


@cache
def _quartic_minima() -> tuple[float, float]:
    """The local and the global minimum of x⁴ − 3x² + x, found by gradient descent from ±2."""
    derivatives = solution("derivatives")

    def grad_fn(x: torch.Tensor) -> torch.Tensor:
        return derivatives.autograd_gradient(_quartic, x)

    ends = [
        derivatives.gradient_descent(grad_fn, torch.tensor(start, dtype=torch.float64), 0.01, 200)[
            -1
        ].item()
        for start in (2.0, -2.0)
    ]
    return ends[0], ends[1]


def convex_nonconvex(lang: str) -> Figure:
    """A convex bowl, a curve with a local and a global minimum, and the saddle point of x² − y²."""
    figure, (bowl, valleys, flat) = plt.subplots(1, 3, figsize=(10.5, 3.6))
    xs = np.linspace(-2.1, 2.1, 300)
    mark = {"marker": "o", "markersize": 8, "linestyle": "none", "zorder": 3}

    bowl.plot(xs, xs**2, color=BLUE, linewidth=2)
    bowl.plot([0], [0], color=GREEN, **mark)
    bowl.annotate(
        say(lang, "the only minimum", "唯一的最小值"),
        (0, 0),
        (-0.9, 2.4),
        fontsize=10,
        arrowprops={"arrowstyle": "->", "color": GREY},
    )
    bowl.set_title(say(lang, "convex: x²", "凸函数：x²"))

    local, best = _quartic_minima()
    valleys.plot(xs, xs**4 - 3 * xs**2 + xs, color=BLUE, linewidth=2)
    for x, color, text, place in (
        (local, ORANGE, say(lang, "local minimum", "局部最小值"), (0.2, 2.2)),
        (best, GREEN, say(lang, "global minimum", "全局最小值"), (-1.9, 1.6)),
    ):
        y = x**4 - 3 * x**2 + x
        valleys.plot([x], [y], color=color, **mark)
        valleys.annotate(
            f"{text}\nx ≈ {x:.2f}",
            (x, y),
            place,
            fontsize=10,
            arrowprops={"arrowstyle": "->", "color": GREY},
        )
    valleys.set_title(say(lang, "non-convex: x⁴ − 3x² + x", "非凸函数：x⁴ − 3x² + x"))

    # A saddle needs two dimensions: f(x, y) = x² − y² is a valley along x and a hill along y.
    grid = np.linspace(-1.5, 1.5, 121)
    saddle_x, saddle_y = np.meshgrid(grid, grid)
    flat.contour(saddle_x, saddle_y, saddle_x**2 - saddle_y**2, levels=np.linspace(-2, 2, 17), cmap="coolwarm", linewidths=0.9)
    gradient = solution("derivatives").autograd_gradient(_saddle, torch.zeros(2, dtype=torch.float64))
    gradient = [float(value) + 0.0 for value in gradient]  # + 0.0: no "-0" on the label
    flat.plot([-1.4, 1.4], [0, 0], color=GREY, linestyle="--", linewidth=1)
    flat.plot([0, 0], [-1.4, 1.4], color=GREY, linestyle=":", linewidth=1)
    flat.plot([0], [0], color=RED, **mark)
    flat.annotate(
        say(
            lang,
            f"gradient ({gradient[0]:g}, {gradient[1]:g}):\nlowest along x, highest along y",
            f"梯度为 ({gradient[0]:g}, {gradient[1]:g})：\n沿 x 方向最低，沿 y 方向最高",
        ),
        (0, 0),
        (-1.45, 0.95),
        fontsize=9,
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        arrowprops={"arrowstyle": "->", "color": GREY},
    )
    flat.set_aspect("equal")
    flat.set_ylabel("$y$")
    flat.set_title(say(lang, "a saddle point: x² − y²", "鞍点：x² − y²"))
    for axes in (bowl, valleys, flat):
        axes.set_xlabel("$x$")
    figure.tight_layout()
    return figure


def gradient_descent_steps(lang: str) -> Figure:
    """gradient_descent on f(x) = x² from x₀ = 3 with lr = 0.1, as in the lesson."""
    derivatives = solution("derivatives")

    def grad_fn(x: torch.Tensor) -> torch.Tensor:
        return derivatives.autograd_gradient(_square, x)

    lr, steps = 0.1, 10
    iterates = derivatives.gradient_descent(
        grad_fn, torch.tensor(3.0, dtype=torch.float64), lr, steps
    ).numpy()
    figure, axes = plt.subplots(figsize=(7.5, 4.0))
    xs = np.linspace(-1.0, 3.3, 300)
    axes.plot(xs, xs**2, color=BLUE, linewidth=2, label="$f(x) = x^2$")
    for start, end in zip(iterates[:-1], iterates[1:], strict=True):
        axes.add_patch(
            FancyArrowPatch(
                (start, start**2),
                (end, end**2),
                arrowstyle="-|>",
                mutation_scale=14,
                color=ORANGE,
                linewidth=1.6,
                connectionstyle="arc3,rad=0.25",
                zorder=4,
            )
        )
    axes.plot(
        iterates,
        iterates**2,
        "o",
        color=ORANGE,
        zorder=5,
        label=say(lang, f"iterates, lr = {lr}", f"迭代点，lr = {lr}"),
    )
    for t in range(4):
        axes.annotate(
            f"$x_{t} = {iterates[t]:.3g}$",
            (iterates[t], iterates[t] ** 2),
            (iterates[t] + 0.1, iterates[t] ** 2 - 0.9),
            fontsize=10,
        )
    axes.plot(
        [0], [0], "*", color=GREEN, markersize=14, zorder=6, label=say(lang, "minimum", "最小值")
    )
    axes.set_xlabel("$x$")
    axes.set_ylabel("$f(x)$")
    axes.set_title(
        say(
            lang,
            f"{steps} steps of gradient descent: each step 20 % shorter",
            f"梯度下降的 {steps} 步：每一步比上一步短 20%",
        )
    )
    axes.legend(loc="upper left")
    return figure


# ---------------------------------------------------------------- unit 2


def network_16_8_4_2(lang: str) -> Figure:
    """nn.Sequential(Linear(16, 8), Linear(8, 4), Linear(4, 2)): layers, and which way backward goes."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 8), nn.Linear(8, 4), nn.Linear(4, 2))
    gradients = solution("backprop").layer_gradients(model, torch.randn(1, 16), torch.tensor([1]))
    sizes = [16, 8, 4, 2]
    figure, axes = plt.subplots(figsize=(9.0, 5.2))
    columns = [0.0, 2.0, 4.0, 6.0]
    positions = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n) * (7.2 / 15) for n in sizes]
    for left in range(3):
        for y0 in positions[left]:
            for y1 in positions[left + 1]:
                axes.plot(
                    [columns[left], columns[left + 1]],
                    [y0, y1],
                    color="#c5cae9",
                    linewidth=0.5,
                    zorder=1,
                )
    for column, ys in zip(columns, positions, strict=True):
        axes.scatter([column] * len(ys), ys, s=70, color=BLUE, zorder=3, edgecolors="white")
    loss_x = 7.4
    for y in positions[3]:
        axes.plot([columns[3], loss_x], [y, 0], color="#c5cae9", linewidth=0.8, zorder=1)
    axes.scatter([loss_x], [0], s=500, color=RED, zorder=3)
    axes.text(
        loss_x,
        0,
        say(lang, "loss", "损失"),
        color="white",
        ha="center",
        va="center",
        fontsize=10,
        zorder=4,
    )
    for index, column in enumerate(columns):
        name = (
            say(lang, "input", "输入")
            if index == 0
            else say(lang, "output", "输出")
            if index == 3
            else say(lang, "hidden", "隐藏层")
        )
        axes.text(column, 4.1, f"{name}\n{sizes[index]}", ha="center", va="bottom", fontsize=10)
    for layer in range(3):
        middle = (columns[layer] + columns[layer + 1]) / 2
        shape = tuple(gradients[f"{layer}.weight"].shape)
        axes.text(
            middle,
            -4.2,
            f"L{layer} = model[{layer}]\nLinear({sizes[layer]}, {sizes[layer + 1]})\n"
            f"weight.grad {shape}",
            ha="center",
            va="top",
            fontsize=9.5,
        )
    axes.add_patch(
        FancyArrowPatch(
            (0.0, 5.6), (loss_x, 5.6), arrowstyle="-|>", mutation_scale=20, color=BLUE, linewidth=2
        )
    )
    axes.text(
        loss_x / 2,
        5.75,
        say(lang, "forward pass: computes the loss", "前向传播：计算损失"),
        ha="center",
        va="bottom",
        color=BLUE,
        fontsize=11,
    )
    axes.add_patch(
        FancyArrowPatch(
            (loss_x, -6.1), (0.0, -6.1), arrowstyle="-|>", mutation_scale=20, color=RED, linewidth=2
        )
    )
    axes.text(
        loss_x / 2,
        -6.25,
        say(
            lang,
            "backward pass: gradients from the loss, L2 → L1 → L0",
            "反向传播：从损失出发求梯度，L2 → L1 → L0",
        ),
        ha="center",
        va="top",
        color=RED,
        fontsize=11,
    )
    axes.set_xlim(-0.6, loss_x + 0.9)
    axes.set_ylim(-7.2, 6.6)
    axes.axis("off")
    return figure


# ---------------------------------------------------------------- unit 3


@cache
def _one_weight_history() -> tuple[list[float], list[float]]:
    """w after each epoch and the loss of each epoch, from fit_slope on x = [1, 2, 3], y = [2, 4, 6].

    Per-sample SGD depends only on the current w, so 100 runs of one epoch,
    each starting where the last ended, are the 100-epoch run, epoch by epoch.
    """
    fit_slope = solution("manual_update").fit_slope
    weights, losses = [1.0], []
    for _ in range(100):
        w, (loss,) = fit_slope([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], w0=weights[-1], lr=0.01, epochs=1)
        weights.append(w)
        losses.append(loss)
    return weights, losses


def one_weight_fit(lang: str) -> Figure:
    """The line y = w·x after several epochs, and w and the loss over the epochs."""
    weights, losses = _one_weight_history()
    figure, (lines, history) = plt.subplots(1, 2, figsize=(10.0, 4.0))
    xs = np.array([0.0, 3.4])
    colours = plt.cm.viridis(np.linspace(0.0, 0.85, 6))
    for colour, epoch in zip(colours, (0, 1, 2, 5, 10, 100), strict=True):
        w = weights[epoch]
        label = say(lang, f"after {epoch} epochs: w = {w:.3f}", f"{epoch} 轮之后：w = {w:.3f}")
        lines.plot(xs, w * xs, color=colour, linewidth=1.8, label=label)
    lines.plot(
        [1, 2, 3],
        [2, 4, 6],
        "o",
        color=RED,
        markersize=8,
        zorder=3,
        label=say(lang, "data", "数据"),
    )
    lines.set_xlabel("$x$")
    lines.set_ylabel("$y$")
    lines.set_title(say(lang, "the model ŷ = w·x", "模型 ŷ = w·x"))
    lines.legend(fontsize=8, loc="upper left")

    epochs = np.arange(len(weights))
    history.plot(epochs, weights, color=BLUE, linewidth=2, label="w")
    history.axhline(2.0, color=GREY, linestyle="--", linewidth=1)
    history.set_xlabel(say(lang, "epoch", "轮次"))
    history.set_ylabel("w", color=BLUE)
    loss_axes = history.twinx()
    loss_axes.semilogy(np.arange(len(losses)), losses, color=ORANGE, linewidth=1.6)
    # Below 1e-8 float32 rounding, not learning, sets the values.
    loss_axes.set_ylim(1e-8, 30)
    loss_axes.spines["right"].set_visible(True)
    loss_axes.set_ylabel(
        say(lang, "loss of the epoch's last sample (log)", "每轮最后一个样本的损失（对数）"),
        color=ORANGE,
    )
    history.set_title(say(lang, "w goes to 2, the loss to 0", "w 趋向 2，损失趋向 0"))
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------- unit 4


@cache
def _regression_data() -> tuple[torch.Tensor, torch.Tensor]:
    """The lesson's data: x[:, 0] uniform in [-1, 1], a column of ones, y = x @ (3, 2) + noise."""
    torch.manual_seed(42)
    n = 100
    x = torch.ones(n, 2)
    x[:, 0].uniform_(-1, 1)
    y = x @ torch.tensor([3.0, 2.0]) + 0.3 * torch.randn(n)
    return x, y


START = (-1.0, 1.0)


def regression_fit(lang: str) -> Animation:
    """The fitted line of full-batch train_linear_regression (lr = 0.1), step by step."""
    train = solution("sgd").train_linear_regression
    x, y = _regression_data()
    start = torch.tensor(START)
    shown_steps = [0, 1, 2, 3, 4, 6, 8, 11, 15, 20, 30, 45, 70, 100]
    figure, axes = plt.subplots(figsize=(7.0, 4.6))
    axes.plot(x[:, 0], y, "o", color=GREY, markersize=4, alpha=0.8, label=say(lang, "data", "数据"))
    line_x = np.array([-1.1, 1.1])
    axes.plot(
        line_x,
        3 * line_x + 2,
        color=GREEN,
        linestyle="--",
        linewidth=1.2,
        label=say(lang, "true line y = 3x + 2", "真实直线 y = 3x + 2"),
    )
    for frame, steps in enumerate(shown_steps):
        a, losses = train(x, y, start, lr=0.1, epochs=steps)
        slope, intercept = a.tolist()
        loss = ((x @ a - y) ** 2).mean().item()
        axes.plot(
            line_x,
            slope * line_x + intercept,
            color=ORANGE,
            linewidth=2.5,
            gid=frame_gid(frame, "line"),
            label=say(lang, "fitted line", "拟合的直线") if frame == 0 else None,
        )
        caption = say(
            lang,
            f"step {steps}: a = ({slope:.2f}, {intercept:.2f}), loss {loss:.3f}",
            f"第 {steps} 步：a = ({slope:.2f}, {intercept:.2f})，损失 {loss:.3f}",
        )
        axes.text(
            0.02,
            0.97,
            caption,
            transform=axes.transAxes,
            va="top",
            fontsize=11,
            gid=frame_gid(frame, "caption"),
        )
    axes.set_xlim(-1.1, 1.1)
    axes.set_ylim(-3.5, 7.5)
    axes.set_xlabel("$x_0$")
    axes.set_ylabel("$y$")
    axes.legend(loc="lower right", fontsize=9)
    durations = [0.7] * (len(shown_steps) - 1) + [3.0]
    return Animation(figure, durations)


@cache
def _loss_runs() -> dict[str, list[float]]:
    """100 steps each: full batch (100 epochs), per sample (1 epoch), mini-batches of 10 (10 epochs)."""
    train = solution("sgd").train_linear_regression
    x, y = _regression_data()
    start = torch.tensor(START)
    runs = {}
    for name, batch_size, epochs in (("full", None, 100), ("sample", 1, 1), ("mini", 10, 10)):
        generator = torch.Generator().manual_seed(0)
        runs[name] = train(
            x, y, start, lr=0.1, epochs=epochs, batch_size=batch_size, generator=generator
        )[1]
    return runs


def loss_curves(lang: str) -> Figure:
    """Loss per step and per sample read, for full batch, per-sample SGD and mini-batches."""
    runs = _loss_runs()
    per_step = {"full": 100, "sample": 1, "mini": 10}
    styles = {
        "full": (BLUE, say(lang, "full batch (100 samples per step)", "全批量（每步 100 个样本）")),
        "sample": (ORANGE, say(lang, "per-sample SGD (1 per step)", "逐样本 SGD（每步 1 个）")),
        "mini": (GREEN, say(lang, "mini-batches of 10", "大小为 10 的小批量")),
    }
    figure, (by_step, by_sample) = plt.subplots(1, 2, figsize=(10.5, 4.0), sharey=True)
    for name, losses in runs.items():
        colour, label = styles[name]
        steps = np.arange(1, len(losses) + 1)
        for axes, xs in ((by_step, steps), (by_sample, steps * per_step[name])):
            if name == "sample":
                # One sample's loss jumps by orders of magnitude: show it faint, with its trend.
                axes.plot(xs, losses, color=colour, linewidth=0.7, alpha=0.45)
                trend = np.convolve(losses, np.ones(10) / 10, mode="valid")
                axes.plot(
                    xs[9:],
                    trend,
                    color=colour,
                    linewidth=1.8,
                    label=label + say(lang, ", mean of 10 steps", "，10 步平均"),
                )
            else:
                axes.plot(xs, losses, color=colour, linewidth=1.8, label=label)
    by_step.set_yscale("log")
    by_step.set_ylim(1e-3, 20)
    by_step.set_xlabel(say(lang, "step", "步数"))
    by_step.set_ylabel(say(lang, "loss of the step's batch (log)", "该步小批量的损失（对数）"))
    by_step.set_title(say(lang, "per step", "按步数"))
    by_step.legend(fontsize=9)
    by_sample.set_xscale("log")
    by_sample.set_xlabel(say(lang, "samples read (log)", "读过的样本数（对数）"))
    by_sample.set_title(say(lang, "per sample read", "按读过的样本数"))
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------- unit 5


def _rosenbrock_grid(x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rosenbrock and its gradient on a grid, in one autograd call on a (2, H, W) tensor."""
    lr_decay = solution("lr_decay")
    points = torch.from_numpy(np.stack(np.meshgrid(x1, x2)))

    def total(p: torch.Tensor) -> torch.Tensor:
        # Each grid point enters the sum only through its own term.
        return lr_decay.rosenbrock(p).sum()

    gradient = solution("derivatives").autograd_gradient(total, points)
    return lr_decay.rosenbrock(points).numpy(), gradient.numpy()


def _contours(axes, x1: np.ndarray, x2: np.ndarray, values: np.ndarray) -> None:
    levels = np.logspace(-2, 3, 16)
    axes.contour(x1, x2, values, levels=levels, colors="#b0b7d6", linewidths=0.7)
    axes.plot([1], [1], "*", color=GREEN, markersize=15, zorder=5)


@cache
def _trajectories() -> dict[str, np.ndarray]:
    lr_decay = solution("lr_decay")
    start = torch.tensor([2.0, 2.0], dtype=torch.float64)

    def time_based(i: int) -> float:
        return lr_decay.time_based_decay(0.2, 0.01, i)

    return {
        name: lr_decay.minimize(lr_decay.rosenbrock, start, lr, 100).numpy()
        for name, lr in (("0.1", 0.1), ("0.2", 0.2), ("decay", time_based))
    }


def rosenbrock_trajectories(lang: str) -> Figure:
    """minimize from (2, 2): lr 0.1, lr 0.2 and time-based decay (0.2, 0.01), 100 iterations."""
    lr_decay = solution("lr_decay")
    paths = _trajectories()
    styles = {
        "0.1": (BLUE, "lr = 0.1"),
        "0.2": (RED, "lr = 0.2"),
        "decay": (GREEN, say(lang, "lr = 0.2 / (1 + 0.01 i)", "lr = 0.2 / (1 + 0.01 i)")),
    }
    figure, (plane, losses) = plt.subplots(
        1, 2, figsize=(11.0, 4.6), gridspec_kw={"width_ratios": [1.15, 1]}
    )
    x1 = np.linspace(-2.0, 2.5, 181)
    x2 = np.linspace(-1.0, 3.5, 181)
    values, _ = _rosenbrock_grid(x1, x2)
    _contours(plane, x1, x2, values)
    for name, path in paths.items():
        colour, label = styles[name]
        plane.plot(
            path[:, 0],
            path[:, 1],
            "-o",
            color=colour,
            markersize=2.5,
            linewidth=1,
            label=label,
            alpha=0.85,
        )
        trajectory_losses = [lr_decay.rosenbrock(torch.from_numpy(point)).item() for point in path]
        losses.semilogy(trajectory_losses, color=colour, linewidth=1.6, label=label)
    plane.plot([2], [2], "s", color="black", markersize=6, zorder=5)
    plane.annotate(
        say(lang, "start (2, 2)", "起点 (2, 2)"),
        (2, 2),
        (1.55, 2.9),
        fontsize=10,
        arrowprops={"arrowstyle": "->", "color": GREY},
    )
    plane.annotate(
        say(lang, "minimum (1, 1)", "最小值 (1, 1)"),
        (1, 1),
        (1.35, -0.2),
        fontsize=10,
        arrowprops={"arrowstyle": "->", "color": GREY},
    )
    plane.set_xlabel("$x_1$")
    plane.set_ylabel("$x_2$")
    plane.set_title(say(lang, "paths on the contours of Rosenbrock", "Rosenbrock 等高线上的路径"))
    plane.legend(loc="lower left", fontsize=9)
    losses.set_xlabel(say(lang, "iteration", "迭代次数"))
    losses.set_ylabel(say(lang, "loss (log)", "损失（对数）"))
    losses.set_title(say(lang, "loss along each path", "每条路径上的损失"))
    losses.legend(fontsize=9)
    figure.tight_layout()
    return figure


# The stability limit at the minimum: lr < 2 / λ_max of the Hessian there.
STABILITY_START = (1.05, 1.0)
STABILITY_RATES = (0.17, 0.175)


def rosenbrock_stability(lang: str) -> Figure:
    """minimize from (1.05, 1) with lr just below and just above 2 / λ_max ≈ 0.1716, 300 iterations."""
    lr_decay = solution("lr_decay")
    start = torch.tensor(STABILITY_START, dtype=torch.float64)
    hessian = torch.autograd.functional.hessian(lr_decay.rosenbrock, torch.ones(2, dtype=torch.float64))
    limit = 2 / torch.linalg.eigvalsh(hessian).max().item()
    figure, (plane, distances) = plt.subplots(1, 2, figsize=(10.5, 4.2))
    x1 = np.linspace(0.88, 1.12, 121)
    x2 = np.linspace(0.82, 1.12, 121)
    values, _ = _rosenbrock_grid(x1, x2)
    plane.contour(x1, x2, values, levels=np.logspace(-5, -1.5, 12), colors="#b0b7d6", linewidths=0.7)
    plane.plot([1], [1], "*", color=GREEN, markersize=15, zorder=5)
    for lr, colour in zip(STABILITY_RATES, (BLUE, RED), strict=True):
        path = lr_decay.minimize(lr_decay.rosenbrock, start, lr, 300).numpy()
        below = lr < limit
        label = f"lr = {lr:g} " + (
            say(lang, "(below the limit)", "（低于上限）") if below else say(lang, "(above the limit)", "（高于上限）")
        )
        shown = path[:60]
        plane.plot(shown[:, 0], shown[:, 1], "-o", color=colour, markersize=2.5, linewidth=0.8, alpha=0.85, label=label)
        distance = np.sqrt(((path - 1.0) ** 2).sum(axis=1))
        distances.semilogy(distance, color=colour, linewidth=1.6, label=label)
    plane.plot([STABILITY_START[0]], [STABILITY_START[1]], "s", color="black", markersize=6, zorder=5)
    plane.set_xlabel("$x_1$")
    plane.set_ylabel("$x_2$")
    plane.set_title(say(lang, "the first 60 steps near (1, 1)", "(1, 1) 附近的前 60 步"))
    plane.legend(loc="lower right", fontsize=9)
    distances.set_xlabel(say(lang, "iteration", "迭代次数"))
    distances.set_ylabel(say(lang, "distance to (1, 1) (log)", "到 (1, 1) 的距离（对数）"))
    distances.set_title(say(lang, f"limit 2 / λ_max ≈ {limit:.4f}", f"上限 2 / λ_max ≈ {limit:.4f}"))
    distances.legend(fontsize=9)
    figure.tight_layout()
    return figure


def rosenbrock_quiver(lang: str) -> Figure:
    """Arrows of the negative gradient of Rosenbrock, all the same length, coloured by steepness."""
    x1 = np.linspace(-2.0, 2.0, 21)
    x2 = np.linspace(-1.0, 3.0, 21)
    _, gradient = _rosenbrock_grid(x1, x2)
    downhill = -gradient
    length = np.sqrt((downhill**2).sum(axis=0)) + 1e-12
    figure, axes = plt.subplots(figsize=(7.0, 5.6))
    fine1, fine2 = np.linspace(-2.0, 2.0, 161), np.linspace(-1.0, 3.0, 161)
    _contours(axes, fine1, fine2, _rosenbrock_grid(fine1, fine2)[0])
    arrows = axes.quiver(
        x1,
        x2,
        downhill[0] / length,
        downhill[1] / length,
        np.log10(length),
        cmap="viridis",
        pivot="mid",
        scale=28,
        width=0.004,
    )
    # The exact minimum has |∇f| = 0; the scale covers the plane around it, not that one point.
    arrows.set_clim(-1.5, 1.7)
    bar = figure.colorbar(arrows, ax=axes)
    bar.set_label(say(lang, "steepness: log₁₀ |∇f|", "陡峭程度：log₁₀ |∇f|"))
    valley = np.linspace(-1.7, 1.7, 100)
    axes.plot(
        valley,
        valley**2,
        color=ORANGE,
        linestyle="--",
        linewidth=1.2,
        label=say(lang, "valley floor x₂ = x₁²", "谷底 x₂ = x₁²"),
    )
    axes.set_xlabel("$x_1$")
    axes.set_ylabel("$x_2$")
    axes.set_title(say(lang, "downhill directions −∇f", "下坡方向 −∇f"))
    axes.legend(loc="lower right", fontsize=9)
    axes.set_xlim(-2.1, 2.1)
    axes.set_ylim(-1.1, 3.1)
    return figure


def lr_schedules(lang: str) -> Figure:
    """Time-based (decay 0.01), step (halve every 25) and exponential (γ = 0.98) decay from 0.2."""
    lr_decay = solution("lr_decay")
    iterations = np.arange(100)
    schedules = (
        (
            say(lang, "time-based: 0.2 / (1 + 0.01 i)", "基于时间：0.2 / (1 + 0.01 i)"),
            BLUE,
            [lr_decay.time_based_decay(0.2, 0.01, int(i)) for i in iterations],
        ),
        (
            say(lang, "step: 0.2 · 0.5^⌊i / 25⌋", "阶梯：0.2 · 0.5^⌊i / 25⌋"),
            ORANGE,
            [lr_decay.step_decay(0.2, 0.5, 25, int(i)) for i in iterations],
        ),
        (
            say(lang, "exponential: 0.2 · 0.98^i", "指数：0.2 · 0.98^i"),
            GREEN,
            [lr_decay.exponential_decay(0.2, 0.98, int(i)) for i in iterations],
        ),
    )
    figure, panels = plt.subplots(1, 3, figsize=(11.0, 3.5), sharey=True)
    for axes, (title, colour, rates) in zip(panels, schedules, strict=True):
        axes.plot(
            iterations,
            rates,
            color=colour,
            linewidth=2,
            drawstyle="steps-post" if colour == ORANGE else "default",
        )
        axes.set_title(title, fontsize=11)
        axes.set_xlabel(say(lang, "iteration i", "迭代次数 i"))
        axes.set_ylim(0, 0.21)
        axes.grid(alpha=0.3)
    panels[0].set_ylabel(say(lang, "learning rate", "学习率"))
    figure.tight_layout()
    return figure


# ---------------------------------------------------------------- unit 6

CLASSIFIER = {"epochs": 150, "batch_size": 16, "lr0": 0.5, "decay": 0.01}


@cache
def _classifier_run() -> dict[str, list[float]]:
    """train_classifier on a small noisy training set, plus accuracies on it and on held-out data.

    The unit's `train_classifier` gives the losses. Its accuracies per epoch
    come from the same run replayed with the unit's `train_epoch` and
    `accuracy` (same seed, same shuffles); the replay must reproduce the losses.
    """
    loop = solution("training_loop")
    data = torch.Generator().manual_seed(6)
    x = torch.randn(1064, 16, generator=data)
    y = (x[:, 0] + x[:, 1] - x[:, 2] > 0).long()
    flip = torch.rand(1064, generator=data) < 0.15  # label noise that a model can only memorise
    y = torch.where(flip, 1 - y, y)
    train_x, train_y, held_x, held_y = x[:64], y[:64], x[64:], y[64:]

    torch.manual_seed(0)
    _, losses = loop.train_classifier(
        train_x, train_y, generator=torch.Generator().manual_seed(1), **CLASSIFIER
    )

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=CLASSIFIER["lr0"])
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, solution("lr_decay").time_based_lambda(CLASSIFIER["decay"])
    )
    shuffles = torch.Generator().manual_seed(1)
    replayed, held_losses, train_accuracy, held_accuracy = [], [], [], []
    for _ in range(CLASSIFIER["epochs"]):
        replayed.append(
            loop.train_epoch(
                model,
                nn.CrossEntropyLoss(),
                optimizer,
                train_x,
                train_y,
                CLASSIFIER["batch_size"],
                shuffles,
            )
        )
        scheduler.step()
        with torch.no_grad():
            train_accuracy.append(loop.accuracy(model(train_x), train_y))
            held_accuracy.append(loop.accuracy(model(held_x), held_y))
            held_losses.append(nn.functional.cross_entropy(model(held_x), held_y).item())
    if not np.allclose(replayed, losses):
        raise RuntimeError("training-curves: the replay of train_classifier gave other losses")
    return {
        "losses": losses,
        "held_out_losses": held_losses,
        "train": train_accuracy,
        "held_out": held_accuracy,
    }


def training_curves(lang: str) -> Figure:
    """train_classifier's loss per epoch; accuracy on the training set and on held-out data."""
    run = _classifier_run()
    epochs = np.arange(1, len(run["losses"]) + 1)
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(10.5, 4.0))
    loss_axes.plot(
        epochs,
        run["losses"],
        color=ORANGE,
        linewidth=1.8,
        label=say(lang, "training (train_classifier)", "训练集（train_classifier）"),
    )
    loss_axes.plot(
        epochs,
        run["held_out_losses"],
        color=GREEN,
        linewidth=1.8,
        label=say(lang, "held-out", "留出集"),
    )
    loss_axes.legend(fontsize=9)
    loss_axes.set_xlabel(say(lang, "epoch", "轮次"))
    loss_axes.set_ylabel(say(lang, "mean cross-entropy loss", "平均交叉熵损失"))
    loss_axes.set_title(say(lang, "loss per epoch", "每轮的损失"))
    accuracy_axes.plot(
        epochs,
        run["train"],
        color=ORANGE,
        linewidth=1.8,
        label=say(lang, "training set (64 samples)", "训练集（64 个样本）"),
    )
    accuracy_axes.plot(
        epochs,
        run["held_out"],
        color=GREEN,
        linewidth=1.8,
        label=say(lang, "held-out set (1000 samples)", "留出集（1000 个样本）"),
    )
    accuracy_axes.set_xlabel(say(lang, "epoch", "轮次"))
    accuracy_axes.set_ylabel(say(lang, "accuracy", "准确率"))
    accuracy_axes.set_title(
        say(lang, "overfitting: the gap between the two", "过拟合：两条曲线之间的差距")
    )
    accuracy_axes.legend(fontsize=9, loc="lower right")
    figure.tight_layout()
    return figure


# The names the lesson pages use: ![…](../figures/<name>.svg).
FIGURES: dict[str, Callable[[str], Figure | Animation]] = {
    "slope-arrows": slope_arrows,
    "convex-nonconvex": convex_nonconvex,
    "gradient-descent-steps": gradient_descent_steps,
    "network-16-8-4-2": network_16_8_4_2,
    "one-weight-fit": one_weight_fit,
    "regression-fit": regression_fit,
    "loss-curves": loss_curves,
    "rosenbrock-trajectories": rosenbrock_trajectories,
    "rosenbrock-quiver": rosenbrock_quiver,
    "rosenbrock-stability": rosenbrock_stability,
    "lr-schedules": lr_schedules,
    "training-curves": training_curves,
}
