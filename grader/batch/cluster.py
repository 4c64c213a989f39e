"""`grader grade --cluster ADDRESS`: the class graded on the workers of a Dask cluster.

    dask scheduler                                   # on one machine: tcp://HOST:8786
    dask worker tcp://HOST:8786 --nthreads 1         # on every machine that grades (each with the course installed)
    grader grade SUBMISSIONS_DIR --out RESULTS_DIR --cluster tcp://HOST:8786

or `dask_jobqueue.SLURMCluster` / `PBSCluster` for a university's batch
queue (see the instructor page). The coordinator (the `grader grade`
process) stages every submission as it does for a local run, sends each
submission's files (a few kilobytes) as one Dask task, and is the only
process that writes the gradebook, the CSV and the results: a worker only
answers. On a worker, `grade_files` grades with the same `WarmGrader` the
local batch workers use (a warm runner, sandboxed task processes, one
judging session per worker process), so a student's points are the same
wherever they were graded. A worker whose grader differs from the
coordinator's (another version of the course or its checks) refuses to
grade rather than give other points.

A worker that dies mid-grading (killed, out of memory, its machine gone)
loses only its tasks in flight: the scheduler runs them again on another
worker. A task that raised is retried (`RETRIES`); what still fails is an
`error` row for that student alone, as in a local run.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.batch import BatchError

RETRIES = 2  # further runs of a task that raised (a worker that died is handled by the scheduler)
CONNECT_SECONDS = 10  # for Dask to connect; a silent server gets half as long again
WORKERS_TIMEOUT = 60  # seconds to wait for the first worker of a cluster that has none yet
MAX_STAGED_BYTES = 16 << 20  # as grader.batch.submissions.MAX_TOTAL_BYTES

_grader_lock = threading.Lock()
_warm: dict[str, Any] = {}  # this worker process's WarmGrader and its folder, made at its first submission


def connect(address: str):
    """A Dask client of the scheduler at `address`; a usage error when there is none."""
    try:
        from distributed import Client
    except ImportError:
        raise BatchError("batch_cluster_missing") from None
    try:
        _knock(address)
        seconds = CONNECT_SECONDS
        return _bounded(lambda: Client(address, timeout=f"{seconds}s", set_as_default=False), 1.5 * seconds)
    except Exception as error:  # noqa: BLE001 - a refused port, a bad address, or a server that is no Dask scheduler
        raise BatchError("batch_cluster_unreachable", address=address, reason=f"{type(error).__name__}: {error}"[:300]) from None


def _bounded(start: Callable[[], Any], seconds: float) -> Any:
    """`start()` in a thread of its own, given `seconds`: a server that accepts and then says nothing
    (another program on the scheduler's port) keeps Dask's handshake waiting without end."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = start()
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            outcome["error"] = error

    thread = threading.Thread(target=run, name="descent-cluster-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"no answer from a Dask scheduler within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _knock(address: str) -> None:
    """Fail at once where nothing listens at a TCP address: Dask would retry until its timeout."""
    import socket

    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):
        socket.create_connection(parse_host_port(location), timeout=CONNECT_SECONDS / 2).close()


def worker_count(client) -> int:
    return len(client.scheduler_info().get("workers", {}))


def check_workers(client, address: str, grader_hash: str) -> int:
    """Wait for a worker, make sure every worker grades with this grader; how many there are."""
    from grader.batch import grader_fingerprint

    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        raise BatchError("batch_cluster_no_workers", address=address, seconds=WORKERS_TIMEOUT) from None
    for theirs in client.run(grader_fingerprint).values():
        if theirs != grader_hash:
            raise BatchError("batch_cluster_other_grader", theirs=theirs, ours=grader_hash)
    return worker_count(client)


def _read_staged(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def _warm_grader(timeout: float | None):
    from grader.batch.worker import WarmGrader

    key = f"timeout={timeout}"
    if _warm.get("key") != key or not _warm["grader"].judge.thread.is_alive():
        if "grader" in _warm:
            _warm.pop("grader").close()
        home = tempfile.mkdtemp(prefix="descent-dask-")
        os.chmod(home, 0o700)
        _warm.update(key=key, home=home, grader=WarmGrader(timeout, None, [home]))
    return _warm["grader"], Path(_warm["home"])


def grade_files(student: str, files: dict[str, bytes], lang: str, timeout: float | None, grader_hash: str) -> dict[str, Any]:
    """On a Dask worker: grade one staged submission (`{file name: content}`) as a local batch worker does."""
    from grader.batch import grader_fingerprint
    from grader.batch.submissions import MODULE_NAME

    own = grader_fingerprint()
    if own != grader_hash:
        return {"error": f"this worker's grader ({own}) is not the coordinator's ({grader_hash}): install the same course on every worker"}
    with _grader_lock:  # one submission at a time per worker process, whatever its thread count
        grader, home = _warm_grader(timeout)
        folder = Path(tempfile.mkdtemp(prefix="submission-", dir=home))
        try:
            for name, data in files.items():
                if MODULE_NAME.match(name) and len(data) <= MAX_STAGED_BYTES:
                    (folder / name).write_bytes(data)
            reply = grader.grade(folder, lang)
        finally:
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
    reply["worker"] = os.environ.get("DASK_WORKER_NAME", "") or str(os.getpid())
    return reply


def grade_jobs(client, jobs: list, lang: str, timeout: float | None, done: Callable[[Any, dict], None], unsandboxed: bool, grader_hash: str) -> None:
    """Grade `jobs` (`grader.batch._Job`) on the cluster; `done(job, reply)` here, as each finishes.

    `unsandboxed` is the coordinator's to allow: a worker grades with its own
    runner, and one that cannot sandbox says so in its reply's notes.
    """
    from distributed import as_completed

    futures = {}
    for job in jobs:
        files = _read_staged(job.folder)
        future = client.submit(
            grade_files, job.submission.student, files, lang, timeout, grader_hash,
            key=f"descent-grade-{job.files_hash[:16]}-{job.submission.student}", pure=False, retries=RETRIES,
        )  # fmt: skip
        futures[future] = job
    with client.as_current():  # as_completed asks for the current client
        for future in as_completed(list(futures)):
            job = futures.pop(future)
            try:
                reply = future.result()
            except Exception as error:  # noqa: BLE001 - that student's error row, the others go on
                reply = {"error": f"{type(error).__name__}: {error}"[:2000]}
            done(job, reply)
            future.release()
