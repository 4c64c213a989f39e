"""Run each task's scenarios in a worker that never held anything worth stealing.

This is the judge's side. It starts the worker (`grader.worker`) as a fresh
interpreter with an allow-listed environment and no descriptor of its own but
two pipes, sends it jobs, and turns what comes back into `TaskRun`s. Each job
carries a nonce drawn here; a result counts only under its job's key and nonce,
and its payload is decoded within bounds (`grader.wire`). Nothing the worker or
a task sends can run code here, hold this process up past its time budget, or
change another task's result.

    runner = Runner(units=["sgd"])            # starts the worker at once
    batch = runner.start([Job(...), ...])
    run = batch.result("4.3")                 # waits for that task only
    runner.close()

On Linux one worker forks contained task processes (see `grader.sandbox`; with
namespaces, the tasks of one module share one, reset between them);
elsewhere, or with `DESCENT_RUNNER=portable`, a few portable workers run one
task at a time each, and this side keeps their clocks.
"""

from __future__ import annotations

import itertools
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.paths import PACKAGE_DIR, repo_root
from grader.process import import_torch_for_judging, waiting_credit, waiting_seconds
from grader.worker import read_message

STRICT, PORTABLE = "strict", "portable"
READY_BUDGET = 180.0  # seconds a worker may take to import torch and warm up
MAX_ATTEMPTS = 2  # runs of a job whose worker ended under it
ANSWER_MARGIN = 30.0  # seconds past a task's own limits before the worker counts as stuck
STDERR_SHOWN = 2000
# Isolation levels, strongest first: what `mode` reports once the worker is ready.
CONTAINED_MODES = ("namespaces", "users")
ENVIRONMENT_KEPT = (
    "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ",
    "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS",
    "PROCESSOR_ARCHITECTURE",
)  # fmt: skip
BOOT = "import sys; sys.path[:0] = {paths!r}; from grader.worker import main; main()"


class RunnerError(RuntimeError):
    """The worker could not be started or stopped answering: the grader's fault, not the student's."""


@dataclass(frozen=True)
class Raised:
    """An exception raised by the submission inside a scenario."""

    error_type: str
    message: str
    file: str = ""
    line: int = 0
    code: str = ""
    function: str = ""  # the submission's function where it was raised

    @property
    def not_implemented(self) -> bool:
        return self.error_type == "NotImplementedError"

    @property
    def out_of_memory(self) -> bool:
        return self.error_type == "MemoryError" or "can't allocate memory" in self.message


@dataclass(frozen=True)
class Job:
    task_id: str
    module: str
    submission: Path
    functions: tuple[str, ...]
    cpu_seconds: float = 10.0
    wall_seconds: float | None = None  # default: a generous multiple of the CPU seconds
    forbid: tuple[str, ...] = ()  # APIs disabled in the task's process (grader.forbid)

    @property
    def file_name(self) -> str:
        return f"{self.module}.py"

    @property
    def wall_limit(self) -> float:
        return self.wall_seconds or wall_limit(self.cpu_seconds)


def wall_limit(cpu_seconds: float) -> float:
    """Wall-clock seconds for a task of `cpu_seconds`, for a task that sleeps or blocks: the time its
    processes wait for a CPU on a busy machine is added on top (`grader.process.WAITING_CREDIT`)."""
    return 3 * cpu_seconds + 5.0


@dataclass
class TaskRun:
    """What one task's process produced.

    `status` is `ok` (every scenario produced a value or an exception),
    `missing_file`, `missing_function`, `import_error`, `timeout`,
    `output_flood` or `crashed`; `detail` describes the failure.
    """

    task_id: str
    status: str
    outcomes: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)
    output: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    position: int = 0  # how many jobs ran before this one in its task process (see grader.worker.ForkingWorker)


def requested_mode() -> str:
    """`strict` on Linux unless `DESCENT_RUNNER=portable` says otherwise; `portable` elsewhere."""
    wanted = os.environ.get("DESCENT_RUNNER", "").strip().lower()
    if wanted == PORTABLE or not sys.platform.startswith("linux"):
        return PORTABLE
    return STRICT


def default_private_paths() -> list[str]:
    """What no task may see: the course repository and the grader's own package."""
    paths = [str(PACKAGE_DIR)]
    root = repo_root()
    if (root / "course.toml").is_file():
        paths.append(str(root))
    return paths


def _sweep_stale_folders() -> None:
    """Folders of judges that were killed before they could remove their own (their pid is gone)."""
    from grader.cleanup import remove_tree

    if os.name != "posix":
        return  # os.kill(pid, 0) would end that process on Windows, not probe it
    base = tempfile.gettempdir()
    try:
        entries = list(os.scandir(base))
    except OSError:
        return
    for entry in entries:
        parts = entry.name.split("-")
        if len(parts) != 4 or parts[:2] != ["descent", "judge"] or not parts[2].isdigit():
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid() or not entry.is_dir(follow_symlinks=False):
                continue
            os.kill(int(parts[2]), 0)
        except ProcessLookupError:
            remove_tree(entry.path)
        except OSError:
            continue


def _forbid_tracing() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
        except (OSError, AttributeError):
            pass


def _worker_environment(private_temp: str) -> dict[str, str]:
    kept = {name: os.environ[name] for name in ENVIRONMENT_KEPT if name in os.environ}
    return {
        **kept, "HOME": private_temp, "TMPDIR": private_temp, "TEMP": private_temp, "TMP": private_temp,
        "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
    }  # fmt: skip


class _WorkerProcess:
    """One worker: started at once, ready when it says so, then a stream of results."""

    def __init__(self, config: dict[str, Any], private_temp: str) -> None:
        import json

        self.stderr = tempfile.TemporaryFile(dir=private_temp)
        boot = BOOT.format(paths=[str(PACKAGE_DIR.parent)])
        options: dict[str, Any] = {}
        if os.name == "posix":
            options["start_new_session"] = True  # Ctrl-C at the terminal is the judge's, not the worker's
        else:
            options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", boot],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=_worker_environment(private_temp),
            cwd=private_temp,
            close_fds=True,
            **options,
        )
        self.process.stdin.write((json.dumps(config) + "\n").encode())
        self.process.stdin.flush()
        self.ready: dict[str, Any] | None = None

    def send(self, request: dict[str, Any] | list[dict[str, Any]]) -> None:
        import json

        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()

    def stderr_tail(self) -> str:
        try:
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - STDERR_SHOWN))
            return self.stderr.read().decode("utf-8", errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def kill(self) -> None:
        try:
            if os.name == "posix":
                os.killpg(self.process.pid, 9)
            else:
                self.process.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def close(self) -> None:
        """End the worker; its reader thread then sees the end of its output and stops."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.stderr.close()


@dataclass
class _Pending:
    job: Job
    key: str
    nonce: bytes
    sent: float = 0.0
    attempts: int = 1


class Batch:
    """The jobs of one submission in flight: `result(task_id)` waits for one of them."""

    def __init__(self, runner: Runner, jobs: list[Job]) -> None:
        self.runner = runner
        self.jobs = {job.task_id: job for job in jobs}
        self.runs: dict[str, TaskRun] = {}
        self.pending: dict[str, _Pending] = {}
        self.deadline = time.monotonic() + READY_BUDGET + ANSWER_MARGIN + sum(job.wall_limit for job in jobs) / runner.workers

    def result(self, task_id: str) -> TaskRun:
        """The run of `task_id`, waiting for it if need be."""
        while task_id not in self.runs:
            self.runner._pump(self, self.deadline)
        return self.runs[task_id]

    def close(self) -> dict[str, TaskRun]:
        for task_id in self.jobs:
            self.result(task_id)
        return self.runs


class Runner:
    """Workers for any number of submissions, one after the other (a batch reuses them)."""

    _keys = itertools.count()

    def __init__(self, units: list[str], workers: int | None = None, private: list[str] | tuple[str, ...] = (), mode: str | None = None) -> None:
        self.mode_requested = mode or requested_mode()
        self.workers = max(1, workers or os.cpu_count() or 1)
        _forbid_tracing()  # no process of this user may read this judge's memory or trace it
        _sweep_stale_folders()
        self.private_temp = tempfile.mkdtemp(prefix=f"descent-judge-{os.getpid()}-")
        if os.name == "posix" and os.geteuid() == 0:
            os.chmod(self.private_temp, 0o711)  # task users pass through to their own folder, and see nothing else
        private_paths = [*default_private_paths(), *map(str, private), self.private_temp]
        hidden = {os.path.realpath(path) for path in private_paths}
        import_path = [entry for entry in sys.path if entry and os.path.realpath(entry) not in hidden and os.path.exists(entry)]
        self.config = {
            "mode": self.mode_requested,
            "units": list(units),
            "workers": self.workers,
            "private": private_paths,
            "import_path": import_path,
            "uid_base": int(os.environ.get("DESCENT_SANDBOX_UID_BASE", "64000")),
            "namespaces": os.environ.get("DESCENT_NAMESPACES", "1") != "0",
            "task_groups": os.environ.get("DESCENT_TASK_GROUPS", "1") != "0",  # see grader.worker.ForkingWorker
        }
        self.messages: queue.Queue = queue.Queue()
        self.processes: list[_WorkerProcess] = []
        self.spawned: list[_WorkerProcess] = []  # every worker ever started, for the folders to remove
        self.idle: list[_WorkerProcess] = []
        # id(process) -> (process, key, deadline, its seconds waiting for a CPU then, wall-clock limit)
        self.busy: dict[int, tuple[_WorkerProcess, str, float, float, float]] = {}
        self.waiting: list[_Pending] = []
        self.in_flight: dict[str, tuple[Batch, _Pending]] = {}
        self._ready: dict[str, Any] | None = None
        # Portable workers each import torch; one core stays with this process, which imports it too.
        count = 1 if self.mode_requested == STRICT else max(1, min(self.workers, (os.cpu_count() or 2) - 1))
        for _ in range(count):
            self._spawn()

    # --- workers

    def _spawn(self) -> _WorkerProcess:
        process = _WorkerProcess(self.config, self.private_temp)
        self.processes.append(process)
        self.spawned.append(process)
        threading.Thread(target=self._listen, args=(process,), daemon=True).start()
        return process

    def _listen(self, process: _WorkerProcess) -> None:
        """Reader thread: every message of one worker onto the queue, then its end."""
        import_torch_for_judging()  # usually the judge's first import of torch (grader.wire needs it)
        from grader import wire

        try:
            while True:
                header, payload = read_message(process.process.stdout, wire.MAX_PAYLOAD)
                self.messages.put((process, header, payload))
        except (EOFError, ValueError, OSError):
            self.messages.put((process, None, b""))
        finally:
            try:
                process.process.stdout.close()
            except OSError:
                pass

    @property
    def mode(self) -> str:
        """How tasks are contained here: `namespaces`, `users`, `processes` or `portable`."""
        return self.ready["mode"]

    @property
    def ready(self) -> dict[str, Any]:
        if self._ready is None:
            self._ready = self._wait_ready(self.processes[0])
        return self._ready

    def _wait_ready(self, process: _WorkerProcess) -> dict[str, Any]:
        deadline = time.monotonic() + READY_BUDGET
        while process.ready is None:
            try:
                source, header, _ = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                process.kill()
                raise RunnerError(f"the grader's worker did not start in {READY_BUDGET:g} s. {process.stderr_tail()}") from None
            if header is None and source is process:
                raise RunnerError(f"the grader's worker did not start. {process.stderr_tail()}")
            if source is process and header.get("ready") is not None:
                if not header.get("ready"):
                    raise RunnerError(f"the grader's worker did not start: {header.get('error', '?')}")
                process.ready = header
                self.idle.append(process)
            else:
                self.messages.put((source, header, _))  # another worker's, handled by the pump
        return process.ready

    @property
    def contained(self) -> bool:
        """Are tasks kept from the machine (namespaces or users of their own)?"""
        return self.mode in CONTAINED_MODES

    # --- jobs

    def snapshot(self, folder: Path) -> Path:
        """A private copy of a submission to grade (see `grader.snapshot`); `release` removes it."""
        from grader.snapshot import snapshot

        return snapshot(folder, Path(self.private_temp) / f"submission-{next(self._keys)}")

    def release(self, copy: Path) -> None:
        from grader.cleanup import remove_tree

        remove_tree(str(copy))

    def start(self, jobs: list[Job]) -> Batch:
        batch = Batch(self, jobs)
        self.ready  # noqa: B018 - a worker that cannot start fails here, before any job
        together = []
        for job in jobs:
            pending = _Pending(job, f"{next(self._keys)}-{job.task_id}", os.urandom(16))
            batch.pending[pending.key] = pending
            self.in_flight[pending.key] = (batch, pending)
            if self.mode_requested == STRICT:
                together.append(pending)
            else:
                self.waiting.append(pending)
        if together:
            # One line for the whole submission: the worker sees its jobs at once, and can give the
            # tasks of one module a process together (grader.worker.ForkingWorker).
            now = time.monotonic()
            for pending in together:
                pending.sent = now
            try:
                self.processes[0].send([self._request(pending) for pending in together])
            except OSError:
                pass  # its end arrives as a message; the jobs are then answered as crashed
        self._dispatch()
        return batch

    def _request(self, pending: _Pending) -> dict[str, Any]:
        job = pending.job
        return {
            "key": pending.key,
            "task": job.task_id,
            "module": job.module,
            "folder": str(job.submission),
            "functions": list(job.functions),
            "nonce": pending.nonce.hex(),
            "limits": {"cpu_seconds": job.cpu_seconds, "wall_seconds": job.wall_limit, "output_bytes": OUTPUT_FLOOD},
            "forbid": list(job.forbid),
        }

    def _send(self, process: _WorkerProcess, pending: _Pending) -> None:
        pending.sent = time.monotonic()
        try:
            process.send(self._request(pending))
        except OSError:
            pass  # its end arrives as a message; the job is then answered as crashed

    def _dispatch(self) -> None:
        """Portable: give waiting jobs to idle workers, one each."""
        while self.waiting and self.idle:
            process = self.idle.pop(0)
            pending = self.waiting.pop(0)
            wall = pending.job.wall_limit
            waited = waiting_seconds(process.process.pid)
            self.busy[id(process)] = (process, pending.key, time.monotonic() + wall + 2.0, waited, wall)
            self._send(process, pending)

    def _pump(self, batch: Batch, deadline: float) -> None:
        """Handle one message (or one expired clock) from the workers."""
        now = time.monotonic()
        wake = deadline
        for process, key, until, waited, wall in list(self.busy.values()):
            # As the forking worker does: time spent waiting for a CPU on a busy machine is not the task's.
            until += waiting_credit(waiting_seconds(process.process.pid) - waited, wall)
            if now >= until:
                self._end_portable(process, key, "timeout")
                return
            wake = min(wake, until)
        if now >= deadline:
            for key, pending in list(batch.pending.items()):
                self._answer(key, TaskRun(pending.job.task_id, "crashed", detail={"exit": "the grader's worker stopped answering"}))
            return
        try:
            process, header, payload = self.messages.get(timeout=max(0.01, wake - now))
        except queue.Empty:
            return
        if header is None:
            self._worker_ended(process)
        elif header.get("ready") is not None:
            if header.get("ready"):
                process.ready = header
                self.idle.append(process)
                self._dispatch()
        else:
            self._receive(process, header, payload)

    def _receive(self, process: _WorkerProcess, header: dict[str, Any], payload: bytes) -> None:
        key = header.get("key")
        entry = self.in_flight.get(key) if isinstance(key, str) else None
        if entry is None or header.get("nonce") != entry[1].nonce.hex():
            return  # not an answer to a job in flight: ignored
        self._answer(key, _task_run(entry[1].job, header, payload))
        if id(process) in self.busy:
            del self.busy[id(process)]
            if header.get("retire"):
                self._replace(process)
            else:
                self.idle.append(process)
            self._dispatch()

    def _answer(self, key: str, run: TaskRun) -> None:
        entry = self.in_flight.pop(key, None)
        if entry is None:
            return
        batch, pending = entry
        batch.pending.pop(key, None)
        batch.runs[pending.job.task_id] = run

    def _worker_ended(self, process: _WorkerProcess) -> None:
        """A worker's channel closed: its jobs in flight are answered, a portable one replaced."""
        tail = process.stderr_tail()
        if self.mode_requested == STRICT:
            if process not in self.processes:
                return
            self.processes.remove(process)
            process.close()
            fresh = self._spawn()
            # Whatever ended it (a bug, or a task that reached it where tasks are not contained),
            # the jobs it still held run once more on a fresh worker, under new nonces.
            for key, (batch, pending) in list(self.in_flight.items()):
                if pending.attempts >= MAX_ATTEMPTS:
                    self._answer(key, TaskRun(pending.job.task_id, "crashed", detail={"exit": "the grader's worker ended early", "log": tail}))
                    continue
                del self.in_flight[key]
                batch.pending.pop(key, None)
                retry = _Pending(pending.job, f"{next(self._keys)}-{pending.job.task_id}", os.urandom(16), attempts=pending.attempts + 1)
                batch.pending[retry.key] = retry
                self.in_flight[retry.key] = (batch, retry)
                self._send(fresh, retry)
            return
        entry = self.busy.pop(id(process), None)
        if entry is not None and entry[1] in self.in_flight:
            job = self.in_flight[entry[1]][1].job
            self._answer(entry[1], TaskRun(job.task_id, "crashed", detail={"exit": "the task's process ended without a result", "log": tail}))
        self._replace(process)

    def _end_portable(self, process: _WorkerProcess, key: str, status: str) -> None:
        self.busy.pop(id(process), None)
        entry = self.in_flight.get(key)
        if entry is not None:
            job = entry[1].job
            self._answer(key, TaskRun(job.task_id, status, detail={"seconds": job.wall_limit, "kind": "wall"}))
        self._replace(process)

    def _replace(self, process: _WorkerProcess) -> None:
        """A fresh worker instead of `process` (once, however often its end is reported)."""
        if process in self.idle:
            self.idle.remove(process)
        if process in self.processes:
            self.processes.remove(process)
            process.close()
            self._spawn()

    def close(self) -> None:
        """Stop the workers and remove every folder they or this side made (even if one was killed)."""
        from grader.cleanup import remove_tree

        folders = [self.private_temp]
        for process in self.spawned:
            folders += [str(folder) for folder in (process.ready or {}).get("folders", []) if isinstance(folder, str)]
        for process in self.processes:
            process.close()
        self.processes.clear()
        for folder in folders:
            if os.path.isabs(folder) and "descent" in folder:
                remove_tree(folder)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _exit_text(header: dict[str, Any]) -> str:
    if header.get("signal"):
        return f"signal {header['signal']}"
    if header.get("code") not in (None, 0):
        return f"exit code {header['code']}"
    return "ended without a result"


def _task_run(job: Job, header: dict[str, Any], payload: bytes) -> TaskRun:
    """Judge one task's answer from what it sent; nothing it sends may break this."""
    from grader import wire

    run = TaskRun(job.task_id, "ok", output=str(header.get("output", ""))[:8000])
    run.seconds = float(header.get("seconds") or 0.0)
    run.cpu_seconds = float(header.get("cpu") or 0.0)
    run.position = header["position"] if type(header.get("position")) is int else 0
    if header.get("missing_file"):
        run.status, run.detail = "missing_file", {"file": job.file_name}
        return run
    if header.get("crowded"):
        run.status, run.detail = "crashed", {"exit": "it started too many processes"}
        return run
    if int(header.get("output_size") or 0) >= OUTPUT_FLOOD:  # the likely cause, if it also ran out of time
        run.status, run.detail = "output_flood", {"limit": OUTPUT_FLOOD}
        return run
    if header.get("cpu_exceeded"):
        run.status, run.detail = "timeout", {"seconds": job.cpu_seconds, "kind": "cpu"}
        return run
    if header.get("timed_out"):
        run.status, run.detail = "timeout", {"seconds": job.wall_limit, "kind": "wall"}
        return run
    if header.get("overflow"):
        run.status, run.detail = "crashed", {"exit": f"sent more than {wire.MAX_PAYLOAD >> 20} MB of results"}
        return run
    if not payload:
        run.status, run.detail = "crashed", {"exit": _exit_text(header)}
        return run
    try:
        result = wire.loads(payload)
        if not isinstance(result, dict):
            raise wire.WireError("results are not a dict")
    except wire.WireError:
        run.status, run.detail = "crashed", {"exit": "malformed results"}
        return run
    if header.get("cpu") is None and isinstance(result.get("cpu"), float):
        run.cpu_seconds = max(0.0, result["cpu"])  # one of several jobs of its process: its own count
    if header.get("output_in_results"):  # (likewise: what it printed came with its results)
        run.output = str(result.get("output", ""))[:8000]
        size = result.get("output_size")
        if type(size) is int and size >= OUTPUT_FLOOD:
            run.status, run.detail = "output_flood", {"limit": OUTPUT_FLOOD}
            return run
    if "import_error" in result:
        run.status, run.detail = "import_error", _raised_fields(result["import_error"])
        run.detail["file"] = run.detail["file"] or job.file_name  # raised inside the import machinery
    elif "missing" in result:
        run.status, run.detail = "missing_function", {"functions": [str(name) for name in result["missing"]]}
    elif "crashed" in result:
        run.status, run.detail = "crashed", {"exit": str(result["crashed"])}
    else:
        try:
            for name in scenario_names(job.task_id):
                kind, value = result["results"][name]
                run.outcomes[name] = value if kind == "value" else Raised(**_raised_fields(value))
        except (KeyError, TypeError, ValueError):
            run.status, run.detail = "crashed", {"exit": "malformed results"}
    return run


OUTPUT_FLOOD = 1 << 20  # printed bytes past which a task counts as flooding


def _raised_fields(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("malformed exception")
    return {
        "error_type": str(value.get("error_type", "?"))[:200],
        "message": str(value.get("message", ""))[:500],
        "file": str(value.get("file", ""))[:200],
        "line": int(value.get("line", 0)) if isinstance(value.get("line", 0), int) else 0,
        "code": str(value.get("code", ""))[:500],
        "function": str(value.get("function", ""))[:200],
        **({"top_line": value["top_line"], "top_code": str(value.get("top_code", ""))[:500]} if isinstance(value.get("top_line"), int) else {}),
    }


def scenario_names(task_id: str) -> list[str]:
    """The scenarios the judge expects for a task (from the same registry the worker runs)."""
    from grader.scenarios import scenarios_for

    return list(scenarios_for(task_id))


_prestarted: Runner | None = None


def prestart() -> None:
    """Start a worker for every unit now, for the next `take_prestarted()` (`grader check`, `list`, `next`)."""
    import atexit

    from grader.manifest import course

    global _prestarted
    _prestarted = Runner(units=list(course().modules))
    atexit.register(_prestarted.close)  # a usage error ends the command before grading


def take_prestarted() -> Runner | None:
    global _prestarted
    runner, _prestarted = _prestarted, None
    return runner
