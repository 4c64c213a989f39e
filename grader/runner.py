"""Run each task's scenarios in a process of its own.

The grading process imports torch once and forks one child per task, at most
one per core at a time. The child imports the student's module, runs the
task's scenarios and sends back plain data (see `grader.wire`) through a
pipe. The parent keeps the clock: a child that runs past its timeout is
killed with its whole process group. Whatever the child prints, raises or
exits with, the parent only ever reads data from it.
"""

from __future__ import annotations

import faulthandler
import gc
import importlib.util
import json
import os
import selectors
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from grader import sandbox, wire
from grader.sandbox import Limits
from grader.scenarios import Scenario

OUTPUT_SHOWN = 4000  # characters of captured output kept for feedback
KILL_GRACE = 0.2  # seconds between SIGTERM and SIGKILL
MAX_PAYLOAD = 256 * sandbox.MIB  # bytes of results a task may send back


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
    scenarios: dict[str, Scenario]
    limits: Limits

    @property
    def file_name(self) -> str:
        return f"{self.module}.py"


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


def _describe(error: BaseException, workdir: Path) -> dict[str, Any]:
    """Name the exception and the last line of the submission it went through."""
    try:
        message = str(error)
    except BaseException:  # noqa: BLE001 - a student's __str__ may raise anything
        message = ""
    found = {"error_type": type(error).__name__, "message": message[:500], "file": "", "line": 0, "code": "", "function": ""}
    if isinstance(error, SyntaxError) and error.filename:
        found.update(file=Path(error.filename).name, line=error.lineno or 0, code=(error.text or "").strip())
    root = str(workdir)
    frames = traceback.walk_tb(error.__traceback__)
    for (frame, _), summary in zip(frames, traceback.extract_tb(error.__traceback__), strict=False):
        if summary.filename.startswith(root):
            found.update(
                file=Path(summary.filename).name,
                line=summary.lineno or 0,
                code=(summary.line or "").strip(),
                function=frame.f_code.co_qualname,
            )
    return found


def _import_submission(job: Job, workdir: Path):
    spec = importlib.util.spec_from_file_location(job.module, workdir / job.file_name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[job.module] = module
    spec.loader.exec_module(module)
    return module


def _child_payload(job: Job, workdir: Path) -> dict[str, Any]:
    sys.path.insert(0, str(workdir))
    try:
        module = _import_submission(job, workdir)
    except BaseException as error:  # noqa: BLE001 - SystemExit and friends included
        return {"import_error": _describe(error, workdir)}
    missing = [name for name in job.functions if not hasattr(module, name)]
    if missing:
        return {"missing": missing}
    results = {}
    for name, run in job.scenarios.items():
        torch.manual_seed(0)
        try:
            results[name] = ("value", wire.encode(run(module)))
        except BaseException as error:  # noqa: BLE001
            results[name] = ("raised", _describe(error, workdir))
    return {"results": results}


def _run_child(job: Job, write_fd: int, output_fd: int, workdir: Path, uid: int | None) -> None:
    """The child's whole life; it never returns."""
    try:
        os.setpgid(0, 0)
        gc.freeze()  # the inherited heap is never scanned (nor copied on write by the collector)
        gc.enable()
        faulthandler.disable()  # a crash is reported by the exit status, not on the grader's terminal
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        # The grading process's sys.stdout may be a capture object (pytest's): point at the fds.
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stdin = open(os.devnull)  # noqa: SIM115
        torch.set_num_threads(1)
        sandbox.enter(job.limits, workdir, uid)
        try:
            data = wire.dumps(_child_payload(job, workdir))
        except BaseException as error:  # noqa: BLE001
            traceback.print_exc()  # into the task's captured output
            data = wire.dumps({"crashed": f"{type(error).__name__} while sending results"})
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view):]
    except BaseException:  # noqa: BLE001 - reported by the missing result; the trace helps the grader's authors
        traceback.print_exc()
    finally:
        os._exit(0)


def _kill_group(pid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        if sig == signal.SIGTERM:
            time.sleep(KILL_GRACE)


def _read_output(file) -> tuple[str, int]:
    size = os.fstat(file.fileno()).st_size
    file.seek(0)
    text = file.read(OUTPUT_SHOWN + 1).decode("utf-8", errors="replace")
    return (text if len(text) <= OUTPUT_SHOWN else text[:OUTPUT_SHOWN] + "\n…"), size


@dataclass
class _Finished:
    """A task process's end, as the supervisor saw it: raw bytes, not yet trusted."""

    task_id: str
    data: bytes | None  # None: it sent more than MAX_PAYLOAD
    timed_out: bool
    exit_status: int
    output: str
    output_size: int
    seconds: float
    missing_file: bool = False


def _task_run(job: Job, finished: _Finished) -> TaskRun:
    """Judge a finished task process from what it sent; nothing it sends may break this."""
    run = TaskRun(job.task_id, "ok", output=finished.output, seconds=finished.seconds)
    if finished.missing_file:
        run.status, run.detail = "missing_file", {"file": job.file_name}
        return run
    if finished.timed_out:
        run.status, run.detail = "timeout", {"seconds": job.limits.timeout}
        return run
    if finished.output_size >= job.limits.output_bytes:
        run.status, run.detail = "output_flood", {"limit": job.limits.output_bytes}
        return run
    if finished.data is None:
        run.status, run.detail = "crashed", {"exit": f"sent more than {MAX_PAYLOAD // sandbox.MIB} MB of results"}
        return run
    try:
        payload = wire.loads(finished.data)
        if not isinstance(payload, dict):
            raise ValueError("payload is not a dict")
    except Exception:  # noqa: BLE001 - nothing the child sends may break the parent
        run.status = "crashed"
        run.detail = {"exit": _exit_description(finished.exit_status)}
        return run
    if "import_error" in payload:
        run.status, run.detail = "import_error", dict(payload["import_error"])
    elif "missing" in payload:
        run.status, run.detail = "missing_function", {"functions": list(payload["missing"])}
    elif "crashed" in payload:
        run.status, run.detail = "crashed", {"exit": str(payload["crashed"])}
    else:
        try:
            for name in job.scenarios:
                kind, value = payload["results"][name]
                run.outcomes[name] = wire.decode(value) if kind == "value" else Raised(**value)
        except Exception:  # noqa: BLE001
            run.status, run.detail = "crashed", {"exit": "malformed results"}
    return run


def _exit_description(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    if os.WIFEXITED(status):
        return f"exit code {os.WEXITSTATUS(status)}"
    return f"status {status}"


def _supervise(jobs: list[Job], workers: int, emit) -> None:
    """Run every job in its own process, `workers` at a time; `emit(_Finished)` as each ends."""
    pending = []
    for job in jobs:
        if (job.submission / job.file_name).is_file():
            pending.append(job)
        else:
            emit(_Finished(job.task_id, b"", False, 0, "", 0, 0.0, missing_file=True))
    if not pending:
        return
    files = sandbox.submission_files(pending[0].submission)
    users = sandbox.UserReservation(workers) if sandbox.is_root() else None
    sandbox.become_subreaper()
    base = Path(tempfile.mkdtemp(prefix="descent-"))
    os.chmod(base, 0o711)  # task users may enter their own folder, not list the others
    free_slots = list(range(workers))
    selector = selectors.DefaultSelector()
    active: dict[int, dict[str, Any]] = {}

    def start(job: Job) -> None:
        slot = free_slots.pop(0)
        uid = users.uids[slot] if users else None
        workdir = base / f"task-{job.task_id}"
        sandbox.prepare_workdir(files, workdir, uid)
        read_fd, write_fd = os.pipe()
        output = tempfile.TemporaryFile(dir=base)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _run_child(job, write_fd, output.fileno(), workdir, uid)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        selector.register(read_fd, selectors.EVENT_READ, pid)
        active[pid] = {
            "job": job, "fd": read_fd, "chunks": [], "size": 0, "output": output,
            "start": time.monotonic(), "slot": slot, "uid": uid, "workdir": workdir,
        }  # fmt: skip

    def finish(pid: int, timed_out: bool = False, overflow: bool = False) -> None:
        entry = active.pop(pid)
        if timed_out or overflow:
            _kill_group(pid)
        selector.unregister(entry["fd"])
        os.close(entry["fd"])
        try:
            # Before waitpid: until the child is reaped, its group id cannot be reused.
            os.killpg(pid, signal.SIGKILL)  # anything the task left running in its group
        except (ProcessLookupError, PermissionError):
            pass
        _, status = os.waitpid(pid, 0)
        sandbox.clean_up(entry["uid"], keep=set(active))  # and anything that left the group
        output, output_size = _read_output(entry["output"])
        entry["output"].close()
        shutil.rmtree(entry["workdir"], ignore_errors=True)
        free_slots.append(entry["slot"])
        seconds = time.monotonic() - entry["start"]
        data = None if overflow else b"".join(entry["chunks"])
        emit(_Finished(entry["job"].task_id, data, timed_out, status, output, output_size, seconds))

    try:
        while pending or active:
            while pending and len(active) < workers:
                start(pending.pop(0))
            now = time.monotonic()
            deadline = min(e["start"] + e["job"].limits.timeout for e in active.values())
            for key, _ in selector.select(timeout=max(0.0, deadline - now)):
                pid = key.data
                try:
                    chunk = os.read(key.fd, 1 << 20)
                except BlockingIOError:
                    continue
                if not chunk:
                    finish(pid)
                    continue
                entry = active[pid]
                entry["chunks"].append(chunk)
                entry["size"] += len(chunk)
                if entry["size"] > MAX_PAYLOAD:
                    finish(pid, overflow=True)
            now = time.monotonic()
            for pid, entry in list(active.items()):
                if now >= entry["start"] + entry["job"].limits.timeout:
                    finish(pid, timed_out=True)
    finally:
        for pid in list(active):
            finish(pid, timed_out=True)
        selector.close()
        shutil.rmtree(base, ignore_errors=True)
        if users:
            users.release()


class Supervisor:
    """A fork server: a process of its own that runs the task processes while this one judges.

    It is forked before the checks start, from a single-threaded, warm process.
    As each task ends it writes the task's raw result (a JSON header and the
    bytes the task sent, nothing that can run code) to a file in a private
    folder and names the task on a pipe, so it never waits for this process to
    read. `result(task_id)` waits for one task: the checks of early tasks run
    while later tasks still work.
    """

    def __init__(self, jobs: list[Job], workers: int | None = None) -> None:
        self.jobs = {job.task_id: job for job in jobs}
        self.runs: dict[str, TaskRun] = {}
        self._folder = Path(tempfile.mkdtemp(prefix="descent-results-"))
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read_fd)
            self._serve(jobs, max(1, workers or os.cpu_count() or 1), write_fd, self._folder)
        os.close(write_fd)
        self._stream = os.fdopen(read_fd, "rb")

    @staticmethod
    def _serve(jobs: list[Job], workers: int, write_fd: int, folder: Path) -> None:
        try:
            sandbox.set_parent_death_signal()

            def emit(finished: _Finished) -> None:
                data = finished.data
                header = {
                    "task_id": finished.task_id, "size": -1 if data is None else len(data),
                    "timed_out": finished.timed_out, "exit_status": finished.exit_status,
                    "output": finished.output, "output_size": finished.output_size,
                    "seconds": finished.seconds, "missing_file": finished.missing_file,
                }  # fmt: skip
                encoded = json.dumps(header).encode()
                record = folder / f"{finished.task_id}.result"
                record.write_bytes(len(encoded).to_bytes(4, "big") + encoded + (data or b""))
                os.write(write_fd, f"{finished.task_id}\n".encode())

            _supervise(jobs, workers, emit)
        finally:
            os._exit(0)

    def _receive(self) -> None:
        line = self._stream.readline()
        if not line.endswith(b"\n"):
            raise EOFError
        task_id = line.decode().strip()
        record = (self._folder / f"{task_id}.result").read_bytes()
        header_size = int.from_bytes(record[:4], "big")
        header = json.loads(record[4 : 4 + header_size])
        size = header.pop("size")
        data = None if size < 0 else record[4 + header_size :]
        finished = _Finished(data=data, **header)
        self.runs[task_id] = _task_run(self.jobs[task_id], finished)

    def result(self, task_id: str) -> TaskRun:
        """The run of `task_id`, waiting for it if need be."""
        while task_id not in self.runs:
            try:
                self._receive()
            except (OSError, EOFError, ValueError, KeyError, TypeError):
                for missing in self.jobs.keys() - self.runs.keys():
                    self.runs[missing] = TaskRun(missing, "crashed", detail={"exit": "the grader's supervisor ended early"})
        return self.runs[task_id]

    def close(self) -> dict[str, TaskRun]:
        """Wait for every task, end the supervisor; every run by task id."""
        try:
            for task_id in self.jobs:
                self.result(task_id)
        finally:
            self._stream.close()
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            shutil.rmtree(self._folder, ignore_errors=True)
        return self.runs
