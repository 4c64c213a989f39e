"""Hidden scenarios: inputs of the hidden checks, which the students' copy does not contain.

`grader/scenarios/hidden/<module>.py` registers scenarios like any unit's
(`load_unit` loads it too, where it exists); only hidden checks
(`@pytest.mark.task(..., hidden=True)`) judge them, and they import what they
need from here inside their own body. `grader release` leaves these modules
out, with the hidden checks, so a student cannot fit their code to these
inputs: the re-test of a task's main property on cases they have never seen.
"""
