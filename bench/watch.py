"""How long after a save does `grader watch` show the result? (Goal: under 0.3 s.)

Starts `grader watch` in a scratch copy of the course, waits until it is
ready, then several times edits one task's function in a file, saves it, and
measures the time until the result's score line is printed.

    python bench/watch.py [--saves 8]
"""

from __future__ import annotations

import argparse
import os
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_until(process: subprocess.Popen, marker: str, timeout: float) -> float:
    """Read the watcher's output until a line contains `marker`; the time it appeared."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buffer = ""
    while time.monotonic() < deadline:
        if not selector.select(timeout=0.05):
            continue
        chunk = os.read(process.stdout.fileno(), 65536).decode("utf-8", errors="replace")
        if not chunk:
            break
        buffer += chunk
        if marker in buffer:
            return time.perf_counter()
    raise TimeoutError(f"no {marker!r} within {timeout} s; got: {buffer[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=8)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="descent-watch-"))
    try:
        shutil.copy(ROOT / "course.toml", scratch / "course.toml")
        shutil.copytree(ROOT / "solutions", scratch / "exercises")
        environment = {**os.environ, "LANG": "en_US.UTF-8", "COLUMNS": "120"}
        process = subprocess.Popen(
            [sys.executable, "-m", "grader", "watch"], cwd=scratch, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment
        )
        try:
            read_until(process, "Ctrl+C", timeout=60)
            target = scratch / "exercises" / "sgd.py"
            original = target.read_text(encoding="utf-8")
            latencies: dict[str, list[float]] = {"right answer (4.2)": [], "wrong answer with diagnosis (4.1)": []}
            for save in range(args.saves):
                if save % 2 == 0:
                    kind = "right answer (4.2)"
                    edited = original.replace(
                        "    perm = torch.randperm(n, generator=generator)",
                        f"    perm = torch.randperm(n, generator=generator)  # save {save}",
                    )
                else:
                    kind = "wrong answer with diagnosis (4.1)"
                    edited = original.replace("return ((y_hat - y) ** 2).mean()", f"return ((y_hat - y) ** 2).sum() * {save}")
                time.sleep(0.3)
                saved = time.perf_counter()
                target.write_text(edited, encoding="utf-8")
                shown = read_until(process, "Score:", timeout=30)
                latencies[kind].append(shown - saved)
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("save-to-result latency of `grader watch` (goal: under 0.3 s)")
    for kind, values in latencies.items():
        print(f"  {kind}: median {statistics.median(values):.3f} s, max {max(values):.3f} s over {len(values)} saves")


if __name__ == "__main__":
    main()
