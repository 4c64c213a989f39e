"""The worker: the only process that runs student code, and it starts clean.

The judge (`grader.runner`) starts it as a fresh interpreter, not a fork of
itself: an allow-listed environment, no descriptor but its standard input
(jobs, one JSON line each) and standard output (results, framed), in a
session of its own. It imports torch, the scenarios (`grader.scenarios`) and
nothing else of the grader's: never a check, an oracle, a hidden check, a
reference solution or the gradebook, so there is nothing of them in its memory
to steal or call.

How a task runs depends on what the machine allows (`mode` in the ready message):

- `namespaces`, `users`, `processes` (Linux): the worker forks one process
  per task from its warm self (a fork server), contained by `grader.sandbox`
  (`processes`: an ordinary user without namespaces, contained only by its
  own folder, limits and process group). Up to `workers` tasks run at once.
  With namespaces, one process runs the tasks of one module of a submission
  in turn, reset between them (see `ForkingWorker`).
- `portable` (macOS, Windows, or `DESCENT_RUNNER=portable`): no fork. The
  worker runs one task at a time itself, in a folder of its own, and retires
  (the judge starts a fresh one) after any task that changed the modules
  tasks share or left a thread running.

Every task answers through a channel of its own with one frame under a nonce
that the judge chose for it; what it sends is decoded, within bounds, by the
judge alone.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import io
import json
import operator
import os
import queue
import selectors
import signal
import struct
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.process import waiting_credit, waiting_seconds

OUTPUT_SHOWN = 4000  # characters of printed output sent back for feedback
MESSAGE_MAGIC = b"DSCW"
MAX_HEADER = 1 << 20
MAX_REQUEST = 1 << 20


# --- messages between the worker and the judge -------------------------------------


def write_message(stream, header: dict[str, Any], payload: bytes = b"") -> None:
    encoded = json.dumps(header).encode()
    stream.write(MESSAGE_MAGIC + struct.pack("<I", len(encoded)) + encoded + struct.pack("<Q", len(payload)) + payload)
    stream.flush()


def read_exactly(stream, count: int) -> bytes:
    chunks, remaining = [], count
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(stream, max_payload: int) -> tuple[dict[str, Any], bytes]:
    """One message from a worker; `ValueError` when it is not one within bounds."""
    head = read_exactly(stream, 8)
    (length,) = struct.unpack("<I", head[4:])
    if head[:4] != MESSAGE_MAGIC or length > MAX_HEADER:
        raise ValueError("not a worker message")
    header = json.loads(read_exactly(stream, length))
    (size,) = struct.unpack("<Q", read_exactly(stream, 8))
    if not isinstance(header, dict) or size > max_payload:
        raise ValueError("malformed worker message")
    return header, read_exactly(stream, size)


# --- inside a task -----------------------------------------------------------------


@dataclass
class Job:
    """One task of one submission, as the judge asks for it."""

    task: str
    module: str
    folder: str
    functions: list[str]
    nonce: bytes
    limits: dict[str, Any]
    key: str = ""  # the judge's name for this job
    forbid: list[str] = field(default_factory=list)  # APIs disabled for this task (grader.forbid)

    @classmethod
    def from_request(cls, request: dict[str, Any]) -> Job:
        return cls(
            task=str(request["task"]),
            module=str(request["module"]),
            folder=str(request["folder"]),
            functions=[str(name) for name in request["functions"]],
            nonce=bytes.fromhex(request["nonce"]),
            limits=dict(request["limits"]),
            key=str(request.get("key", request["task"])),
            forbid=[str(policy) for policy in request.get("forbid", [])],
        )


@functools.lru_cache(maxsize=1024)
def _real_path(path: str) -> str:
    """`os.path.realpath`, once per file and task: every exception's frames repeat the same files."""
    return os.path.realpath(path)


def describe_error(error: BaseException, workdir: str) -> dict[str, Any]:
    """Name the exception and the last line of the submission it went through."""
    try:
        message = str(error)
    except BaseException:  # noqa: BLE001 - a student's __str__ may raise anything
        message = ""
    found = {"error_type": type(error).__name__, "message": message[:500], "file": "", "line": 0, "code": "", "function": ""}
    if isinstance(error, SyntaxError) and error.filename:
        found.update(file=Path(error.filename).name, line=error.lineno or 0, code=(error.text or "").strip())
    root = _real_path(workdir)
    try:
        frames = list(traceback.walk_tb(error.__traceback__))
        # Source lines are read for the submission's frames only (`summary.line` reads its line when
        # asked): a task process starts with no line cache, so reading the file of every frame
        # (torch's, the scenarios') for every exception would cost more than the task itself.
        summaries = traceback.StackSummary.extract(iter(frames), lookup_lines=False)
    except BaseException:  # noqa: BLE001
        return found
    for (frame, _), summary in zip(frames, summaries, strict=False):
        if os.path.isabs(summary.filename) and _real_path(summary.filename).startswith(root + os.sep):
            found.update(
                file=Path(summary.filename).name,
                line=summary.lineno or 0,
                code=(summary.line or "").strip(),
                function=frame.f_code.co_qualname,
            )
            if frame.f_code.co_name == "<module>" and "top_line" not in found:
                # The line of the file's own top-level code that was running (a test call left at the bottom).
                found.update(top_line=summary.lineno or 0, top_code=(summary.line or "").strip())
    return found


def run_scenarios(job: Job, workdir: str) -> dict[str, Any]:
    """Import the submission's module and run the task's scenarios: plain data back."""
    import torch

    from grader.scenarios import scenarios_for

    path = os.path.join(workdir, f"{job.module}.py")
    sys.modules.pop(job.module, None)
    if job.forbid:
        from grader.forbid import disable

        disable(job.forbid, job.task)  # before any of the student's code runs
    try:
        spec = importlib.util.spec_from_file_location(job.module, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[job.module] = module
        spec.loader.exec_module(module)
    except BaseException as error:  # noqa: BLE001 - SystemExit and friends included
        return {"import_error": describe_error(error, workdir)}
    missing = [name for name in job.functions if not hasattr(module, name)]
    if missing:
        return {"missing": missing}
    results = {}
    for name, scenario in scenarios_for(job.task).items():
        torch.manual_seed(0)
        try:
            results[name] = ["value", scenario(module)]
        except BaseException as error:  # noqa: BLE001
            results[name] = ["raised", describe_error(error, workdir)]
    return {"results": results}


def encode_results(job: Job, workdir: str, cpu_started: float | None = None) -> bytes:
    """The job's frame. With `cpu_started` (its process's CPU seconds when the job began), the
    results say how long the job took: its process may run several (see `ForkingWorker`)."""
    from grader import wire

    try:
        results = run_scenarios(job, workdir)
        flush_output()
        if cpu_started is not None:
            import resource

            results["cpu"] = round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu_started, 4)
            results["output"], results["output_size"] = _read_output(1)
        payload = wire.dumps(results)
    except BaseException as error:  # noqa: BLE001 - a result that cannot be encoded is the task's failure
        reason = str(error) if isinstance(error, wire.WireError) else f"{type(error).__name__} while sending results"
        payload = wire.dumps({"crashed": reason[:300]})
    return wire.frame(job.nonce, payload)


def task_environment(home: str, temp: str) -> dict[str, str]:
    kept = {name: os.environ[name] for name in ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "SYSTEMROOT", "WINDIR", "COMSPEC") if name in os.environ}
    return {
        **kept, "HOME": home, "USERPROFILE": home, "TMPDIR": temp, "TEMP": temp, "TMP": temp,
        "USER": "student", "LOGNAME": "student", "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }  # fmt: skip


def prepare_interpreter(workdir: str, temp: str, import_path: list[str]) -> None:
    """The task's interpreter state: its own folder first on the path, a plain environment."""
    os.environ.clear()
    os.environ.update(task_environment(workdir, temp))
    tempfile.tempdir = temp
    sys.path[:] = [workdir, *import_path]
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - descriptor 0 is /dev/null
    sys.stdout, sys.stderr = (
        io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding="utf-8", errors="replace", line_buffering=True) for fd in (1, 2)
    )


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - the student may have replaced or closed it
            pass


# --- the forking worker (Linux) ----------------------------------------------------


@dataclass
class _Part:
    """One job of a task process."""

    job: Job
    frame: bytes = b""  # its whole frame, once it arrived
    closed: bool = False  # its frame arrived (or the process ended): the job is over
    started: float = 0.0
    ended: float = 0.0
    excused_before: float = 0.0  # its process's `excused()` when it started


@dataclass
class _Running:
    """A task process and the jobs it runs, one after the other (see `ForkingWorker`)."""

    parts: list[_Part]
    pid: int
    pidfd: int | None
    result_fd: int  # one channel for the process: its jobs' frames, one after the other
    output_fd: int  # what it prints (each job's, when it runs several, is sent in its results)
    started: float
    slot: int
    workdir: str | None
    received: bytearray = field(default_factory=bytearray)  # channel bytes not yet part of a whole frame
    size: int = 0  # bytes received for the running job
    stream_ended: bool = False
    overflow: bool = False
    timed_out: bool = False
    cpu_exceeded: bool = False  # its processes together used their CPU seconds
    crowded: bool = False  # it started more processes than its limit
    group: str | None = None  # what its processes share: a PID namespace, a user, a session
    waited: float = 0.0  # seconds its processes were ready to run but waited for a CPU (as counted so far)
    unheard: float = 0.0  # seconds the worker was busy elsewhere, not reading what the task sends

    def excused(self) -> float:
        """Wall-clock seconds that were not the task's: it waited for a CPU, or for the worker to read."""
        return self.waited + self.unheard

    @property
    def current(self) -> _Part:
        """The job running now (the last one, once all are over)."""
        return next((part for part in self.parts if not part.closed), self.parts[-1])

    @property
    def job(self) -> Job:
        return self.current.job

    def deadline(self) -> float:
        part = self.current
        if part.closed:  # every job answered: the process only has to end
            return part.ended + ENDING_GRACE
        # A busy machine makes a task wait for a CPU, or for the worker to read its results (while the worker
        # cleans up after another task): that time is not the task's (up to WAITING_CREDIT times its limit: a
        # task that lowered its own priority cannot stall a grading).
        wall = float(part.job.limits["wall_seconds"])
        return (part.started or self.started) + wall + waiting_credit(self.excused() - part.excused_before, wall)

    def cpu_budget(self) -> float:
        """CPU seconds of the jobs so far, the running one included."""
        budget = 0.0
        for part in self.parts:
            budget += float(part.job.limits["cpu_seconds"])
            if not part.closed:
                break
        return budget


POLICE_AFTER = 0.5  # seconds a task runs before its processes are counted
POLICE_EVERY = 0.25
ENDING_GRACE = 5.0  # seconds a task process may take to end once its last job answered
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CHANNELS_FROM = 1000  # a task process keeps its jobs' channels from this descriptor on
MEMORY_GROWTH = 256 << 20  # address space a job may leave behind before its process retires


class ForkingWorker:
    """Forks a contained process per task from this warm process; `workers` at a time.

    With namespaces, the tasks of one module of one submission share a process
    (one fork, one set of namespaces): each job runs as the first would, in a
    fresh import of the module, after its process has ended every other process
    in its namespace, emptied `/task`, `/tmp`, `/dev/shm` and its SysV IPC, and
    written the submission's files again. If a job changed what the next would
    share (torch, the builtins, a global flag of torch, a thread, its memory),
    the process ends there and the jobs left start in a fresh one. Jobs share a
    process only with jobs that forbid the same APIs (`grader.forbid`): the
    first job disables them before any of the submission's code runs, and they
    stay disabled for every job after it, the original code kept nowhere in the
    process. A job whose process ended under it
    (a timeout, a crash, an exit) is judged only if it was the first of its
    process; otherwise it runs again, first of a fresh one. The process holds
    one result channel and one output file whatever it runs: its jobs' frames
    follow each other on the channel, each under its own job's nonce, and a job
    sends what it printed with its results.
    """

    def __init__(self, config: dict[str, Any], out) -> None:
        from grader import sandbox

        self.sandbox = sandbox
        self.out = out
        self.workers = max(1, int(config.get("workers") or os.cpu_count() or 1))
        self.import_path = list(config.get("import_path", []))
        self.notes: list[str] = []
        self.users = None
        self.base = tempfile.mkdtemp(prefix="descent-worker-")
        self.skeleton = os.path.join(self.base, "view")
        self.in_tmp: tuple[str, ...] = ()  # the view's folders inside /tmp
        self.pid_forks = None  # (namespaces) forks straight into a PID namespace, where allowed
        self.mode = self._choose_mode(config)
        self.group_jobs = self.mode == sandbox.NAMESPACES and bool(config.get("task_groups", True))
        if self.mode in (sandbox.NAMESPACES, sandbox.USERS) and sandbox.is_root():
            self.users = sandbox.UserReservation(self.workers, int(config.get("uid_base", 64000)))
        if self.mode == sandbox.USERS:
            # Task users must reach their folders, wherever this process's temporary folder is.
            self.base = sandbox.task_folder_base()
        self.folders = [self.base, os.path.dirname(self.skeleton)]
        self.free_slots = list(range(self.workers))
        self.selector = selectors.DefaultSelector()
        self.running: dict[int, _Running] = {}
        self.pending: list[Job] = []
        self.first_only: set[str] = set()  # keys of jobs that must start a process of their own
        self.baseline: tuple | None = None  # (with grouping) see `serve`
        self.stdin_open = True
        self.requests = b""
        self.policed = 0.0

    def _choose_mode(self, config: dict[str, Any]) -> str:
        sandbox = self.sandbox
        sandbox.become_subreaper()
        if config.get("namespaces", True):
            try:
                os.mkdir(self.skeleton)
                view = sandbox.default_view([*config.get("private", []), self.base], self.import_path)
                sandbox.build_view(view, Path(self.skeleton))
                self.in_tmp = view.in_tmp
                sandbox.forbid_tracing()  # after the user namespace's maps were written
                forks = sandbox.PidNamespaceForks()
                self.pid_forks = forks if forks.available and self._probe(forks) else None
                if self.pid_forks or self._probe(None):
                    return sandbox.NAMESPACES
                self.notes.append("namespaces_probe_failed")
            except OSError as error:
                self.notes.append(f"namespaces_unavailable: {error}")
        sandbox.forbid_tracing()
        return sandbox.USERS if sandbox.is_root() else "processes"

    @staticmethod
    def _fork(pid_forks) -> int:
        return pid_forks.fork() if pid_forks else os.fork()

    def _probe(self, pid_forks) -> bool:
        """Can a task really enter its namespaces here (forked by `pid_forks`, or with a process
        in between)? One empty task tells."""
        pid = self._fork(pid_forks)
        if pid == 0:
            try:
                self.sandbox.enter_namespaces(self.skeleton, self.sandbox.Limits(cpu_seconds=5), [], None, self.in_tmp)
                os._exit(0 if os.getpid() == 1 and os.listdir("/task") == [] else 1)
            except BaseException:  # noqa: BLE001
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    # The loop: requests on stdin, results from tasks, exits of tasks.

    def serve(self) -> None:
        if self.group_jobs:
            import random

            # What each task process starts from, taken once here: a fresh fork would pay for it with
            # a copy of every page it reads (see `_run_jobs`).
            self.baseline = (_state_of_process(), self.sandbox.mapped_bytes(), random.getstate())
        self._parse_requests()
        os.set_blocking(0, False)
        self.selector.register(0, selectors.EVENT_READ, ("stdin", None))
        busy_since = time.monotonic()
        while self.stdin_open or self.running or self.pending:
            while self.pending and self.free_slots:
                self._start(self._next_group())
            timeout = None
            if self.running:
                timeout = max(0.0, min(run.deadline() for run in self.running.values()) - time.monotonic())
            if not self.running and not self.stdin_open:
                break
            self._unheard_since(busy_since)
            events = self.selector.select(timeout=min(timeout, 0.5) if timeout is not None else None)
            busy_since = time.monotonic()
            for key, _ in events:
                kind, ref = key.data
                if kind == "stdin":
                    self._read_requests()
                elif ref not in self.running:
                    continue  # (an earlier event of this round finished it)
                elif kind == "result":
                    self._read_result(self.running[ref])
                else:
                    self._finish(self.running[ref])
            busy_since = self._unheard_since(busy_since)
            now = time.monotonic()
            for run in list(self.running.values()):
                if now >= run.deadline():
                    run.timed_out = True
                    self._kill(run)
                    self._finish(run)
                elif run.pidfd is None:
                    self._poll_exit(run)
            if now - self.policed > POLICE_EVERY and any(now - run.started > POLICE_AFTER for run in self.running.values()):
                self.policed = now
                self._police(now)
        self.close()

    def _unheard_since(self, since: float) -> float:
        """The worker was busy (not reading the tasks' channels) since `since`: no running task's time."""
        now = time.monotonic()
        for run in self.running.values():
            run.unheard += now - since
        return now

    def _next_group(self) -> list[Job]:
        """The next pending job, and the pending jobs that may share its process (see the class)."""
        first = self.pending.pop(0)
        group = [first]
        if self.group_jobs:
            for job in list(self.pending):
                same = job.folder == first.folder and job.module == first.module and job.forbid == first.forbid
                if same and job.key not in self.first_only:
                    group.append(job)
                    self.pending.remove(job)
        self.first_only.discard(first.key)
        return group

    def _group_of(self, run: _Running) -> str | None:
        from grader import sandbox

        if self.mode == sandbox.NAMESPACES:
            try:
                namespace = os.readlink(f"/proc/{run.pid}/ns/pid_for_children")
                # Until its process has made its PID namespace (on a busy machine, maybe only after
                # POLICE_AFTER), this names the worker's own, and every process of the machine in it.
                return None if namespace == os.readlink("/proc/self/ns/pid") else namespace
            except OSError:
                return None
        if self.mode == sandbox.USERS:
            return f"uid:{self.users.uids[run.slot]}"
        return f"session:{run.pid}"

    def _police(self, now: float) -> None:
        """Count what each long-running task's processes use together: the per-process limits
        cannot see a task that spreads its work (or its forks) over many processes."""
        from grader import sandbox

        watched = {}
        for run in self.running.values():
            if now - run.started > POLICE_AFTER:
                run.group = run.group or self._group_of(run)
                if run.group:
                    watched[run.group] = run
        usage: dict[str, list[float]] = {group: [0, 0.0, 0.0] for group in watched}  # processes, CPU, waiting
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                if self.mode == sandbox.NAMESPACES:
                    group = os.readlink(f"/proc/{entry.name}/ns/pid")
                elif self.mode == sandbox.USERS:
                    group = f"uid:{entry.stat().st_uid}"
                else:
                    group = f"session:{fields[3]}"
            except (OSError, IndexError):
                continue
            if group in usage:
                usage[group][0] += 1
                usage[group][1] += sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
                usage[group][2] += waiting_seconds(entry.name)
        for group, (count, cpu, waiting) in usage.items():
            run = watched[group]
            run.waited = max(run.waited, waiting)  # a process that ended takes its count with it
            if count > int(run.job.limits.get("processes", 64)) + 1:
                run.crowded = True
            elif cpu > run.cpu_budget() + 0.5:
                run.cpu_exceeded = True
            else:
                continue
            self._kill(run)
            if self.mode == sandbox.USERS:
                sandbox.kill_user_processes(self.users.uids[run.slot])
            self._finish(run)

    def _read_requests(self) -> None:
        try:
            chunk = os.read(0, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self.stdin_open = False
            self.selector.unregister(0)
            self.pending.clear()
            for run in list(self.running.values()):
                self._kill(run)
            return
        self.requests += chunk
        self._parse_requests()

    def _parse_requests(self) -> None:
        while b"\n" in self.requests:
            line, self.requests = self.requests.split(b"\n", 1)
            if line.strip():
                request = json.loads(line)  # one job, or a submission's jobs together
                self.pending += [Job.from_request(item) for item in (request if isinstance(request, list) else [request])]
        if len(self.requests) > MAX_REQUEST:
            raise ValueError("request too long")

    def _start(self, jobs: list[Job]) -> None:
        from grader import sandbox
        from grader.snapshot import read_files

        first = jobs[0]
        if not os.path.isfile(os.path.join(first.folder, f"{first.module}.py")):
            for job in jobs:
                write_message(self.out, {"key": job.key, "task": job.task, "nonce": job.nonce.hex(), "missing_file": True})
            return
        files = read_files(first.folder)
        budget = sum(float(job.limits["cpu_seconds"]) for job in jobs)
        fields = {name: first.limits[name] for name in first.limits if name in sandbox.Limits.__dataclass_fields__}
        limits = sandbox.Limits(**{**fields, "cpu_seconds": budget})
        slot = self.free_slots.pop(0)
        uid = self.users.uids[slot] if self.users else None
        read_fd, write_fd = os.pipe()
        output_fd = os.memfd_create("task-output", os.MFD_CLOEXEC)
        workdir = None
        if self.mode != sandbox.NAMESPACES:
            workdir = os.path.join(self.base, f"task-{first.key}-{os.urandom(4).hex()}")
            os.mkdir(workdir, 0o700)
            if uid is not None:
                os.chown(workdir, uid, uid)
        sys.stdout.flush()
        pid = self._fork(self.pid_forks)
        if pid == 0:
            self._child(jobs, files, limits, uid, write_fd, output_fd, workdir)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        try:
            pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pidfd = None
        now = time.monotonic()
        parts = [_Part(job, started=now if index == 0 else 0.0) for index, job in enumerate(jobs)]
        run = _Running(parts, pid, pidfd, read_fd, output_fd, now, slot, workdir)
        self.running[pid] = run
        self.selector.register(read_fd, selectors.EVENT_READ, ("result", pid))
        if pidfd is not None:
            self.selector.register(pidfd, selectors.EVENT_READ, ("exit", pid))

    def _child(self, jobs: list[Job], files, limits, uid, write_fd: int, output_fd: int, workdir: str | None) -> None:
        """The task's process (or, with namespaces, the one above it); never returns."""
        try:
            # A session of its own: its own process group to kill, and (with autogroup scheduling)
            # its own share of the CPU, however many processes it starts.
            os.setsid()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.dup2(output_fd, 1)
            os.dup2(output_fd, 2)
            os.dup2(write_fd, 3)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.closerange(4, 1 << 20)  # the null above included: nothing but 0-3 is left
            self.sandbox.set_parent_death_signal()
            self.sandbox.allow_tracing()  # the task's own /proc files stay its own
            import_path = self.import_path
            if self.mode == self.sandbox.NAMESPACES:
                self.sandbox.enter_namespaces(self.skeleton, limits, files, uid, self.in_tmp)
                workdir, temp = "/task", "/tmp"
            elif self.mode == self.sandbox.USERS:
                import_path = self.sandbox.enter_users(workdir, limits, files, uid, import_path)
                temp = workdir
            else:
                self.sandbox.enter_processes(workdir, limits, files)
                temp = workdir
            self._run_jobs(jobs, files, uid, workdir, temp, import_path)
        except BaseException:  # noqa: BLE001 - reported as a task without results
            try:
                traceback.print_exc()
                flush_output()
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(0)

    def _run_jobs(self, jobs: list[Job], files, uid, workdir: str, temp: str, import_path: list[str]) -> None:
        """In the task's process: each job in turn, its answer on its own channel (see the class)."""
        import random
        import resource

        hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
        # The modules the submission's files make: its module and any helper beside it (files are flat).
        own_modules = {name.removesuffix(".py") for name, _ in files if name.endswith(".py")} | {job.module for job in jobs}
        before, mapped, seeded = self.baseline or (None, 0, None)  # this process's state as the worker forked it
        for index, job in enumerate(jobs):
            if index:
                changed = _state_of_process() != before or self.sandbox.mapped_bytes() > mapped + MEMORY_GROWTH
                if changed or not self.sandbox.reset_task_space(files, uid, self.in_tmp):
                    return  # the jobs left run in a fresh process
                random.setstate(seeded)
                os.ftruncate(1, 0)  # the output file starts empty for each job (1 and 2 share it)
                os.lseek(1, 0, os.SEEK_SET)
            used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
            soft = int(used + float(job.limits["cpu_seconds"]) + 0.999)
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
            last = index + 1 == len(jobs)
            prepare_interpreter(workdir, temp, import_path)
            gc.enable()
            data = encode_results(job, workdir, cpu_started=None if len(jobs) == 1 else used)
            view = memoryview(data)
            while view:
                view = view[os.write(3, view) :]
            if last:
                return  # (the channel ends with the process)
            gc.disable()
            for name in own_modules:
                sys.modules.pop(name, None)  # the next job imports the submission afresh
            gc.collect()

    def _read_result(self, run: _Running) -> None:
        from grader import wire

        while not run.stream_ended:
            try:
                chunk = os.read(run.result_fd, 1 << 20)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self._end_stream(run)
                if run.pidfd is None:
                    self._poll_exit(run)
                return
            run.received += chunk
            run.size += len(chunk)
            if run.size > wire.MAX_PAYLOAD + 64:
                run.overflow = True
                self._kill(run)
                self._finish(run)
                return
            if len(run.parts) > 1 and not self._take_frames(run):
                self._kill(run)  # a frame under another job's nonce: nothing after it can be read
                self._finish(run)
                return

    def _take_frames(self, run: _Running) -> bool:
        """Whole frames at the head of what arrived close their jobs, in order; False if the head is no frame of the running job."""
        from grader import wire

        while not run.current.closed:
            part = run.current
            try:
                total = wire.frame_size(run.received, part.job.nonce)
            except wire.WireError:
                return False
            if total is None or len(run.received) < total:
                return True
            part.frame = bytes(run.received[:total])
            del run.received[:total]
            run.size = len(run.received)
            self._close_part(run, run.parts.index(part))
        return True

    def _end_stream(self, run: _Running) -> None:
        if run.stream_ended:
            return
        run.stream_ended = True
        self.selector.unregister(run.result_fd)
        os.close(run.result_fd)

    def _close_part(self, run: _Running, index: int) -> None:
        part = run.parts[index]
        if part.closed:
            return
        part.closed = True
        part.ended = time.monotonic()
        if index + 1 < len(run.parts):
            run.parts[index + 1].started = part.ended
            run.parts[index + 1].excused_before = run.excused()

    def _poll_exit(self, run: _Running) -> None:
        """Without a pidfd: has the task's process ended? (It stays a zombie until `_finish`.)"""
        try:
            ended = os.waitid(os.P_PID, run.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            ended = True
        if ended:
            self._finish(run)

    def _kill(self, run: _Running) -> None:
        for target in (lambda: os.killpg(run.pid, signal.SIGKILL), lambda: os.kill(run.pid, signal.SIGKILL)):
            try:
                target()
            except (ProcessLookupError, PermissionError):
                pass

    def _finish(self, run: _Running) -> None:
        from grader import sandbox, wire

        if run.pid not in self.running:
            return
        del self.running[run.pid]
        _, status, usage = os.wait4(run.pid, 0)
        if not run.stream_ended:  # what the task wrote before it ended is all in the pipe now
            if not run.overflow:
                self._drain(run)
            self._end_stream(run)
        if len(run.parts) > 1 and not run.overflow:
            self._take_frames(run)
        running_part = run.current
        if len(run.parts) == 1 and not run.overflow:
            running_part.frame = bytes(run.received)
        for index in range(len(run.parts)):
            self._close_part(run, index)
        if run.pidfd is not None:
            self.selector.unregister(run.pidfd)
            os.close(run.pidfd)
        try:
            os.killpg(run.pid, signal.SIGKILL)  # anything the task left in its group
        except (ProcessLookupError, PermissionError):
            pass
        uid = self.users.uids[run.slot] if self.users else None
        if self.mode == sandbox.USERS and uid is not None:
            sandbox.clean_up_user(uid, keep=set(self.running))
        elif self.mode == "processes":
            sandbox.clean_up_orphans(keep=set(self.running))
        if run.workdir:
            sandbox.remove_tree(run.workdir)
        self.free_slots.append(run.slot)
        cpu = usage.ru_utime + usage.ru_stime
        code, signal_name = _exit_of(status, self.mode == sandbox.NAMESPACES and self.pid_forks is None)
        # Stopped (by this side, or by its CPU limit) under `running_part`: no answer of that job counts.
        stopped = run.timed_out or run.cpu_exceeded or run.crowded or run.overflow or signal_name == "SIGXCPU"
        grouped = len(run.parts) > 1
        printed = _read_output(run.output_fd)  # the running job's (with one job: the only one's)
        os.close(run.output_fd)
        again: list[Job] = []
        for index, part in enumerate(run.parts):
            payload, bad_frame = b"", "its process was stopped"
            if not (run.overflow and part is running_part):
                try:
                    payload, bad_frame = wire.unframe(part.frame, part.job.nonce), None
                except wire.WireError as error:
                    bad_frame = str(error)
            header = {"key": part.job.key, "task": part.job.task, "nonce": part.job.nonce.hex(), "position": index}
            if bad_frame is None and not again and not (stopped and part is running_part):
                # Its whole answer arrived (the job ran to its end, whatever came after it).
                header.update(timed_out=False, overflow=False, code=0, signal=None, cpu_exceeded=False, crowded=False,
                              cpu=None if grouped else round(cpu, 4), seconds=round(part.ended - (part.started or run.started), 4))  # fmt: skip
                if grouped:
                    header.update(output="", output_size=0, output_in_results=True)  # each job sent its own
                else:
                    header["output"], header["output_size"] = printed
            elif index == 0:
                # The first job of its process: whatever ended the process is its own doing.
                header.update({
                    "timed_out": run.timed_out, "overflow": run.overflow, "code": code, "signal": signal_name,
                    "cpu": round(cpu, 4), "seconds": round(part.ended - run.started, 4),
                    "cpu_exceeded": run.cpu_exceeded or signal_name == "SIGXCPU" or (signal_name == "SIGKILL" and cpu >= float(part.job.limits["cpu_seconds"])),
                    "crowded": run.crowded,
                })  # fmt: skip
                header["output"], header["output_size"] = printed
                if bad_frame is not None and not run.overflow:
                    header["bad_frame"] = bad_frame
            else:
                # Ended under a job that earlier jobs of its process may have disturbed, or never
                # reached: it runs again, the one under which the process ended first in a fresh one.
                if not again:
                    self.first_only.add(part.job.key)
                again.append(part.job)
                continue
            write_message(self.out, header, payload)
        self.pending[:0] = again

    def _drain(self, run: _Running) -> None:
        from grader import wire

        while run.size <= wire.MAX_PAYLOAD + 64:
            try:
                chunk = os.read(run.result_fd, 1 << 20)
            except (BlockingIOError, OSError):
                return
            if not chunk:
                return
            run.received += chunk
            run.size += len(chunk)
        run.overflow = True

    def close(self) -> None:
        for run in list(self.running.values()):
            self._kill(run)
        if self.users:
            self.users.release()
        if self.mode != self.sandbox.NAMESPACES:  # the view is mounted in there; the judge removes the folder
            self.sandbox.remove_tree(self.base)


def _exit_of(status: int, relayed: bool) -> tuple[int | None, str | None]:
    """(exit code, signal name) of a task; `relayed`: a process in between (namespaces, as an ordinary
    user) passed it on, a signal as 128 + its number."""
    if os.WIFSIGNALED(status):
        return None, _signal_name(os.WTERMSIG(status))
    code = os.WEXITSTATUS(status)
    if relayed and code > 128:
        return None, _signal_name(code - 128)
    return code, None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _read_output(fd: int) -> tuple[str, int]:
    """(the first characters, the size) of an output file; its offset stays where it was (a task still writing)."""
    size = os.fstat(fd).st_size
    data = os.pread(fd, OUTPUT_SHOWN * 4, 0)
    text = data.decode("utf-8", errors="replace")
    if len(text) > OUTPUT_SHOWN or size > len(data):
        text = text[:OUTPUT_SHOWN] + "\n…"
    return text, size


# --- the portable worker (any operating system) ------------------------------------


def _forbidden_code(policies: list[str]) -> list[tuple[Any, Any]]:
    """The code of the functions a task will have disabled, to put back after it (portable only)."""
    from grader.forbid import TARGETS, _resolve

    saved = []
    for policy in policies:
        for module, path in TARGETS.get(policy, ()):
            try:
                function = _resolve(module, path)
            except ImportError:
                continue
            function = getattr(function, "__func__", function)
            if hasattr(function, "__code__"):
                saved.append((function, function.__code__))
    if "autograd" in policies:
        import torch

        engine = torch.autograd.Variable._execution_engine
        saved.append((_EngineSlot(), engine))
    return saved


class _EngineSlot:
    """Puts autograd's engine back where `grader.forbid` took it from (portable only)."""

    def __setattr__(self, name: str, engine: Any) -> None:
        import torch
        import torch.autograd.graph as graph

        torch.autograd.Variable._execution_engine = engine
        graph.Variable._execution_engine = engine


class _Namespaces:
    """The attributes of shared modules at one moment: their names, and the objects themselves.

    Equal to another snapshot when every name is bound to the very same object. Holding the
    objects means no identity can be reused while the snapshot lives (a task's new value at the
    address of the one it replaced); comparing whole tuples keeps it fast (a few thousand names).
    """

    __slots__ = ("entries",)
    __hash__ = None

    def __init__(self, watched: dict[str, Any]) -> None:
        self.entries = [(owner, tuple(namespace), tuple(namespace.values())) for owner, namespace in watched.items()]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Namespaces) or len(self.entries) != len(other.entries):
            return False
        return all(
            owner == other_owner and names == other_names and len(values) == len(other_values) and all(map(operator.is_, values, other_values))
            for (owner, names, values), (other_owner, other_names, other_values) in zip(self.entries, other.entries, strict=True)
        )


def _shared_state() -> _Namespaces:
    """What one task could change for the next: the attributes of shared modules."""
    import torch

    watched = {"builtins": __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)}
    for name in ("torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.autograd", "torch.linalg", "math", "random"):
        module = sys.modules.get(name)
        if module is not None:
            watched[name] = vars(module)
    for name, module in list(sys.modules.items()):
        if name.startswith("grader.") and module is not None:
            watched[name] = vars(module)
    watched["torch.Tensor"] = vars(torch.Tensor)
    return _Namespaces(watched)


def _state_of_process() -> tuple:
    """What a job could leave behind for the next job of its process: `_shared_state`, torch's
    global modes, the interpreter's hooks, and its threads."""
    import torch

    modes = (
        torch.is_grad_enabled(), torch.is_inference_mode_enabled(), torch.is_anomaly_enabled(),
        torch.get_default_dtype(), torch.get_num_threads(), torch.are_deterministic_algorithms_enabled(),
        sys.getrecursionlimit(), id(sys.gettrace()), id(sys.getprofile()), tuple(map(id, sys.meta_path)),
        tuple(map(id, sys.path_hooks)), threading.active_count(), signal.getsignal(signal.SIGALRM),
        signal.getsignal(signal.SIGTERM), os.umask(os.umask(0o022)),
    )  # fmt: skip
    return _shared_state(), modes


class PortableWorker:
    """Runs one task at a time in this process; retires after a task that changed shared state."""

    def __init__(self, config: dict[str, Any], out) -> None:
        self.out = out
        self.import_path = list(config.get("import_path", []))
        self.base = tempfile.mkdtemp(prefix="descent-worker-")
        self.jobs: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.notes: list[str] = []
        self.mode = "portable"
        self.requests = b""
        self.memory_capped = self._cap_memory(config)
        if not self.memory_capped:
            self.notes.append("memory_cap_unavailable")

    @staticmethod
    def _cap_memory(config: dict[str, Any]) -> bool:
        try:
            import resource
        except ImportError:
            return False
        if sys.platform == "darwin":
            return False  # macOS accepts RLIMIT_AS and does not enforce it
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                mapped = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
            limit = mapped + int(config.get("memory_bytes", 2 << 30))
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            return True
        except (OSError, ValueError, StopIteration):
            return False

    def _listen(self) -> None:
        """The lifeline: jobs from the judge; when the judge is gone, so is this worker."""
        while True:
            while b"\n" in self.requests:
                line, self.requests = self.requests.split(b"\n", 1)
                if line.strip():
                    self.jobs.put(Job.from_request(json.loads(line)))
            chunk = os.read(self.channel, 1 << 16)
            if not chunk:
                os._exit(0)
            self.requests += chunk

    def serve(self) -> None:
        # Jobs arrive on a descriptor of their own; a task's standard input is /dev/null.
        self.channel = os.dup(0)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        self.state = _shared_state()
        threading.Thread(target=self._listen, daemon=True).start()
        threads = threading.active_count()
        while True:
            job = self.jobs.get()
            header, payload = self._run(job)
            retire = _shared_state() != self.state or threading.active_count() > threads
            header["retire"] = retire
            with self.lock:
                write_message(self.out, header, payload)
            if retire:
                os._exit(0)

    def _run(self, job: Job) -> tuple[dict[str, Any], bytes]:
        from grader import wire
        from grader.cleanup import remove_tree
        from grader.snapshot import read_files, write_files

        header = {"key": job.key, "task": job.task, "nonce": job.nonce.hex()}
        source = os.path.join(job.folder, f"{job.module}.py")
        if not os.path.isfile(source):
            return {**header, "missing_file": True}, b""
        workdir = tempfile.mkdtemp(prefix="task-", dir=self.base)
        write_files(read_files(job.folder), workdir)
        saved_env, saved_path, saved_cwd = dict(os.environ), list(sys.path), os.getcwd()
        saved_code = _forbidden_code(job.forbid)
        saved_streams = (sys.stdin, sys.stdout, sys.stderr)
        saved_fds = [os.dup(fd) for fd in (1, 2)]
        output = tempfile.TemporaryFile(dir=self.base)
        started, cpu_started = time.monotonic(), time.process_time()
        watchdog = self._watchdog(job, header, cpu_started, output.fileno())
        try:
            os.dup2(output.fileno(), 1)
            os.dup2(output.fileno(), 2)
            os.chdir(workdir)
            prepare_interpreter(workdir, workdir, self.import_path)
            data = encode_results(job, workdir)
            flush_output()
        finally:
            watchdog.set()
            for fd, copy in zip((1, 2), saved_fds, strict=True):
                os.dup2(copy, fd)
                os.close(copy)
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            sys.path[:] = saved_path
            sys.modules.pop(job.module, None)
            for function, code in saved_code:
                function.__code__ = code
        header.update(timed_out=False, overflow=False, code=0, signal=None, cpu_exceeded=False)
        header.update(cpu=round(time.process_time() - cpu_started, 4), seconds=round(time.monotonic() - started, 4))
        output.seek(0, io.SEEK_END)
        header["output_size"] = output.tell()
        output.seek(0)
        text = output.read(OUTPUT_SHOWN * 4).decode("utf-8", errors="replace")
        header["output"] = text if len(text) <= OUTPUT_SHOWN and header["output_size"] <= OUTPUT_SHOWN * 4 else text[:OUTPUT_SHOWN] + "\n…"
        output.close()
        remove_tree(workdir)
        gc.collect()
        try:
            return header, wire.unframe(data, job.nonce)
        except wire.WireError as error:
            return {**header, "bad_frame": str(error)}, b""

    def _watchdog(self, job: Job, header: dict[str, Any], cpu_started: float, output: int) -> threading.Event:
        """A thread that ends this worker when the task has used its CPU seconds, or printed too much.

        Printing has no bound of its own here (a file size limit would bind the
        whole worker): a task that floods is stopped within one look, before
        the flood costs its CPU seconds or the disk.
        """
        done = threading.Event()
        budget = float(job.limits["cpu_seconds"])
        flood = int(job.limits.get("output_bytes") or 1 << 20)

        def stop(**fields: Any) -> None:
            with self.lock:
                write_message(self.out, {**header, "cpu_exceeded": False, "timed_out": False, "overflow": False, "code": None,
                                         "signal": None, "cpu": budget, "seconds": 0.0, "output": "", "output_size": 0,
                                         "retire": True, **fields})  # fmt: skip
                os._exit(0)

        def watch() -> None:
            while not done.wait(0.05):
                printed = os.fstat(output).st_size
                if printed >= flood:
                    stop(output_size=printed, cpu=round(time.process_time() - cpu_started, 4))
                if time.process_time() - cpu_started > budget:
                    stop(cpu_exceeded=True)

        threading.Thread(target=watch, daemon=True).start()
        return done


# --- start-up ----------------------------------------------------------------------


def _close_grader_package() -> None:
    """No module of the grader's can be imported from here on (the checks above all).

    Where tasks see the machine's files (no namespaces), this keeps `import
    grader.checks...` from working by accident; the namespaces keep the files
    themselves out of sight.
    """
    for name, module in list(sys.modules.items()):
        if (name == "grader" or name.startswith("grader.")) and hasattr(module, "__path__"):
            module.__path__ = []


def _read_config() -> tuple[dict[str, Any], bytes]:
    """The first line on stdin, read without buffering past it: what follows is jobs."""
    data = b""
    while b"\n" not in data:
        chunk = os.read(0, 1 << 16)
        if not chunk or len(data) > MAX_REQUEST:
            os._exit(0)
        data += chunk
    line, leftover = data.split(b"\n", 1)
    return json.loads(line), leftover


def main() -> None:
    """Read the configuration line, warm up, say ready, serve jobs until stdin closes."""
    gc.disable()
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the judge's to handle
    out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # nothing printed while warming can corrupt the channel
    config, leftover = _read_config()
    os.umask(0o022)  # the view's folders must be passable by task users, whatever umask the judge had
    if sys.platform.startswith("linux") and config.get("mode") != "portable":
        from grader import sandbox

        sandbox.set_parent_death_signal()
    for entry in config.get("import_path", []):
        if entry not in sys.path:
            sys.path.append(entry)
    from grader import cleanup, forbid, snapshot, warm, wire  # noqa: F401 - everything a task will need, loaded now
    from grader.scenarios import load_unit

    warm.warm_up()
    for unit in config.get("units", []):
        load_unit(unit)
    _close_grader_package()
    try:
        if config.get("mode") != "portable" and sys.platform.startswith("linux"):
            worker = ForkingWorker(config, out)
        else:
            worker = PortableWorker(config, out)
        worker.requests = leftover
    except Exception as error:  # noqa: BLE001 - the judge reports it
        write_message(out, {"ready": False, "error": f"{type(error).__name__}: {error}"[:1000]})
        os._exit(1)
    gc.freeze()  # the warm heap is shared with every task and never scanned
    folders = getattr(worker, "folders", [worker.base])
    write_message(out, {"ready": True, "mode": worker.mode, "notes": worker.notes, "pid": os.getpid(), "folders": folders})
    try:
        worker.serve()
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
