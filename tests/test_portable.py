"""The student's path on any operating system: the portable runner, through the `grader` command.

On macOS and Windows the portable runner is the only one; on Linux these tests
force it (`DESCENT_RUNNER=portable`), and `.github/workflows/student-os.yml`
runs them on real Linux, macOS and Windows machines. Nothing here uses /proc,
fork or a Linux-only module.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import EXERCISES, ROOT, SOLUTIONS

PORTABLE_ENV = {"DESCENT_RUNNER": "portable", "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}


def grader(*arguments: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    environment = {**os.environ, **PORTABLE_ENV}
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, encoding="utf-8", timeout=timeout
    )


def with_changes(folder: Path, module: str, source: str) -> Path:
    shutil.copytree(SOLUTIONS, folder)
    target = folder / f"{module}.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + textwrap.dedent(source), encoding="utf-8")
    return folder


def test_reference_solutions_score_full_points():
    done = grader("check", "--solutions", "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Score: 100 / 100" in done.stdout
    assert "Advisory result" in done.stdout  # the portable runner contains nothing: it says so


def test_untouched_stubs_score_zero():
    done = grader("check", "--submission", str(EXERCISES), "--lang", "en")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Score: 0 / 100" in done.stdout


def test_broken_tasks_cost_only_themselves(tmp_path):
    submission = with_changes(
        tmp_path / "submission",
        "derivatives",
        """
        def central_difference(f, x, h=1e-4):
            while True:
                pass


        def autograd_gradient(f, x):
            print("descent says hello", 6 * 7)
            raise ValueError("on purpose")


        def gradient_descent(grad_fn, x0, lr, steps):
            import os
            os._exit(3)
        """,
    )
    done = grader("check", "--submission", str(submission), "--timeout", "2", "--lang", "en", "1.1", "1.2", "1.3", "2.2", "4.1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "used more than 2 s of CPU time" in done.stdout
    assert "descent says hello 42" in done.stdout  # printed output reaches the feedback
    assert "ended without a result" in done.stdout
    assert "2.2 Backward through a linear layer  6/6" in done.stdout
    assert "4.1 Mean squared error  3/3" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_the_judge_needs_no_linux_only_module(tmp_path):
    """With fcntl, resource and termios missing (as on Windows), grading still works."""
    script = textwrap.dedent(
        f"""
        import sys
        for name in ("fcntl", "resource", "termios", "grp", "pwd"):
            sys.modules[name] = None
        from grader.grading import grade
        from grader.manifest import course
        from pathlib import Path
        result = grade(course(), Path({str(SOLUTIONS)!r}), ["1.1", "4.3", "6.2"])
        print(result.runner_mode, f"{{result.score:g}}", f"{{result.max_score:g}}")
        """
    )
    environment = {**os.environ, **PORTABLE_ENV}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["portable", "14", "14"]


def _course_copy(folder: Path) -> Path:
    """A clone's layout: course.toml beside exercises/ (the stubs)."""
    folder.mkdir()
    shutil.copy(ROOT / "course.toml", folder / "course.toml")
    shutil.copytree(EXERCISES, folder / "exercises")
    return folder


def _wait_for(process: subprocess.Popen, lines: list[str], words: str, patience: float = 240) -> None:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if words in line:
            return
    raise AssertionError(f"never saw {words!r}: {''.join(lines)[-3000:]}")


def test_watch_grades_a_saved_task(tmp_path):
    course_dir = _course_copy(tmp_path / "course")
    environment = {**os.environ, **PORTABLE_ENV, "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "watch", "--lang", "en"], cwd=course_dir, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
    )  # fmt: skip
    lines: list[str] = []
    try:
        _wait_for(process, lines, "Watching")
        time.sleep(0.2)
        shutil.copy(SOLUTIONS / "derivatives.py", course_dir / "exercises" / "derivatives.py")
        _wait_for(process, lines, "1.3 Walking downhill")
        assert any("1.1 Slopes by central differences  4/4" in line for line in lines), "".join(lines)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.skipif(os.name != "posix", reason="Ctrl-C is a POSIX signal; Windows has no SIGINT to send to a process")
def test_ctrl_c_says_stopped_and_leaves_nothing_running(tmp_path):
    marker = tmp_path / "looping"  # the task says when it loops: Ctrl-C then comes during the grading, however busy the machine
    body = f"def central_difference(f, x, h=1e-4):\n    open({str(marker)!r}, 'w').close()\n    while True:\n        pass\n"
    submission = with_changes(tmp_path / "submission", "derivatives", body)
    environment = {**os.environ, **PORTABLE_ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "grader", "check", "--submission", str(submission), "--lang", "en", "1.1", "1.2"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # As a terminal starts it: a suite started in the background (`&` in a script) ignores SIGINT, and the grader
        # respects a caller that does (`grader.process.remember_interrupts`).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    children: list[int] = []
    while time.monotonic() < deadline and len(children) < 1:
        time.sleep(0.5)
        children = _children(process.pid)
    assert children, "the grader started no worker"
    while time.monotonic() < deadline and not marker.exists():
        time.sleep(0.1)
    assert marker.exists(), "the looping task never ran"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "Stopped." in stderr and "Traceback" not in stderr and "grader itself" not in stderr
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in children if _alive(pid)] == []


def _children(pid: int) -> list[int]:
    table = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True).stdout.split()
    return [int(child) for child, parent in zip(table[::2], table[1::2], strict=True) if int(parent) == pid]


def _alive(pid: int) -> bool:
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")
