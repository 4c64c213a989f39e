"""How much does isolation cost? `grader check --solutions` against `import torch`.

Runs both commands several times in fresh processes and reports the ratio of
the median wall times (the goal is at most 1.5), then a per-task breakdown
from one in-process grading run: each task's own process (fork to result)
and the judging phase.

    python bench/speed.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def wall_time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_time(command: list[str], repeat: int) -> float:
    wall_time(command)  # warm the file cache
    return statistics.median(wall_time(command) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    torch_import = median_time([sys.executable, "-c", "import torch"], args.repeat)
    check = median_time([sys.executable, "-m", "grader", "check", "--solutions"], args.repeat)
    ratio = check / torch_import
    print(f"python -c 'import torch'      median {torch_import:.3f} s over {args.repeat} runs")
    print(f"grader check --solutions      median {check:.3f} s over {args.repeat} runs")
    print(f"ratio                         {ratio:.2f}  (goal: at most 1.5)")

    from grader.grading import grade
    from grader.manifest import course
    from grader.paths import solutions_dir

    result = grade(course(), solutions_dir())
    print()
    print("| task | own process (s) | checks | points |")
    print("| --- | ---: | ---: | ---: |")
    for task in result.tasks:
        print(f"| {task.task.id} | {task.run.seconds:.3f} | {len(task.checks)} | {task.score:g}/{task.max_score:g} |")
    print()
    for phase, seconds in result.timings.items():
        print(f"{phase} phase: {seconds:.3f} s")
    print(f"tasks isolated: {sum(1 for t in result.tasks if t.run.status == 'ok')} of {len(result.tasks)}")


if __name__ == "__main__":
    main()
