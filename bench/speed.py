"""How much does isolation cost? `grader check --solutions` against `python -c "import torch"`.

Runs the three commands in turn (interleaved, so that drift of the machine
hits all alike), each `--repeat` times in fresh processes, and reports the
median wall time with its spread and the ratio to importing torch:

- the strict runner (Linux: tasks in namespaces or as users of their own),
  goal at most 1.3;
- the portable runner (`DESCENT_RUNNER=portable`, as on macOS and Windows),
  goal at most 2.

Then a per-task breakdown from one grading: each task's wall and CPU time.

    python bench/speed.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOALS = {"strict": 1.3, "portable": 2.0}


def wall_time(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    seconds = time.perf_counter() - started
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}")
    return seconds


def describe(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, n={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    plain = {key: value for key, value in os.environ.items() if key != "DESCENT_RUNNER"}
    commands = {
        "import torch": ([sys.executable, "-c", "import torch"], plain),
        "strict": ([sys.executable, "-m", "grader", "check", "--solutions"], plain),
        "portable": ([sys.executable, "-m", "grader", "check", "--solutions"], {**plain, "DESCENT_RUNNER": "portable"}),
    }
    # Python writes the package's bytecode on its first import, except where PYTHONDONTWRITEBYTECODE
    # is set (as on this machine): then every run would compile it again (about 0.2 CPU-s).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "grader")], check=True)
    for command, environment in commands.values():
        wall_time(command, environment)  # warm the file cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, (command, environment) in commands.items():
            times[name].append(wall_time(command, environment))
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"load average before/after: {load[0]}, {os.cpu_count()} cores")
    baseline = statistics.median(times["import torch"])
    print(f"python -c 'import torch'           {describe(times['import torch'])}")
    for name in ("strict", "portable"):
        ratio = statistics.median(times[name]) / baseline
        spread = (min(times[name]) / baseline, max(times[name]) / baseline)
        print(f"grader check --solutions ({name:8}) {describe(times[name])}")
        print(f"  ratio {ratio:.2f} (runs {spread[0]:.2f}-{spread[1]:.2f}; goal: at most {GOALS[name]})")

    from grader.grading import grade
    from grader.manifest import course
    from grader.paths import solutions_dir

    result = grade(course(), solutions_dir())
    print()
    print(f"tasks contained by: {result.runner_mode}")
    print("| task | wall (s) | CPU (s) | checks | points |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for task in result.tasks:
        print(f"| {task.task.id} | {task.run.seconds:.3f} | {task.run.cpu_seconds:.3f} | {len(task.checks)} | {task.score:g}/{task.max_score:g} |")
    print(f"grading phase: {result.timings['grading']:.3f} s")


if __name__ == "__main__":
    main()
