"""Hostile and broken submissions: each attack costs only its own task.

Every attack targets task 1.1 (`central_difference`) or, where noted, an
import-time hook; the submission is otherwise the reference solution. For each
attack the suite asserts: the attacked task scores 0, every other graded task
keeps full points, the run ends within its bounds, nothing is left running,
and no file outside the task's temporary folder changed.
"""

import hashlib
import os
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.grading import grade
from grader.sandbox import is_root
from tests.conftest import ROOT, make_submission

TIMEOUT = 2.0
MARKER = "descent-hostile-marker"
OTHER_TASKS = ["1.2", "1.3", "2.2", "4.1", "5.2"]
WATCHED = [ROOT / "solutions", ROOT / "exercises", ROOT / "grader", ROOT / "course.toml"]


@dataclass(frozen=True)
class Attack:
    name: str
    source: str  # appended to derivatives.py
    feedback: str = ""  # words the English feedback of 1.1 must contain
    extra_files: tuple[tuple[str, str], ...] = ()
    partial: bool = False  # a right result with a forbidden side effect loses some points, not all


def _define(body: str) -> str:
    return "def central_difference(f, x, h=1e-4):\n" + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"


ATTACKS = [
    Attack("infinite_loop", _define("while True:\n    pass"), "took longer than 2 s"),
    Attack(
        "sleep_ignoring_sigterm",
        _define("import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(1000)"),
        "took longer than 2 s",
    ),
    Attack(
        "fork_bomb",
        _define("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"),
        "took longer than 2 s",
    ),
    Attack(
        "background_process_left_running",
        _define(
            f"import subprocess\nsubprocess.Popen(['sleep', '1000', '{MARKER}'], start_new_session=True)\n"
            "return torch.zeros_like(x)"
        ),
        "differs at index",
    ),
    Attack(
        "stdout_flood_50_mb",
        _define("import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(50):\n    sys.stdout.write(chunk)\nreturn torch.zeros_like(x)"),
        "printed more than",
    ),
    Attack("memory_hog", _define("hog = torch.ones(1 << 30, dtype=torch.float64)\nreturn hog[: x.numel()].reshape(x.shape)"), "more than 2 GiB"),
    Attack("system_exit", _define("raise SystemExit(0)"), "raised SystemExit"),
    Attack("keyboard_interrupt", _define("raise KeyboardInterrupt"), "raised KeyboardInterrupt"),
    Attack("os_exit", _define("import os\nos._exit(0)"), "ended without a result"),
    Attack("segfault", _define("import ctypes\nctypes.string_at(0)"), "SIGSEGV"),
    Attack("kill_the_grader", _define("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nreturn torch.zeros_like(x)"), ""),
    Attack("nan_result", _define("return torch.full_like(x, float('nan'))"), "differs at index"),
    Attack(
        "equals_anything",
        _define(
            "class Anything:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n"
            "    def __getattr__(self, name):\n        return self\n    def __call__(self, *a, **k):\n        return True\n"
            "return Anything()"
        ),
        "should be a torch.Tensor",
    ),
    Attack(
        "tensor_subclass_with_torch_function",
        _define(
            "class Liar(torch.Tensor):\n    @classmethod\n    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
            "        return True\n"
            "return torch.zeros_like(x).as_subclass(Liar)"
        ),
        "should be a torch.Tensor",
    ),
    Attack(
        "monkeypatched_comparisons",
        _define(
            "import torch.testing, _pytest.outcomes\n"
            "try:\n    import numpy\n    numpy.allclose = lambda *a, **k: True\nexcept ImportError:\n    pass\n"
            "torch.allclose = lambda *a, **k: True\ntorch.equal = lambda *a, **k: True\n"
            "torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)\n"
            "torch.testing.assert_close = lambda *a, **k: None\n"
            "_pytest.outcomes.fail = lambda *a, **k: None\n"
            "return torch.zeros_like(x)"
        ),
        "differs at index",
    ),
    Attack(
        "mutates_its_input",
        _define(
            "flat = x.detach().reshape(-1).clone()\ngrad = torch.zeros_like(flat)\n"
            "for i in range(flat.numel()):\n    step = torch.zeros_like(flat)\n    step[i] = h\n"
            "    grad[i] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h)\n"
            "x.mul_(0.0)\nreturn grad.reshape(x.shape)"
        ),
        "changed its input x",
        partial=True,
    ),
    Attack(
        "changes_global_seed_and_dtype",
        _define("torch.manual_seed(1234)\ntorch.set_default_dtype(torch.float64)\nreturn torch.zeros(x.shape)"),
        "",
    ),
    Attack(
        "forged_reports",
        _define(
            "import json, os, glob\nforged = json.dumps({'score': 1000, 'tests': []})\n"
            "for place in ['results.json', '/tmp/results.json', os.path.expanduser('~/results.json')]:\n"
            "    try:\n        open(place, 'w').write(forged)\n    except OSError:\n        pass\n"
            "return torch.zeros_like(x)"
        ),
        "differs at index",
    ),
    Attack(
        "reads_the_reference_solution",
        _define(
            f"source = open({str(ROOT / 'solutions' / 'derivatives.py')!r}).read()\n"
            "namespace = {}\nexec(source, namespace)\nreturn namespace['central_difference'](f, x, h)"
        ),
        "PermissionError" if is_root() else "",
    ),
    Attack(
        "writes_into_the_grader",
        _define(
            f"for target in [{str(ROOT / 'grader' / 'expect.py')!r}, {str(ROOT / 'exercises' / 'derivatives.py')!r}]:\n"
            "    try:\n        open(target, 'a').write('# owned')\n    except OSError:\n        pass\n"
            "return torch.zeros_like(x)"
        ),
        "differs at index",
    ),
    Attack(
        "conftest_and_pytest_ini",
        _define("return torch.zeros_like(x)"),
        "differs at index",
        extra_files=(
            ("conftest.py", "import pytest\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_call(item):\n    raise SystemExit(0)\n"),
            ("pytest.ini", "[pytest]\naddopts = -p no:python\n"),
        ),
    ),
]


def _fingerprint(paths: list[Path]) -> dict[str, str]:
    found = {}
    for top in paths:
        for path in [top] if top.is_file() else sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# This module's task users: a range of its own, so that gradings running beside it
# (another test run, an instructor's batch) are not mistaken for leftovers.
OWN_UID_BASE = 1_000_000 + (os.getpid() % 100_000) * 16


@pytest.fixture(autouse=True)
def own_task_users(monkeypatch):
    monkeypatch.setattr("grader.sandbox.SANDBOX_UID_BASE", OWN_UID_BASE)


def _leftovers() -> list[str]:
    """Processes still running that an attack started."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            uid = entry.stat().st_uid
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        zombie = "\nState:\tZ" in status
        if not zombie and (MARKER in cmdline or OWN_UID_BASE <= uid < OWN_UID_BASE + 16):
            found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_costs_only_its_own_task(course, tmp_path, attack):
    submission = make_submission(tmp_path / "submission", {"derivatives": attack.source})
    for name, text in attack.extra_files:
        (submission / name).write_text(text, encoding="utf-8")
    watched = [*WATCHED, submission]
    before = _fingerprint(watched)
    started = time.monotonic()
    result = grade(course, submission, ["1.1", *OTHER_TASKS], timeout=TIMEOUT)
    elapsed = time.monotonic() - started

    attacked, *others = result.tasks
    assert attacked.task.id == "1.1"
    if attack.partial:
        assert 0 < attacked.score < attacked.max_score
    else:
        assert attacked.score == 0, [c.name for c in attacked.checks if c.passed]
    assert [(r.task.id, r.score) for r in others] == [(r.task.id, r.max_score) for r in others]
    if attack.feedback:
        from grader.feedback import task_feedback

        messages = " ".join(f.message for f in task_feedback(attacked, "en"))
        assert attack.feedback in messages, messages
    assert elapsed < 3 * TIMEOUT + 10, f"the run took {elapsed:.1f} s"
    assert _leftovers() == []
    assert _fingerprint(watched) == before


def test_forged_results_file_does_not_change_the_report(course, tmp_path):
    """The report holds the grader's verdict even when the task writes one itself."""
    from grader.report import write_gradescope

    forged = next(a for a in ATTACKS if a.name == "forged_reports")
    submission = make_submission(tmp_path / "submission", {"derivatives": forged.source})
    result = grade(course, submission, ["1.1", "1.2"], timeout=TIMEOUT)
    report = tmp_path / "results.json"
    write_gradescope(result, report, "en")
    import json

    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["score"] == 4 and [t["score"] for t in data["tests"]] == [0, 4]
    assert not (submission / "results.json").exists()


def test_grading_twice_is_deterministic_under_attack(course, tmp_path):
    attack = next(a for a in ATTACKS if a.name == "changes_global_seed_and_dtype")
    submission = make_submission(tmp_path / "submission", {"derivatives": attack.source})
    first = grade(course, submission, ["1.1", "6.3", "4.2"], timeout=TIMEOUT)
    second = grade(course, submission, ["1.1", "6.3", "4.2"], timeout=TIMEOUT)
    assert [(r.task.id, r.score) for r in first.tasks] == [(r.task.id, r.score) for r in second.tasks]


def test_killing_the_grader_leaves_nothing_running(tmp_path):
    """A grader killed mid-run (SIGKILL, no clean-up) takes its task processes with it."""
    import signal
    import subprocess
    import sys

    loop = next(a for a in ATTACKS if a.name == "infinite_loop")
    submission = make_submission(tmp_path / "submission", {"derivatives": loop.source})
    grader = subprocess.Popen(
        [sys.executable, "-m", "grader", "check", "--submission", str(submission), "1.1", "1.2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not _grader_descendants(grader.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    descendants = _grader_descendants(grader.pid)
    assert descendants, "the grader started no task process"
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in descendants) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in descendants if _alive(pid)] == []


def _grader_descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
