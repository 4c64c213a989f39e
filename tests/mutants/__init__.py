"""A catalogue of wrong answers that the graders must catch.

Each module here is named after a course module and holds `MUTANTS`. A
mutant's `source` is appended to a copy of the reference solution, so its
definitions replace the reference ones of the same name. Grading the task
must then lose points, and the English feedback must contain `feedback`
(case-insensitive): the words that name the mistake.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    task: str
    name: str
    source: str
    feedback: str

    @property
    def id(self) -> str:
        return f"{self.task}-{self.name}"
