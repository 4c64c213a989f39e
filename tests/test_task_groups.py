"""Tasks of one module share a task process (namespaces), and still cannot disturb each other.

Unit 1's three tasks run in one process, one job after the other
(`grader.worker.ForkingWorker`). Each test here attacks the first or second
job of that process and asserts that the jobs after it score exactly as in a
process of their own: the process is reset between jobs (other processes,
files, shared memory), a job that changed what the next would share makes the
next start in a fresh process, and a job that ends its process is judged only
when it was the first of it.
"""

from __future__ import annotations

import os
import shutil

import pytest

from grader.grading import grade
from grader.runner import Runner
from tests.conftest import make_submission

WRAP_CENTRAL = "_original_central = central_difference\n\n\ndef central_difference(*args, **kwargs):\n{body}\n    return _original_central(*args, **kwargs)\n"
WRAP_AUTOGRAD = "_original_autograd = autograd_gradient\n\n\ndef autograd_gradient(*args, **kwargs):\n{body}\n    return _original_autograd(*args, **kwargs)\n"

LEAVES_THINGS_BEHIND = """
    import os, subprocess
    subprocess.Popen(["sleep", "60"], start_new_session=True)
    for path in ("/tmp/left-by-1.1", "/task/left-by-1.1", "/dev/shm/left-by-1.1"):
        with open(path, "w") as handle:
            handle.write("x")
"""

SEES_NOTHING_LEFT = """
    import os
    others = [entry for entry in os.listdir("/proc") if entry.isdigit() and int(entry) != os.getpid()]
    left = [path for path in ("/tmp/left-by-1.1", "/task/left-by-1.1", "/dev/shm/left-by-1.1") if os.path.exists(path)]
    if others or left:
        raise RuntimeError(f"left behind: processes {others}, files {left}")
"""


@pytest.fixture(scope="module")
def grouped(course):
    runner = Runner(units=["derivatives"])
    if runner.mode != "namespaces":
        runner.close()
        pytest.skip(f"task processes are grouped only with namespaces (here: {runner.mode})")
    yield runner
    runner.close()


def _grade(course, runner, tmp_path, source: str):
    submission = make_submission(tmp_path / "submission", {"derivatives": source})
    result = grade(course, submission, ["1.1", "1.2", "1.3"], timeout=2.0, runner=runner)
    return {task.task.id: task for task in result.tasks}


def test_the_reference_runs_the_units_tasks_in_one_process(course, grouped, tmp_path):
    tasks = _grade(course, grouped, tmp_path, "")
    assert [tasks[task_id].run.position for task_id in ("1.1", "1.2", "1.3")] == [0, 1, 2]
    assert all(task.score == task.max_score for task in tasks.values())
    assert all(task.run.cpu_seconds > 0 for task in tasks.values())  # each job's own CPU time


def test_a_job_finds_no_process_file_or_shared_memory_of_the_job_before(course, grouped, tmp_path):
    source = WRAP_CENTRAL.format(body=LEAVES_THINGS_BEHIND) + "\n\n" + WRAP_AUTOGRAD.format(body=SEES_NOTHING_LEFT)
    tasks = _grade(course, grouped, tmp_path, source)
    assert tasks["1.2"].run.position == 1, "1.2 ran after 1.1 in the same process: the reset was what it saw"
    assert tasks["1.1"].score == tasks["1.1"].max_score
    assert tasks["1.2"].score == tasks["1.2"].max_score, tasks["1.2"].failures[:1]
    assert tasks["1.3"].score == tasks["1.3"].max_score


def test_a_job_that_changes_torchs_global_mode_sends_the_next_to_a_fresh_process(course, grouped, tmp_path):
    # Left off, autograd would fail every job after this one in the same process.
    source = WRAP_CENTRAL.format(body="    import torch\n    torch.set_grad_enabled(False)")
    tasks = _grade(course, grouped, tmp_path, source)
    assert tasks["1.2"].run.position == 0 and tasks["1.2"].score == tasks["1.2"].max_score
    assert tasks["1.3"].score == tasks["1.3"].max_score


def test_a_job_that_patches_torch_sends_the_next_to_a_fresh_process(course, grouped, tmp_path):
    source = WRAP_CENTRAL.format(body="    import torch\n    torch.autograd.grad = lambda *a, **k: (torch.zeros(1),)")
    tasks = _grade(course, grouped, tmp_path, source)
    assert tasks["1.2"].run.position == 0 and tasks["1.2"].score == tasks["1.2"].max_score


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("    import os\n    os._exit(3)", "crashed"),
        ("    while True:\n        pass", "timeout_cpu"),
        ("    import ctypes\n    ctypes.string_at(0)", "crashed"),
    ],
    ids=["exits", "loops", "segfaults"],
)
def test_a_job_that_ends_its_process_is_judged_alone_and_the_rest_keep_their_points(course, grouped, tmp_path, body, key):
    tasks = _grade(course, grouped, tmp_path, WRAP_AUTOGRAD.format(body=body))
    assert tasks["1.1"].score == tasks["1.1"].max_score
    ended = tasks["1.2"]
    assert ended.score == 0
    assert ended.run.position == 0, "judged in a process of its own, not after 1.1"
    assert {failure.failure.key for failure in ended.failures} == {key}
    assert tasks["1.3"].score == tasks["1.3"].max_score


def test_grouped_and_separate_processes_give_the_same_points(course, grouped, tmp_path, monkeypatch):
    from tests.conftest import all_mutants

    wrong = next(mutant for _, mutant in all_mutants() if mutant.task == "1.2")
    submission = make_submission(tmp_path / "s", {"derivatives": wrong.source})
    together = grade(course, submission, ["1.1", "1.2", "1.3"], runner=grouped)
    monkeypatch.setenv("DESCENT_TASK_GROUPS", "0")
    with Runner(units=["derivatives"]) as separate:
        apart = grade(course, submission, ["1.1", "1.2", "1.3"], runner=separate)
    assert [task.run.position for task in apart.tasks] == [0, 0, 0]
    assert [(task.task.id, task.score, [f.failure.key for f in task.failures]) for task in together.tasks] == [
        (task.task.id, task.score, [f.failure.key for f in task.failures]) for task in apart.tasks
    ]
    assert together.tasks[1].score < together.tasks[1].max_score


def test_each_job_of_a_process_shows_what_it_printed_and_nothing_of_the_others(course, grouped, tmp_path):
    source = WRAP_CENTRAL.format(body='    print("printed by 1.1")') + "\n\n" + WRAP_AUTOGRAD.format(body='    print("printed by 1.2")')
    tasks = _grade(course, grouped, tmp_path, source)
    first, second, third = (tasks[task_id].run for task_id in ("1.1", "1.2", "1.3"))
    assert (first.position, second.position, third.position) == (0, 1, 2)
    assert "printed by 1.1" in first.output and "printed by 1.2" not in first.output
    assert "printed by 1.2" in second.output and "printed by 1.1" not in second.output
    assert "printed by" not in third.output


IMPORTS_FROM_TMP = """
    import importlib, os
    module = importlib.import_module("{name}")
    clone = os.path.dirname(os.path.dirname(module.__file__))
    if module.VALUE != "{name}" or os.access(module.__file__, os.W_OK) or os.access(clone, os.W_OK):
        raise RuntimeError("the import path's folder in /tmp was not shown read-only")
"""


def test_a_folder_of_the_import_path_inside_tmp_is_importable_in_every_job(course, tmp_path, monkeypatch):
    # A fresh clone in `mktemp -d` has its virtual environment in /tmp: the task's own /tmp must not hide it, and a
    # module first imported by the second job of a process (torch._dynamo by torch.func, say) must still be found.
    import tempfile

    clone = tempfile.mkdtemp(prefix="descent-clone-", dir="/tmp")  # mode 0700, as `mktemp -d` makes it
    site = os.path.join(clone, "site-packages")
    os.mkdir(site)
    os.chmod(site, 0o755)
    try:
        for name in ("descent_probe_first", "descent_probe_second"):
            with open(os.path.join(site, f"{name}.py"), "w", encoding="utf-8") as handle:
                handle.write(f"VALUE = {name!r}\n")
            os.chmod(os.path.join(site, f"{name}.py"), 0o644)  # as installed, whatever the umask
        monkeypatch.syspath_prepend(site)
        with Runner(units=["derivatives"]) as runner:
            assert runner.mode == "namespaces"
            source = WRAP_CENTRAL.format(body=IMPORTS_FROM_TMP.format(name="descent_probe_first")) + "\n\n"
            source += WRAP_AUTOGRAD.format(body=IMPORTS_FROM_TMP.format(name="descent_probe_second"))
            tasks = _grade(course, runner, tmp_path, source)
    finally:
        shutil.rmtree(clone)
    assert [tasks[task_id].run.position for task_id in ("1.1", "1.2")] == [0, 1]
    for task_id in ("1.1", "1.2", "1.3"):
        assert tasks[task_id].score == tasks[task_id].max_score, [(f.failure.key, f.failure.params) for f in tasks[task_id].failures[:1]]


def test_as_root_a_task_process_is_forked_straight_into_a_pid_namespace_of_its_own():
    """No process waits in between: the forking process unshares before each fork and goes back
    to its own PID namespace after it, so its next fork gets a fresh namespace too."""
    from grader import sandbox

    if not sandbox.is_root():
        pytest.skip("entering one's own PID namespace again takes root (an ordinary user's worker forks twice)")
    forks = sandbox.PidNamespaceForks()
    assert forks.available
    own = os.readlink("/proc/self/ns/pid")
    for _ in range(2):
        pid = forks.fork()
        if pid == 0:
            os._exit(0 if os.getpid() == 1 and os.readlink("/proc/self/ns/pid") != own else 1)
        assert os.readlink("/proc/self/ns/pid_for_children") == own
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    os.close(forks.own)


# Autograd reached without its name in the source (the judge's source scan misses it): only the
# disabled functions in the task's process can catch it.
SIGMOID_WITH_AUTOGRAD = """
_original_sigmoid = sigmoid_backward


def sigmoid_backward(*args, **kwargs):
    import torch
    module = getattr(torch, "auto" + "grad")
    x = torch.ones(2, requires_grad=True)
    getattr(module, "gr" + "ad")((x * 3).sum(), x)
    return _original_sigmoid(*args, **kwargs)
"""


def test_jobs_that_forbid_the_same_api_share_a_process_and_each_is_caught(course, tmp_path):
    """2.2-2.5 all forbid autograd: one process runs them in turn, and autograd stays disabled for
    every one of them, not only the first."""
    runner = Runner(units=["backprop"])
    try:
        if runner.mode != "namespaces":
            pytest.skip(f"task processes are grouped only with namespaces (here: {runner.mode})")
        submission = make_submission(tmp_path / "submission", {"backprop": SIGMOID_WITH_AUTOGRAD})
        result = grade(course, submission, ["2.2", "2.3", "2.4", "2.5"], timeout=5.0, runner=runner)
    finally:
        runner.close()
    tasks = {task.task.id: task for task in result.tasks}
    assert [tasks[task_id].run.position for task_id in ("2.2", "2.3", "2.4", "2.5")] == [0, 1, 2, 3]
    for caught in ("2.3", "2.5"):  # (2.5's network calls sigmoid_backward)
        assert tasks[caught].score < tasks[caught].max_score
        assert any(check.failure is not None and check.failure.key == "forbidden_call" for check in tasks[caught].checks)
    assert all(tasks[task_id].score == tasks[task_id].max_score for task_id in ("2.2", "2.4"))


def test_an_attribute_bound_again_to_an_equal_object_counts_as_a_change(monkeypatch):
    """The snapshot between jobs holds the objects, not their addresses: a value freed and made
    again at the same address (floats are, at once) is still a different object."""
    import sys
    import types

    from grader import worker

    module = types.ModuleType("grader.probe_of_the_test")
    module.rate = float("0.125")  # referenced by the module alone
    monkeypatch.setitem(sys.modules, module.__name__, module)
    before = worker._shared_state()
    assert worker._shared_state() == before
    del module.rate
    module.rate = float("0.125")
    assert worker._shared_state() != before
