"""Containment of a task's process on Linux: what it can see, touch and use.

Only the worker (`grader.worker`) imports this module, and only on Linux.
Two ways to contain a task, the strongest first:

`namespaces` (as root, or as an ordinary user where unprivileged user
namespaces are allowed). The worker builds once, in a mount namespace of its
own, a read-only *view* of the machine: the system folders (`/usr`, `/etc`,
...), the interpreter and every folder on its import path, nothing else.
Everything private is absent from it: the course repository (solutions, checks,
git history), the grader's own package, the gradebook, other submissions,
home folders. Each task then gets fresh namespaces (mount, PID, IPC, network,
UTS): it is process 1 of its own PID namespace, so it can signal and trace
nothing outside, and everything it starts dies with it; it sees that view with
an empty, size-capped `/task` (its files), `/tmp` and `/dev/shm`, which vanish
with it; no network; no SysV IPC of anyone else. As root it then becomes a user
of its own per worker slot; as an ordinary user it drops every capability.
(A task process may run several tasks of one submission's module in turn:
`reset_task_space` empties all of this between them.)

`users` (root where namespaces are refused, e.g. a container's default
seccomp profile): a user of its own per worker slot, which cannot write the
grader's files or signal it; a folder of its own as working folder and
`TMPDIR`; its leftover processes, files in the shared temporary folders and
SysV IPC objects are removed after it. It can read what the machine lets any
user read.

Both add resource limits: CPU seconds, address space, file size, processes,
no core dumps; and make the task the out-of-memory killer's first choice.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from grader.cleanup import remove_tree
from grader.snapshot import write_files

GIB = 1 << 30
MIB = 1 << 20
UID_RANGE = 4096
LOCK_DIR = Path("/run/descent-grader")

NAMESPACES, USERS = "namespaces", "users"

_libc = ctypes.CDLL(None, use_errno=True)

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_MOVE = 8192
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 36, 38, 47, 4
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}
SYS_CAPSET = {"x86_64": 126, "aarch64": 91, "riscv64": 91, "ppc64le": 184, "s390x": 185}
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
DEVICES = ("null", "zero", "full", "random", "urandom")
SCRATCH_FOLDERS = ("/task", "/tmp", "/dev", "/proc")  # each task's own, never a view of the machine's
READ_ONLY = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = 10.0  # CPU time of the task's process: a busy machine does not change it
    wall_seconds: float = 40.0  # a generous bound on top, for a task that sleeps or waits
    memory_bytes: int = 2 * GIB  # address space on top of what the warm worker already maps
    file_bytes: int = 16 * MIB  # largest file the task may write, its printed output included
    processes: int = 64  # processes (threads) the task may add
    output_bytes: int = 1 * MIB  # printed output kept before the task counts as flooding
    scratch_bytes: int = 64 * MIB  # each of /task and /tmp, in namespaces mode


def is_root() -> bool:
    return os.geteuid() == 0


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _prctl(option: int, value: int = 0) -> int:
    return _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def set_parent_death_signal() -> None:
    """Die with the parent process: a killed grader leaves nothing running."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def become_subreaper() -> None:
    """Orphans of task processes become this process's children, so they can be found and reaped."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)


def forbid_tracing() -> None:
    """Processes of the same user may not trace this one or read its memory."""
    _prctl(PR_SET_DUMPABLE, 0)


def allow_tracing() -> None:
    """Undo `forbid_tracing` in a task's process: its /proc files are then its own to read."""
    _prctl(PR_SET_DUMPABLE, 1)


# --- the read-only view ------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What tasks see: folders shown read-only, folders hidden inside them."""

    shown: tuple[str, ...]
    hidden: tuple[str, ...]

    @property
    def in_tmp(self) -> tuple[str, ...]:
        """Shown folders inside `/tmp` (an interpreter in a temporary folder): each task's own
        `/tmp` shows them too, in place."""
        return tuple(path for path in self.shown if _inside(path, "/tmp") and path != "/tmp")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def default_view(private: list[str], import_path: list[str] = ()) -> View:
    """The system, the interpreter, its import path and the tasks' `import_path`; `private` paths never appear.

    A folder the interpreter needs is shown even inside a private one (a
    virtual environment inside the course repository); a private folder inside
    a shown one (the grader's own package inside `site-packages`) is hidden
    under an empty, read-only file system.
    """
    private = sorted({os.path.realpath(path) for path in private if path})
    wanted = [*SYSTEM_FOLDERS, sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix]
    wanted += [os.path.dirname(os.path.realpath(sys.executable)), *(entry for entry in (*sys.path, *import_path) if entry)]
    shown: list[str] = []
    for entry in wanted:
        real = os.path.realpath(entry)
        if any(_inside(folder, real) for folder in SCRATCH_FOLDERS):
            continue  # `/tmp` itself on the import path, say: a task's scratch folders are its own
        if os.path.exists(real) and real not in private:
            shown.append(real)
    # A folder inside another shown one comes with it.
    shown = sorted(set(shown), key=len)
    kept = [path for index, path in enumerate(shown) if not any(_inside(path, other) for other in shown[:index])]
    hidden = [path for path in private if any(_inside(path, folder) and path != folder for folder in kept)]
    return View(tuple(kept), tuple(hidden))


def build_view(view: View, skeleton: Path) -> None:
    """Mount the view at `skeleton`, in this process's own mount namespace (made here)."""
    user = not is_root()
    uid, gid = os.getuid(), os.getgid()
    _unshare(CLONE_NEWNS | (CLONE_NEWUSER if user else 0))
    if user:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing mounted here reaches the machine
    root = str(skeleton)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=755")
    for folder in SYSTEM_FOLDERS:
        if os.path.islink(folder):
            os.symlink(os.readlink(folder), root + folder)
    for folder in view.shown:
        target = root + folder
        _make_folders(os.path.dirname(target) if not os.path.isdir(folder) else target, root)
        if not os.path.isdir(folder):
            Path(target).touch()
        _mount(folder, target, None, MS_BIND | MS_REC)
        _mount(None, target, None, READ_ONLY)
    for folder in view.hidden:
        _mount("tmpfs", root + folder, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=755")
    for folder in ("task", "tmp", "proc", "dev", ".old"):
        _make_folders(f"{root}/{folder}", root)
    for device in DEVICES:
        Path(f"{root}/dev/{device}").touch()
        _mount(f"/dev/{device}", f"{root}/dev/{device}", None, MS_BIND)
    _make_folders(f"{root}/dev/shm", root)
    _mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _make_folders(path: str, root: str) -> None:
    """`mkdir -p` inside the view, every folder passable by every task user (umask aside)."""
    missing = []
    while not os.path.isdir(path) and path.startswith(root):
        missing.append(path)
        path = os.path.dirname(path)
    for folder in reversed(missing):
        os.mkdir(folder)
        os.chmod(folder, 0o755)


def _pivot_into(root: str) -> None:
    number = SYS_PIVOT_ROOT.get(platform.machine())
    os.chdir(root)
    if number is not None:
        _check(_libc.syscall(ctypes.c_long(number), b".", b".old"), "pivot_root")
        os.chroot(".")
        _check(_libc.umount2(b"/.old", ctypes.c_int(MNT_DETACH)), "umount the old root")
    else:  # pragma: no cover - an architecture without a known pivot_root number
        _mount(root, "/", None, 8192)  # MS_MOVE
        os.chroot(".")
    os.chdir("/")


def _drop_capabilities() -> None:
    """Give up every capability in the task's user namespace, for good."""
    for capability in range(64):
        if _prctl(PR_CAPBSET_DROP, capability) != 0 and ctypes.get_errno() == errno.EINVAL:
            break
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    number = SYS_CAPSET.get(platform.machine())
    if number is None:  # pragma: no cover
        raise OSError(errno.ENOSYS, "capset is unknown on this architecture")
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: none, twice
    _check(_libc.syscall(ctypes.c_long(number), header, data), "capset")


def mapped_bytes() -> int:
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


def _limit(limits: Limits, uid: int | None) -> None:
    address_space = mapped_bytes() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = max(1, int(limits.cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    processes = limits.processes + (_user_process_count(os.getuid()) if uid is None else 0)
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long write fails instead of killing
    try:
        Path("/proc/self/oom_score_adj").write_text("1000")  # a memory hog goes first, not the grader
    except OSError:
        pass


def _drop_to(uid: int) -> None:
    for capability in range(64):
        if _prctl(PR_CAPBSET_DROP, capability) != 0 and ctypes.get_errno() == errno.EINVAL:
            break
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def _copy_files(files: list[tuple[str, bytes]], folder: str, uid: int | None) -> None:
    write_files(files, folder)
    if uid is not None:
        for name, _ in files:
            os.chown(os.path.join(folder, name), uid, uid)


class PidNamespaceForks:
    """Forks whose child is process 1 of a fresh PID namespace, made by this process itself.

    `unshare(CLONE_NEWPID)` moves only the caller's future children, and only
    once: so before each fork this process unshares, and after it goes back
    (`setns`) to its own namespace for the next. That takes the right to enter
    its own PID namespace, which root has, and an ordinary user (whose user
    namespace does not own it) has not; there `available` is False, and
    `enter_namespaces` forks once more, with a process in between.
    """

    def __init__(self) -> None:
        self.own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
        # Entering the namespace one is already in changes nothing, and takes the same right.
        self.available = self._back() == 0

    def fork(self) -> int:
        """`os.fork()`; the child is process 1 of a PID namespace of its own."""
        _unshare(CLONE_NEWPID)
        try:
            pid = os.fork()
        except BaseException:
            _check(self._back(), "setns")
            raise
        if pid:
            _check(self._back(), "setns")
        return pid

    def _back(self) -> int:
        """Make this process's next children its own PID namespace's again (0, or -1 and errno)."""
        return _libc.setns(ctypes.c_int(self.own), ctypes.c_int(CLONE_NEWPID))


def enter_namespaces(
    skeleton: str, limits: Limits, files: list[tuple[str, bytes]], uid: int | None, in_tmp: tuple[str, ...] = ()
) -> None:
    """In a fork of the worker: become process 1 of fresh namespaces inside the view
    (`in_tmp`: the view's folders inside `/tmp`, see `View.in_tmp`).

    A fork by `PidNamespaceForks` already is process 1 of its own PID namespace
    (no other fork of the worker is). Otherwise this process makes one and forks
    the task's process into it (a grandchild of the worker): this one waits for
    it, exits with its status, and never returns.
    """
    if os.getpid() == 1:
        _unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS)
    else:
        _unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS)
        task = os.fork()
        if task:
            _relay_exit(task)
    set_parent_death_signal()
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    size = limits.scratch_bytes
    _mount("tmpfs", f"{skeleton}/task", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},nr_inodes=4096,mode=700{owner}")
    _mount_tmp(skeleton, f"size={size},nr_inodes=4096,mode=1777", in_tmp)
    os.mkdir(f"{skeleton}/tmp/.shm", 0o1777)
    os.chmod(f"{skeleton}/tmp/.shm", 0o1777)
    _mount(f"{skeleton}/tmp/.shm", f"{skeleton}/dev/shm", None, MS_BIND)
    _copy_files(files, f"{skeleton}/task", uid)
    _mount("proc", f"{skeleton}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _limit(limits, uid)
    _pivot_into(skeleton)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if uid is None:
        _drop_capabilities()
    else:
        _drop_to(uid)
        set_parent_death_signal()  # setuid clears it
        allow_tracing()  # and makes the process undumpable: its own /proc files would be root's
    os.chdir("/task")


def _mount_tmp(skeleton: str, options: str, in_tmp: tuple[str, ...]) -> None:
    """The task's own, empty `/tmp`, with the view's folders that lie inside `/tmp` in place.

    Each top folder leading to them (`/tmp/tmp.X` of `/tmp/tmp.X/clone/.venv`) is a read-only
    mount of its own, like the rest of the view: the task can neither write into it nor move
    or remove it."""
    if not in_tmp:
        _mount("tmpfs", f"{skeleton}/tmp", "tmpfs", MS_NOSUID | MS_NODEV, options)
        return
    staging = f"{skeleton}/.old"  # empty until the task pivots into the view
    _mount("tmpfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for top in tmp_tops(in_tmp):
        inner = staging + top.removeprefix("/tmp")
        os.mkdir(inner, 0o755)
        if top not in in_tmp:
            _mount("tmpfs", inner, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,nr_inodes=256,mode=755")
        for folder in in_tmp:
            if _inside(folder, top):
                source, target = skeleton + folder, staging + folder.removeprefix("/tmp")
                _make_folders(target if os.path.isdir(source) else os.path.dirname(target), staging)
                if not os.path.isdir(source):
                    Path(target).touch()
                _mount(source, target, None, MS_BIND | MS_REC)  # a bind keeps its source's read-only flag
        if top not in in_tmp:
            _mount(None, inner, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _mount(staging, f"{skeleton}/tmp", None, MS_MOVE)


def tmp_tops(in_tmp: tuple[str, ...]) -> tuple[str, ...]:
    """The entries of `/tmp` that lead to the view's folders in it (see `_mount_tmp`)."""
    return tuple(sorted({"/tmp/" + folder.split("/")[2] for folder in in_tmp}))


def end_other_processes(patience: float = 1.0) -> bool:
    """As process 1 of a task's PID namespace: end every other process in it and reap them.

    False if this is not process 1 of a namespace of its own (then nothing is
    signalled: outside one, `kill(-1)` would reach every process of the user),
    or if something outlived `patience`.
    """
    if os.getpid() != 1:
        return False
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + patience
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid == 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.001)


def reset_task_space(files: list[tuple[str, bytes]], uid: int | None, in_tmp: tuple[str, ...] = ()) -> bool:
    """Between two jobs of one task process (namespaces): its namespace as the next job should
    find it. No other process, `/task` holding the submission's files only, `/tmp` and
    `/dev/shm` empty (but for the view's folders in `/tmp`, still mounted in place), no SysV
    IPC object. False if any of it cannot be done."""
    if not end_other_processes():
        return False
    try:
        os.chmod("/task", 0o700)
        shm = os.stat("/dev/shm")
        tops = tmp_tops(in_tmp)
        kept = {"/tmp/.shm", *tops}
        for folder in ("/task", "/tmp", "/dev/shm"):
            for entry in list(os.scandir(folder)):
                if entry.path not in kept:
                    remove_tree(entry.path)
            if {os.path.join(folder, name) for name in os.listdir(folder)} - kept:
                return False
        if not all(map(os.path.ismount, tops)):
            return False
        kept_shm = os.stat("/tmp/.shm")
        if (kept_shm.st_dev, kept_shm.st_ino) != (shm.st_dev, shm.st_ino) or os.listdir("/dev/shm"):
            return False
        _copy_files(files, "/task", uid)
        _remove_ipc(None)
    except OSError:
        return False
    return True


def _relay_exit(task: int) -> None:
    """The process between the worker and the task: wait, then exit as the task did."""
    try:
        os.closerange(0, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
        while True:
            try:
                _, status = os.waitpid(task, 0)
                break
            except InterruptedError:
                continue
        code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    except BaseException:  # noqa: BLE001
        code = 70
    os._exit(code)


# --- users: root without namespaces ------------------------------------------------


class UserReservation:
    """Task users that no other grading run on this machine uses at the same time.

    Each user id is held by an exclusive `flock` on a file in a root-only
    folder; the lock ends with the process, so a killed run frees its users.
    The lock files are opened close-on-exec and task processes close every
    descriptor, so no task can release them. Anything a crashed run left
    running under a user is killed on reservation.
    """

    def __init__(self, count: int, base: int) -> None:
        import fcntl

        LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
        if LOCK_DIR.is_symlink() or LOCK_DIR.stat().st_uid != 0:
            raise RuntimeError(f"{LOCK_DIR} must be a folder owned by root")
        self.uids: list[int] = []
        self._locks: list[int] = []
        owners = {owner for _, _, owner in _processes()}
        for uid in range(base, base + UID_RANGE):
            descriptor = os.open(LOCK_DIR / f"{uid}.lock", os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
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


TASK_FOLDERS = Path("/run/descent-tasks")


def task_folder_base() -> str:
    """As root without namespaces: a folder for task folders that every task user can pass through."""
    import tempfile

    TASK_FOLDERS.mkdir(mode=0o711, exist_ok=True)
    if TASK_FOLDERS.is_symlink() or TASK_FOLDERS.stat().st_uid != 0:
        raise RuntimeError(f"{TASK_FOLDERS} must be a folder owned by root")
    os.chmod(TASK_FOLDERS, 0o711)
    base = tempfile.mkdtemp(prefix="worker-", dir=TASK_FOLDERS)
    os.chmod(base, 0o711)  # task users may enter their own folder, not list the others
    return base


def enter_users(workdir: str, limits: Limits, files: list[tuple[str, bytes]], uid: int, import_path: list[str]) -> list[str]:
    """In a fork of the worker, as root: a folder and a user of the task's own.

    Returns the import path as the task user can use it: a folder the user could
    not reach (an interpreter under /root) is opened here, as root, and reached
    through its descriptor (`/proc/self/fd/N`), so every module the student's
    interpreter can import, the task can import too.
    """
    opened = {}
    for entry in import_path:
        try:
            opened[entry] = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            continue
    _copy_files(files, workdir, uid)
    os.chdir(workdir)
    _limit(limits, uid)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _drop_to(uid)
    set_parent_death_signal()  # setuid clears it
    allow_tracing()  # and makes the process undumpable: its own /proc files would be root's
    usable = []
    for entry in import_path:
        if entry in opened and not os.access(entry, os.R_OK | os.X_OK):
            usable.append(f"/proc/self/fd/{opened[entry]}")
        else:
            if entry in opened:
                os.close(opened[entry])
            usable.append(entry)
    return usable


def enter_processes(workdir: str, limits: Limits, files: list[tuple[str, bytes]]) -> None:
    """In a fork of the worker, as an ordinary user without namespaces: a folder and limits only."""
    _copy_files(files, workdir, None)
    os.chdir(workdir)
    _limit(limits, None)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    try:
        _drop_capabilities()  # any a half-built user namespace left this worker
    except OSError:
        pass


def clean_up_orphans(keep: set[int], patience: float = 2.0) -> None:
    """Kill and reap processes that a finished task left behind and that came to this subreaper."""
    me = os.getpid()
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        strays = [pid for pid, parent, _ in _processes() if parent == me and pid not in keep]
        if not strays:
            return
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, os.WNOHANG)
            except (ProcessLookupError, ChildProcessError, PermissionError):
                pass
        time.sleep(0.005)


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, uid) of every process."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            uid = entry.stat().st_uid
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as status:
                fields = status.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.append((int(entry.name), int(fields[1]), uid))
    return found


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


def clean_up_user(uid: int, keep: set[int], patience: float = 2.0) -> None:
    """After a task in `users` mode: its processes, shared temporary files and SysV IPC."""
    me = os.getpid()
    deadline = time.monotonic() + patience
    while True:
        strays = [(pid, parent) for pid, parent, owner in _processes() if (parent == me and pid not in keep) or owner == uid]
        if not strays or time.monotonic() > deadline:
            break
        kill_user_processes(uid)
        for pid, parent in strays:
            if parent == me:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        time.sleep(0.005)
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid == uid:
                    remove_tree(entry.path)
            except OSError:
                continue
    _remove_ipc(uid)


IPC_RMID = 0
_IPC_TABLES = (("shm", "shmctl"), ("sem", "semctl"), ("msg", "msgctl"))


def _remove_ipc(uid: int | None) -> None:
    """SysV shared memory, semaphores and message queues owned by `uid` (by anyone: None)."""
    for table, call in _IPC_TABLES:
        try:
            lines = Path(f"/proc/sysvipc/{table}").read_text().splitlines()
        except OSError:
            continue
        header = lines[0].split() if lines else []
        if len(header) < 2 or "uid" not in header:
            continue
        for line in lines[1:]:
            fields = line.split()
            if len(fields) == len(header) and (uid is None or int(fields[header.index("uid")]) == uid):
                identifier = int(fields[1])  # shmid, semid or msqid
                if call == "semctl":
                    _libc.semctl(ctypes.c_int(identifier), ctypes.c_int(0), ctypes.c_int(IPC_RMID))
                else:
                    getattr(_libc, call)(ctypes.c_int(identifier), ctypes.c_int(IPC_RMID), None)
