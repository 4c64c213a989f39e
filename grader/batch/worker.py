"""A batch grading worker: a process of its own that grades one submission at a time.

    python -m grader.batch.worker LANG TIMEOUT TASK_PROCESSES

The batch starts one per core. A worker warms up once (torch, the checks),
says `{"ready": true}`, then reads one request per line on stdin, `{"student": ..., "folder": ...}`,
and answers each with one line of JSON on its stdout: the per-task grades and
the student's `results.json`, or `{"error": ...}`. It dies with the batch
(parent-death signal), so a killed batch leaves no grading behind. The
student's code never runs here: the grading core runs it in sandboxed task
processes of its own.
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


def grade_folder(folder: Path, lang: str, timeout: float | None, runner) -> dict[str, Any]:
    from grader.feedback import task_output
    from grader.grading import grade
    from grader.manifest import course
    from grader.report import gradescope

    result = grade(course(), folder, timeout=timeout, runner=runner)
    return {
        "tasks": [
            {
                "task": task_result.task.id,
                "points": task_result.score,
                "max_points": task_result.max_score,
                "status": task_status(task_result),
                "feedback": task_output(task_result, lang),
            }
            for task_result in result.tasks
        ],
        "results": gradescope(result, lang),
    }


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

    from grader.grading import load_checks
    from grader.manifest import course
    from grader.runner import Runner

    # One worker for every submission of this process: each task is still a fresh, contained process.
    private = [entry for entry in os.environ.get("DESCENT_PRIVATE_PATHS", "").split(os.pathsep) if entry]
    runner = Runner(units=list(course().modules), workers=task_processes, private=private)
    load_checks(course())
    gc.freeze()  # the warm heap is never scanned again
    ready = {"ready": True, "mode": runner.mode, "contained": runner.contained, "notes": runner.ready.get("notes", [])}
    channel.write(json.dumps(ready) + "\n")
    channel.flush()
    try:
        for line in sys.stdin:
            try:
                request = json.loads(line)
                reply = grade_folder(Path(request["folder"]), lang, timeout, runner)
            except Exception as error:  # noqa: BLE001 - the batch records it against this student only
                reply = {"error": f"{type(error).__name__}: {error}"[:2000]}
            channel.write(json.dumps(reply, ensure_ascii=False) + "\n")
            channel.flush()
            gc.collect()
    finally:
        runner.close()  # its worker and every folder it made


if __name__ == "__main__":
    gc.disable()  # like the `grader` command: collect between submissions, not during one
    main(sys.argv[1:])
