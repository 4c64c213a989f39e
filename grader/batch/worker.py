"""A batch grading worker: a process of its own that grades one submission at a time.

    python -m grader.batch.worker LANG TIMEOUT TASK_PROCESSES

The batch starts a few (see `grader.batch.worker_layout`). A worker warms up
once (torch, the checks, one pytest session, one runner), says
`{"ready": true}`, then reads one request per line on stdin,
`{"student": ..., "folder": ...}`, and answers each with one line of JSON on
its stdout (`reply`): per task its points, status, feedback and run time, per
check its name, weight, result and the message key of its mistake, and the
student's `results.json`; or `{"error": ...}`. It dies with the batch
(parent-death signal), so a killed batch leaves no grading behind. The
student's code never runs here: the runner runs it in sandboxed task
processes of its own, up to TASK_PROCESSES of one submission's tasks at once.

`WarmGrader` is the same grading for a Dask worker (`grader.batch.cluster`).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import Any


def task_status(task_result) -> str:
    if task_result.passed:
        return "passed"
    if task_result.not_implemented:
        return "todo"
    return "partial" if task_result.score > 0 else "failed"


def reply(result, lang: str) -> dict[str, Any]:
    """What a worker answers for one graded submission (plain JSON data)."""
    from grader.feedback import task_output
    from grader.report import gradescope

    return {
        "tasks": [
            {
                "task": task_result.task.id,
                "points": task_result.score,
                "max_points": task_result.max_score,
                "status": task_status(task_result),
                "feedback": task_output(task_result, lang),
                "seconds": round(task_result.run.seconds, 4),
                "checks": [
                    {
                        "name": check.name,
                        "weight": check.weight,
                        "passed": check.passed,
                        "mistake": "" if check.passed or check.failure is None else check.failure.key,
                        "hidden": check.hidden,
                    }
                    for check in task_result.checks
                ],
            }
            for task_result in result.tasks
        ],
        "results": gradescope(result, lang),
        "seconds": round(result.timings.get("grading", 0.0), 3),
    }


def grade_folder(folder: Path, lang: str, timeout: float | None, runner) -> dict[str, Any]:
    """Grade one folder with `grader.grading.grade` (a session per submission) and answer as a worker does."""
    from grader.grading import grade
    from grader.manifest import course

    return reply(grade(course(), folder, timeout=timeout, runner=runner), lang)


class WarmGrader:
    """One runner and one judging session, warm, for every submission this process grades."""

    def __init__(self, timeout: float | None = None, task_processes: int | None = None, private: list[str] | None = None) -> None:
        from grader.manifest import course
        from grader.process import import_torch_for_judging
        from grader.runner import Runner

        self.timeout = timeout
        # Started first: its worker imports torch while this process does.
        self.runner = Runner(units=list(course().modules), workers=task_processes, private=private or [])
        try:
            torch = import_torch_for_judging()
            from grader.batch.judge import SessionJudge

            # The checks' oracles work on small tensors: more threads only spin, and on a busy
            # machine their spinning costs more CPU than the work (about five times, measured).
            torch.set_num_threads(1)
            self.judge = SessionJudge(course(), self.runner, timeout)
        except BaseException:
            self.runner.close()
            raise

    @property
    def ready(self) -> dict[str, Any]:
        runner = self.runner
        return {"ready": True, "mode": runner.mode, "contained": runner.contained, "notes": runner.ready.get("notes", [])}

    def grade(self, folder: Path, lang: str) -> dict[str, Any]:
        return reply(self.judge.grade(folder), lang)

    def close(self) -> None:
        self.judge.close()
        self.runner.close()  # its worker and every folder it made


def main(argv: list[str]) -> None:
    from grader.process import die_with_parent

    die_with_parent()
    lang = argv[0] if argv else "en"
    timeout = float(argv[1]) if len(argv) > 1 and float(argv[1]) > 0 else None
    task_processes = int(argv[2]) if len(argv) > 2 and int(argv[2]) > 0 else None
    # Answers go to the original stdout; anything else printed here goes to stderr.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    # Hidden from every task: the submissions, the results, the other students' staged files.
    private = [entry for entry in os.environ.get("DESCENT_PRIVATE_PATHS", "").split(os.pathsep) if entry]
    grader = WarmGrader(timeout, task_processes, private)
    gc.freeze()  # the warm heap is never scanned again
    channel.write(json.dumps(grader.ready) + "\n")
    channel.flush()
    try:
        for line in sys.stdin:
            try:
                request = json.loads(line)
                answer = grader.grade(Path(request["folder"]), lang)
            except Exception as error:  # noqa: BLE001 - the batch records it against this student only
                answer = {"error": f"{type(error).__name__}: {error}"[:2000]}
            channel.write(json.dumps(answer, ensure_ascii=False) + "\n")
            channel.flush()
            gc.collect()
            if not grader.judge.thread.is_alive():
                break  # the session broke: the batch starts a fresh worker for the next student
    finally:
        grader.close()


if __name__ == "__main__":
    gc.disable()  # like the `grader` command: collect between submissions, not during one
    main(sys.argv[1:])
