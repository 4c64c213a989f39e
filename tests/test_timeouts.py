"""Time limits count CPU seconds: a busy machine never costs a correct answer its points.

The task here is correct but slow on purpose: about 0.6 CPU seconds, under a
limit of 2 CPU seconds. With every core of the machine busy with a spinning
loop it takes several times that on the wall clock, and must still score full
points; an endless loop must still be stopped, by its CPU seconds.
"""

import subprocess
import sys
import time

import pytest

from grader.grading import grade
from tests.conftest import make_submission

SLOW_BUT_CORRECT = '''
_warmed_up = []


def central_difference(f, x, h=1e-4):
    import time
    if not _warmed_up:  # busy work, once per process: however many calls the checks make
        spent = time.process_time()
        while time.process_time() - spent < 0.6:
            pass
        _warmed_up.append(True)
    x = x.detach()
    flat = torch.zeros(x.numel(), dtype=x.dtype)
    with torch.no_grad():  # the statement asks for a result without gradient history
        for i in range(x.numel()):
            step = torch.zeros(x.numel(), dtype=x.dtype)
            step[i] = h
            step = step.reshape(x.shape)
            flat[i] = (f(x + step) - f(x - step)) / (2 * h)
    return flat.reshape(x.shape)
'''

ENDLESS = "def autograd_gradient(f, x):\n    while True:\n        pass\n"


@pytest.fixture
def busy_machine():
    """One spinning process per core, for as long as the test runs."""
    import os

    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    time.sleep(0.5)
    yield
    for spinner in spinners:
        spinner.kill()
        spinner.wait()


def test_a_slow_correct_answer_keeps_its_points_on_a_busy_machine(course, runner, tmp_path, busy_machine):
    submission = make_submission(tmp_path / "s", {"derivatives": SLOW_BUT_CORRECT + "\n\n" + ENDLESS})
    started = time.monotonic()
    result = grade(course, submission, ["1.1", "1.2"], timeout=2.0, runner=runner)
    slow, endless = result.tasks
    assert slow.score == slow.max_score, [check.failure.key for check in slow.checks if check.failure]
    assert slow.run.cpu_seconds >= 0.6  # the work was really done
    assert endless.score == 0 and endless.run.status == "timeout" and endless.run.detail["kind"] == "cpu"
    assert time.monotonic() - started < 60


def test_a_task_on_its_way_into_its_pid_namespace_is_not_counted_as_the_whole_machine():
    # The worker counts a long-running task's processes by PID namespace. On a busy machine a task's process may
    # not have made its namespace yet when first counted: the namespace it would name then is the worker's own,
    # with every process of the machine in it, and a correct answer was stopped for "too many processes".
    from types import SimpleNamespace

    from grader import sandbox
    from grader.worker import ForkingWorker

    worker = SimpleNamespace(mode=sandbox.NAMESPACES)
    before = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    inside = subprocess.Popen(["unshare", "--user", "--map-root-user", "--pid", "--fork", "sleep", "60"])
    try:
        assert ForkingWorker._group_of(worker, SimpleNamespace(pid=before.pid)) is None
        deadline = time.monotonic() + 30
        while ForkingWorker._group_of(worker, SimpleNamespace(pid=inside.pid)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ForkingWorker._group_of(worker, SimpleNamespace(pid=inside.pid)).startswith("pid:[")
    finally:
        for process in (before, inside):
            process.kill()
            process.wait()


BURNS_ONCE = SLOW_BUT_CORRECT.replace("< 0.6", "< 1.2")


@pytest.mark.parametrize("mode", ["strict", "portable"])
def test_time_spent_waiting_for_a_cpu_does_not_count_against_the_wall_clock(course, tmp_path, mode):
    # Four spinning processes on one core, the task's processes on that core too: the task gets about a fifth
    # of it, so its 1.2 CPU seconds take about six seconds on the wall clock, well over its limit of three; the
    # time it waited for a CPU is not its own. (The credit is capped at five times the limit: 18 s in all, room
    # for a machine far busier than this.) The other cores stay free for the rest of the suite.
    import os

    from grader.runner import Runner

    submission = make_submission(tmp_path / "s", {"derivatives": BURNS_ONCE})
    # Each in a session of its own: Linux shares the CPUs fairly between sessions (autogroups) first.
    spin = [sys.executable, "-c", "while True: pass"]
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})  # inherited by the runner's processes and the spinners
    spinners = []
    try:
        with Runner(units=["derivatives"], mode=mode) as pinned:
            pinned.ready  # noqa: B018 - warm before the core gets busy
            spinners = [subprocess.Popen(spin, start_new_session=True) for _ in range(4)]
            time.sleep(0.5)
            (slow,) = grade(course, submission, ["1.1"], timeout=5.0, wall_timeout=3.0, runner=pinned).tasks
    finally:
        os.sched_setaffinity(0, cores)
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    assert slow.score == slow.max_score, (slow.run.status, slow.run.detail)
    assert slow.run.seconds > 3.5, "the machine was not busy enough to test anything"
