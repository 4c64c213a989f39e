"""Seeded inputs: the same call gives the same tensor in every process, every run."""

from __future__ import annotations

import torch


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def randn(*shape: int, seed: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.randn(*shape, generator=generator(seed), dtype=dtype)


def uniform(*shape: int, low: float, high: float, seed: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return low + (high - low) * torch.rand(*shape, generator=generator(seed), dtype=dtype)


def classes(n: int, num_classes: int, seed: int) -> torch.Tensor:
    return torch.randint(0, num_classes, (n,), generator=generator(seed))
