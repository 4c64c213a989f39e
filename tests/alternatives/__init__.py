"""A catalogue of correct answers in other styles, which must score full points.

Each module here is named after a course module and holds `ALTERNATIVES`. An
alternative's `source` is appended to a copy of the reference solution (its
definitions replace the reference ones), like a mutant's; grading its task
must give every point. They are the styles real students write: `torch.func`,
`torch.autograd.grad` instead of `backward()`, `.data` updates, an
`Optimizer` subclass, numpy floats, float64 inside and a cast back.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Alternative:
    task: str
    name: str
    source: str

    @property
    def id(self) -> str:
        return f"{self.task}-{self.name}"
