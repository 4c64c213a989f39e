"""Hostile and broken submissions, by class, in every runner mode: each attack costs only its own task.

The attacks (tests/hostile/attacks.py) go into submissions that are otherwise
the reference solution, one attack per task, the rest of the tasks left as
bystanders. The `grader` command grades them as a student would (`check`,
with a report) and as an instructor would (`grade`, a class with an honest
student beside the attackers), in each runner mode this machine offers:

- `root`: as root, tasks in namespaces (the default here);
- `root-users`: as root with namespaces switched off (users of their own);
- `user`: an ordinary user (a user namespace that maps the repository's owner
  to uid 1000), tasks in namespaces;
- `user-plain`: an ordinary user without namespaces (advisory: `grade` refuses);
- `portable`: `DESCENT_RUNNER=portable`, the macOS/Windows runner (advisory).

For every run the suite asserts: each attacked task scores what it should
(nothing, or full points for a correct answer) with the right message; every
other task and every other student keeps full points; the report is written;
the grader's secret is nowhere in it; the judge stays under 1 GB and its time
budget; no process, file, shared-memory segment or temporary folder is left;
no file of the user's changed, not even its permissions.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
import shutil
import site
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.manifest import course as load_course
from tests.conftest import ROOT, SOLUTIONS
from tests.hostile.attacks import (
    ATTACKS,
    NAMESPACED,
    PORTABLE,
    ROOT_USERS,
    USER,
    USER_PLAIN,
    Attack,
)
from tests.hostile.attacks import ROOT as ROOT_MODE

TIMEOUT = 2.0  # CPU seconds per task (wall clock: 3 x 2 + 5 s): refusing the enormous result takes 1.3 s
JUDGE_MEMORY_LIMIT_KB = 1 << 20  # 1 GB
RUN_BUDGET = 300.0  # seconds one grading of the whole course may take here
MARKER = f"descent-hostile-{secrets.token_hex(4)}"
IPC_KEY = 0x44530000 + secrets.randbelow(0xFFFF)
NEEDLE = f"descent-secret-{secrets.token_hex(8)}"
PER_SUBMISSION = 10  # attacks per submission; the other tasks are bystanders
UNASSIGNABLE = {"4.3", "5.2"}  # a class, and a task of three functions: not for generic attacks
IS_ROOT = os.geteuid() == 0
HOME_FILE = str(Path.home() / ".bashrc")
SITE_PACKAGES = site.getsitepackages()[0]


@dataclass(frozen=True)
class Mode:
    name: str
    environment: dict[str, str]
    ordinary_user: bool  # run the grader as an ordinary user (a user namespace, uid 1000)
    contained: bool


MODES = {
    ROOT_MODE: Mode(ROOT_MODE, {}, False, True),
    ROOT_USERS: Mode(ROOT_USERS, {"DESCENT_NAMESPACES": "0"}, False, True),
    USER: Mode(USER, {}, True, True),
    USER_PLAIN: Mode(USER_PLAIN, {"DESCENT_NAMESPACES": "0"}, True, False),
    PORTABLE: Mode(PORTABLE, {"DESCENT_RUNNER": "portable"}, False, False),
}
# As an ordinary user the suite cannot become root; it runs the modes an ordinary user has.
HERE = list(MODES) if IS_ROOT else [USER, USER_PLAIN, PORTABLE]


def _command(mode: Mode, arguments: list[str], usage: Path) -> list[str]:
    command = [sys.executable, "-m", "tests.hostile.harness", str(usage), *arguments]
    if mode.ordinary_user and IS_ROOT:
        return ["unshare", "--user", "--map-user=1000", "--map-group=1000", *command]
    return command


def _environment(mode: Mode, temp: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DESCENT_", "PYTEST_"))}
    environment.update(mode.environment)
    environment.update(
        TMPDIR=str(temp),
        DESCENT_SANDBOX_UID_BASE=str(1_000_000 + (os.getpid() % 100_000) * 16),
        DESCENT_TEST_SECRET=NEEDLE,  # the grader holds it; no task may see it
        GITHUB_TOKEN=NEEDLE,
        PYTHONPATH=str(ROOT),
    )
    return environment


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    usage: dict
    seconds: float


def run_graders(mode: Mode, runs: list[tuple[list[str], Path]]) -> list[Run]:
    """Run the grader once per `(arguments, temporary folder)`, all at once: most of an attack's
    time is spent waiting for a limit, which the other runs use. Each run's result, in order."""
    started = []
    for arguments, temp in runs:
        temp.mkdir(parents=True, exist_ok=True)
        usage_path = temp.parent / f"usage-{secrets.token_hex(4)}.json"
        process = subprocess.Popen(
            _command(mode, arguments, usage_path), cwd=ROOT, env=_environment(mode, temp),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        started.append((process, usage_path, time.monotonic()))
    done = []
    for process, usage_path, began in started:
        try:
            stdout, stderr = process.communicate(timeout=max(1.0, began + RUN_BUDGET + 60 - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        seconds = time.monotonic() - began
        usage = json.loads(usage_path.read_text()) if usage_path.exists() else {}
        done.append(Run(process.returncode, stdout, stderr, usage, seconds))
    return done


def run_grader(mode: Mode, arguments: list[str], temp: Path) -> Run:
    (run,) = run_graders(mode, [(arguments, temp)])
    return run


# --- the submissions ---------------------------------------------------------------------


def _values(attack: Attack, module: str, function: str, extra_target: str) -> dict[str, str]:
    return {
        "ROOT": str(ROOT), "SITE_PACKAGES": SITE_PACKAGES, "HOME_FILE": HOME_FILE, "MARKER": MARKER,
        "NEEDLE_REVERSED": NEEDLE[::-1], "IPC_KEY": str(IPC_KEY), "MODULE": module, "FUNCTION": function,
        "EXTRA_TARGET": extra_target,
    }  # fmt: skip


def _callers() -> dict[str, set[str]]:
    """For a task's function, the other tasks whose reference calls it: an attack there spreads to them."""
    import ast

    the_course = load_course()
    callers: dict[str, set[str]] = {}
    for task in the_course.tasks:
        tree = ast.parse((SOLUTIONS / task.file_name).read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
        for name in task.functions:
            for node in ast.walk(functions[name]):
                if isinstance(node, ast.Name) and node.id != name:
                    callers.setdefault(node.id, set()).add(task.id)
    return callers


COLLATERAL = Attack("collateral", "none", "", expect="any")  # a task that calls an attacked one


def plan(mode: str) -> list[dict[str, Attack]]:
    """The mode's attacks spread over submissions: `{task id: attack}` each."""
    the_course = load_course()
    chosen = [attack for attack in ATTACKS if mode in attack.modes]
    bound = [attack for attack in chosen if attack.task]
    generic = [attack for attack in chosen if not attack.task]
    callers = _callers()
    slots = [
        task.id for task in the_course.tasks
        if task.id not in UNASSIGNABLE and len(task.functions) == 1 and not callers.get(task.functions[0])
    ]  # fmt: skip
    submissions: list[dict[str, Attack]] = []

    first_of_module = {next(task.id for task in the_course.tasks if task.module == module) for module in the_course.modules}

    def free_slot(submission: dict[str, Attack], attack: Attack) -> str | None:
        # A module's tasks share a process, one after the other: a runaway goes first in a module of its own, so
        # that the runaways overlap and none is run again alone (as a job that may have been disturbed would be).
        free = [slot for slot in slots if slot not in submission]
        if attack.runaway:
            taken = {the_course.task(task).module for task, other in submission.items() if other.runaway}
            free = [slot for slot in free if the_course.task(slot).module not in taken]
            free = [slot for slot in free if slot in first_of_module] or free
        return free[0] if free else None

    generic.sort(key=lambda attack: not attack.runaway)  # the runaways first, while the first slots are free
    for attack in bound + generic:
        for submission in submissions:
            free = attack.task or free_slot(submission, attack)
            if len([a for a in submission.values() if a is not COLLATERAL]) < PER_SUBMISSION and free and free not in submission:
                break
        else:
            submission = {}
            free = attack.task or free_slot(submission, attack)
            submissions.append(submission)
        submission[free] = attack
        for caller in callers.get(the_course.task(free).functions[0], ()):
            submission.setdefault(caller, COLLATERAL)
    return submissions


def write_submission(folder: Path, attacks: dict[str, Attack], extra_target: str = "") -> Path:
    the_course = load_course()
    folder.mkdir(parents=True)
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, folder / path.name)
    for task_id, attack in attacks.items():
        if attack is COLLATERAL:
            continue
        task = the_course.task(task_id)
        name = task.functions[0]
        target = folder / task.file_name
        source = attack.source(name, _values(attack, task.module, name, extra_target))
        target.write_text(target.read_text(encoding="utf-8") + "\n\n" + source, encoding="utf-8")
    return folder


# --- what must not change ----------------------------------------------------------------


def fingerprint() -> dict[str, str]:
    """Contents and permissions of the user's files a task might go for."""
    found = {}
    for top in [ROOT / "solutions", ROOT / "exercises", ROOT / "grader", ROOT / "course.toml", ROOT / ".git" / "config"]:
        for path in [top] if top.is_file() else [top, *sorted(top.rglob("*"))]:
            if "__pycache__" in path.parts:
                continue
            mode = oct(path.stat().st_mode)
            found[str(path)] = mode + (":" + hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "")
    found["site-packages"] = " ".join(sorted(os.listdir(SITE_PACKAGES)))
    home = Path(HOME_FILE)
    found[HOME_FILE] = hashlib.sha256(home.read_bytes()).hexdigest() if home.exists() else "absent"
    return found


def leftovers(temp: Path) -> list[str]:
    found = []
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        found += [str(path) for path in Path(folder).glob(f"*{MARKER}*")]
    if temp.exists():
        found += [f"{temp}/{name}" for name in os.listdir(temp)]  # the grader's own temporary folders
    try:
        for line in Path("/proc/sysvipc/shm").read_text().splitlines()[1:]:
            if line.split() and int(line.split()[0]) == IPC_KEY:
                found.append(f"SysV shared memory {IPC_KEY:#x}")
    except OSError:
        pass
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                command = Path(entry.path, "cmdline").read_bytes()
                state = Path(entry.path, "status").read_text()
            except OSError:
                continue
            if MARKER.encode() in command and "\nState:\tZ" not in state:
                found.append(f"process {entry.name}")
    return found


def wait_for_no_leftovers(temp: Path, patience: float = 5.0) -> list[str]:
    deadline = time.monotonic() + patience
    while (found := leftovers(temp)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


# --- judging one report ------------------------------------------------------------------


def judge_report(report: dict, attacks: dict[str, Attack], mode: str, where: str) -> None:
    # A task's visible and hidden checks may be two tests of the same number: judged together.
    tests: dict[str, dict] = {}
    for part in report["tests"]:
        test = tests.setdefault(part["number"], {"score": 0.0, "max_score": 0.0, "output": ""})
        test["score"] = round(test["score"] + part["score"], 2)
        test["max_score"] = round(test["max_score"] + part["max_score"], 2)
        test["output"] += part["output"] + "\n"
    assert len(tests) == len(load_course().tasks), where
    for task_id, test in tests.items():
        attack = attacks.get(task_id)
        label = f"{where}: {task_id} {attack.name if attack else 'bystander'}"
        if attack is COLLATERAL:
            continue
        if attack is None or attack.expect == "full":
            assert test["score"] == test["max_score"], f"{label} lost points: {test['output'][:600]}"
            continue
        assert test["score"] == 0, f"{label} kept {test['score']} points: {test['output'][:600]}"
        if attack.message:
            assert attack.message in test["output"], f"{label}: {test['output'][:600]}"
        if attack.output:
            assert attack.output in test["output"], f"{label}: {test['output'][:1500]}"
        if attack.name == "writes_forged_results_into_every_descriptor" and mode in NAMESPACED:
            shown = test["output"].split("descriptors: ", 1)[1].split("]", 1)[0]
            assert shown in ("['0', '1', '2', '3'", "['0', '1', '2', '3', '4'"), f"{label}: the task saw descriptors {shown}]"


def judge_run(run: Run, temp: Path, before: dict[str, str], where: str) -> None:
    assert run.usage, f"{where}: the grader ended without finishing ({run.code}): {run.stderr[-2000:]}"
    assert run.usage["maxrss_kb"] < JUDGE_MEMORY_LIMIT_KB, f"{where}: the judge used {run.usage['maxrss_kb'] // 1024} MB"
    assert run.seconds < RUN_BUDGET, f"{where}: the grading took {run.seconds:.0f} s"
    assert NEEDLE not in run.stdout + run.stderr, f"{where}: the grader's secret reached the output"
    assert wait_for_no_leftovers(temp) == [], where
    assert fingerprint() == before, f"{where}: a file of the user's changed"


@pytest.fixture(scope="module")
def untouched():
    return fingerprint()


@pytest.mark.parametrize("mode", HERE)
def test_check_mode_every_attack_costs_only_its_own_task(mode, tmp_path, untouched):
    """`grader check --report` on each submission of attacks: bystanders keep their points."""
    submissions = list(enumerate(plan(mode)))
    runs = run_graders(MODES[mode], [
        (["check", "--submission", str(write_submission(tmp_path / f"submission-{number}", attacks)),
          "--report", str(tmp_path / f"results-{number}.json"), "--timeout", str(TIMEOUT), "--lang", "en"], tmp_path / f"tmp-{number}")
        for number, attacks in submissions
    ])  # fmt: skip
    for (number, attacks), run in zip(submissions, runs, strict=True):
        where = f"{mode} check #{number}"
        report_path, temp = tmp_path / f"results-{number}.json", tmp_path / f"tmp-{number}"
        assert run.code == 1, f"{where}: exit {run.code}: {run.stderr[-2000:]}"
        assert report_path.exists(), f"{where}: no report"
        report_text = report_path.read_text(encoding="utf-8")
        assert NEEDLE not in report_text, f"{where}: the grader's secret reached the report"
        judge_report(json.loads(report_text), attacks, mode, where)
        judge_run(run, temp, untouched, where)
        if not MODES[mode].contained:
            assert "Advisory result" in run.stdout, where


def _class_folder(root: Path, mode: str) -> tuple[Path, dict[str, dict[str, Attack]], Path]:
    """Students: one per submission of attacks, and an honest one (`zoe`) graded beside them."""
    out = root / "results"
    students = {}
    for number, attacks in enumerate(plan(mode)):
        student = f"student{number}"
        # The attack on the user's files goes for the gradebook and the honest student's work too.
        write_submission(root / "class" / student, attacks, extra_target=str(out / "gradebook.sqlite"))
        students[student] = attacks
    write_submission(root / "class" / "zoe", {})
    students["zoe"] = {}
    return root / "class", students, out


@pytest.mark.parametrize("mode", [mode for mode in HERE if MODES[mode].contained])
def test_batch_mode_no_student_changes_another(mode, tmp_path, untouched):
    """`grader grade`: every attacker loses exactly its attacked tasks; the honest student keeps everything."""
    class_dir, students, out = _class_folder(tmp_path, mode)
    temp = tmp_path / "tmp"
    zoe_before = {path.name: path.read_bytes() for path in (class_dir / "zoe").iterdir()}
    # Two students at once: one waits out a limit while the other is graded.
    arguments = ["grade", str(class_dir), "--out", str(out), "--timeout", str(TIMEOUT), "--workers", "2", "--lang", "en"]
    run = run_grader(MODES[mode], arguments, temp)
    assert run.code == 0, f"{mode} batch: exit {run.code}: {run.stdout[-2000:]} {run.stderr[-2000:]}"
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(students)
    for student, attacks in students.items():
        report = json.loads((out / "students" / student / "results.json").read_text(encoding="utf-8"))
        assert NEEDLE not in json.dumps(report)
        judge_report(report, attacks, mode, f"{mode} batch {student}")
    assert float(rows["zoe"]["total"]) == load_course().max_score
    assert {path.name: path.read_bytes() for path in (class_dir / "zoe").iterdir()} == zoe_before
    judge_run(run, temp, untouched, f"{mode} batch")


@pytest.mark.parametrize("mode", [mode for mode in HERE if not MODES[mode].contained])
def test_batch_mode_refuses_without_a_sandbox(mode, tmp_path):
    """Without containment, `grader grade` refuses (exit 2, a reason, what to do), unless told it may."""
    class_dir = tmp_path / "class"
    write_submission(class_dir / "zoe", {})
    run = run_grader(MODES[mode], ["grade", str(class_dir), "--out", str(tmp_path / "results"), "--lang", "en"], tmp_path / "tmp")
    assert run.code == 2, run.stdout + run.stderr
    assert "cannot keep student code away from the grader" in run.stderr and "--unsandboxed" in run.stderr
    assert "Traceback" not in run.stderr
    allowed = run_grader(MODES[mode], ["grade", str(class_dir), "--out", str(tmp_path / "allowed"), "--unsandboxed", "--lang", "en"], tmp_path / "tmp2")
    assert allowed.code == 0, allowed.stdout + allowed.stderr
    with (tmp_path / "allowed" / "grades.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert float(row["total"]) == load_course().max_score


def test_every_attack_runs_in_some_mode_and_every_class_has_two():
    kinds: dict[str, int] = {}
    for attack in ATTACKS:
        assert attack.modes, attack.name
        kinds[attack.kind] = kinds.get(attack.kind, 0) + 1
    assert all(count >= 2 for count in kinds.values()), kinds
    assert {"descriptors", "memory", "decoding", "leftovers", "detection", "separation", "robustness", "student"} <= set(kinds)
