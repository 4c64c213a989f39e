"""The contract matrix: every clause of the curriculum is proved by a check (grader/checks/contract/)."""

from grader.checks.contract import (
    README,
    checks_by_task,
    curriculum_path,
    load_matrix,
    problems,
    readme_with_matrix,
)


def test_every_clause_of_the_curriculum_has_a_check():
    found = problems(curriculum_path().read_text(encoding="utf-8"), load_matrix(), checks_by_task())
    assert found == [], "\n".join(found[:40])


def test_the_checks_readme_shows_the_current_matrix():
    readme = README.read_text(encoding="utf-8")
    assert readme == readme_with_matrix(readme, load_matrix()), "run `python -m grader.checks.contract` to update grader/checks/README.md"
