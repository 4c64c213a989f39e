"""Containment of a task's process: its folder, its limits, its user.

Without Docker, with what a POSIX kernel gives:
- a fresh working folder holding only a copy of the submission's files;
- resource limits: address space, file size, number of processes, no core dumps;
- when the grader runs as root (CI, Gradescope): an unprivileged user of its
  own per worker slot, which cannot read the private paths (solutions, the
  checks, git history), signal the grader or write its files, and whose every
  leftover process is killed when the task ends.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import resource
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

GIB = 1 << 30
MIB = 1 << 20
SANDBOX_UID_BASE = int(os.environ.get("DESCENT_SANDBOX_UID_BASE", "64000"))
SUBMISSION_BYTES_LIMIT = 16 * MIB


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0
    memory_bytes: int = 2 * GIB  # on top of what the warm grading process already maps
    file_bytes: int = 16 * MIB  # largest file the task may write, its output included
    processes: int = 64  # processes of the task's user at once (as root)
    output_bytes: int = 1 * MIB  # printed output kept before the task counts as flooding


def is_root() -> bool:
    return os.geteuid() == 0


UID_RANGE = 4096
LOCK_DIR = Path("/run/descent-grader")


class UserReservation:
    """Task users that no other grading run on this machine uses at the same time.

    Each user id is held by an exclusive `flock` on a file in a root-only
    folder; the lock ends with the process, so a killed run frees its users.
    Anything a crashed run left running under a user is killed on reservation.
    """

    def __init__(self, count: int) -> None:
        LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
        if LOCK_DIR.is_symlink() or LOCK_DIR.stat().st_uid != 0:
            raise RuntimeError(f"{LOCK_DIR} must be a folder owned by root")
        self.uids: list[int] = []
        self._locks: list[int] = []
        owners = {owner for _, _, owner in _processes()}
        for uid in range(SANDBOX_UID_BASE, SANDBOX_UID_BASE + UID_RANGE):
            descriptor = os.open(LOCK_DIR / f"{uid}.lock", os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            if uid in owners:
                kill_user_processes(uid)  # left over from a grading run that was killed
            self.uids.append(uid)
            self._locks.append(descriptor)
            if len(self.uids) == count:
                return
        self.release()
        raise RuntimeError("no free sandbox user ids")

    def release(self) -> None:
        for descriptor in self._locks:
            os.close(descriptor)
        self._locks.clear()


def protect_private_paths(paths: list[Path]) -> None:
    """As root: make the private folders readable by root alone (children run as others)."""
    if not is_root():
        return
    for path in paths:
        if path.exists():
            os.chmod(path, 0o700)


def prepare_workdir(submission_files: list[Path], workdir: Path, uid: int | None) -> None:
    """A clean folder with a copy of the submission's files, owned by the task's user."""
    workdir.mkdir(mode=0o700)
    for source in submission_files:
        shutil.copyfile(source, workdir / source.name)
    if uid is not None:
        for path in [workdir, *workdir.iterdir()]:
            os.chown(path, uid, uid)


def submission_files(folder: Path) -> list[Path]:
    """The regular files directly in the submission folder, up to a size budget."""
    files, total = [], 0
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            if total > SUBMISSION_BYTES_LIMIT:
                break
            files.append(path)
    return files


def _mapped_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _user_process_count(uid: int) -> int:
    """Threads of `uid`, as RLIMIT_NPROC counts them."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def enter(limits: Limits, workdir: Path, uid: int | None) -> None:
    """In the child, before any student code: move in, cap resources, drop privileges."""
    os.chdir(workdir)
    os.environ.update(HOME=str(workdir), TMPDIR=str(workdir))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing
    address_space = _mapped_bytes() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if uid is None:
        # Without a user of its own the count includes the student's other processes.
        processes = _user_process_count(os.getuid()) + limits.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    else:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    set_parent_death_signal()  # after setuid, which clears it


PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def set_parent_death_signal() -> None:
    """Die with the parent: a killed grader leaves no task running."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def become_subreaper() -> None:
    """Orphans of task processes become this process's children, so they can be found and reaped."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, uid) of every process."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            uid = entry.stat().st_uid
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.append((int(entry.name), int(fields[1]), uid))
    return found


def clean_up(uid: int | None, keep: set[int], patience: float = 2.0) -> None:
    """Kill and reap what a finished task left behind.

    Strays are processes of the task's user (as root) and orphans that were
    re-parented to this process (any user), except the live task children in `keep`.
    """
    me = os.getpid()
    deadline = time.monotonic() + patience
    while True:
        strays = [
            (pid, parent)
            for pid, parent, owner in _processes()
            if (parent == me and pid not in keep) or (uid is not None and owner == uid)
        ]
        if not strays or time.monotonic() > deadline:
            return
        if uid is not None:
            kill_user_processes(uid)
        for pid, parent in strays:
            if parent == me:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, os.WNOHANG)
                except (ProcessLookupError, ChildProcessError, PermissionError):
                    pass
        time.sleep(0.005)


def kill_user_processes(uid: int) -> None:
    """As root: kill every process of `uid`, wherever it went (new sessions included)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)  # every process this user may signal: its own
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
