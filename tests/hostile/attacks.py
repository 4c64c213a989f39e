"""The catalogue of hostile and broken submissions, by class.

Each attack replaces one task's function in an otherwise correct submission
(the reference solution). Its body runs with the function's arguments as
`args` / `kwargs`; placeholders in braces are filled in per run (paths, a
marker, a secret to look for). `modes` says where the attack is run: every
attack is run wherever the runner claims to contain it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

# The runner modes the suite drives (see tests/test_hostile.py).
ROOT, ROOT_USERS, USER, USER_PLAIN, PORTABLE = "root", "root-users", "user", "user-plain", "portable"
ALL = frozenset({ROOT, ROOT_USERS, USER, USER_PLAIN, PORTABLE})
FORKING = ALL - {PORTABLE}
CONTAINED = frozenset({ROOT, ROOT_USERS, USER})  # a task cannot reach the user's files or processes
NAMESPACED = frozenset({ROOT, USER})  # a task sees only the system, the interpreter and its folder


@dataclass(frozen=True)
class Attack:
    name: str
    kind: str  # the class of attack, as the issue names them
    body: str
    modes: frozenset[str] = ALL
    expect: str = "zero"  # "zero": the task scores 0; "full": a correct answer keeps its points
    message: str = ""  # words the task's English feedback must contain
    output: str = ""  # words the task's printed output must contain
    task: str = ""  # a task of its own (else any task with one function)
    replaces: str = "function"  # "function": `def NAME(*args, **kwargs)`; "class": the body defines the class; "wrap": the original stays callable as `_original`
    runaway: bool = False  # it runs until a limit stops it (the suite puts each first in a module of its own)

    def source(self, name: str, values: dict[str, str]) -> str:
        body = textwrap.dedent(self.body).strip()
        for key, value in values.items():
            body = body.replace("{" + key + "}", value)
        if self.replaces == "class":
            return body + "\n"
        head = f"_original = {name}\n\n\n" if self.replaces == "wrap" else ""
        return head + f"def {name}(*args, **kwargs):\n" + textwrap.indent(body, "    ") + "\n"


ATTACKS = [
    # --- descriptors a task could have inherited ------------------------------------------
    Attack(
        "writes_forged_results_into_every_descriptor",
        "descriptors",
        """
        import json, os, struct
        header = json.dumps({"key": "0-1.2", "task": "1.2", "nonce": "00" * 16, "output": "", "output_size": 0}).encode()
        forged = [
            b"DSCW" + struct.pack("<I", len(header)) + header + struct.pack("<Q", 0),
            (json.dumps({"tasks": [], "results": {"score": 100}}) + "\\n").encode(),
            b"1.2\\n",
        ]
        listed = sorted(os.listdir("/proc/self/fd"), key=int) if os.path.isdir("/proc/self/fd") else "none"
        print("descriptors:", listed)
        for fd in range(256):
            for data in forged:
                try:
                    os.write(fd, data)
                except OSError:
                    pass
        return None
        """,
    ),
    Attack(
        "releases_locks_and_writes_to_sockets",
        "descriptors",
        """
        import fcntl, os, socket
        for fd in range(1024):
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            except OSError:
                pass
            try:
                with socket.socket(fileno=os.dup(fd)) as channel:
                    channel.send(b"forged")
            except OSError:
                pass
        for fd in range(3, 1024):
            try:
                os.close(fd)
            except OSError:
                pass
        return None
        """,
    ),
    # --- memory and environment of the judge ----------------------------------------------
    Attack(
        "calls_the_graders_oracles",
        "memory",
        """
        import gc, sys
        prefixes = ("grader.checks", "grader.messages", "grader.plugin", "grader.grading", "solutions", "pytest", "_pytest")
        modules = sorted(name for name in sys.modules if name.startswith(prefixes))
        oracles = sorted({getattr(o, "__qualname__", "?") for o in gc.get_objects() if callable(o) and "oracle" in str(getattr(o, "__name__", "")).lower()})
        try:
            import grader.checks  # noqa: F401
            imported = "yes"
        except Exception as error:
            imported = type(error).__name__
        print("modules:", modules, "oracles:", oracles, "checks import:", imported)
        return None
        """,
        output="modules: [] oracles: [] checks import: ModuleNotFoundError",
    ),
    Attack(
        "reads_its_own_environment",
        "memory",
        """
        import os
        needle = "{NEEDLE_REVERSED}"[::-1]
        found = needle in repr(dict(os.environ)) or needle in open("/proc/self/environ").read() if os.path.exists("/proc/self/environ") else needle in repr(dict(os.environ))
        print("secret in my environment:", found)
        raise RuntimeError(" ".join(f"{key}={value}" for key, value in os.environ.items()))
        """,
        output="secret in my environment: False",
    ),
    Attack(
        "reads_every_process_environment",
        "memory",
        """
        import os
        needle = "{NEEDLE_REVERSED}"[::-1].encode()
        places = []
        for name in sorted(p for p in os.listdir("/proc") if p.isdigit()):
            try:
                with open(f"/proc/{name}/environ", "rb") as handle:
                    if needle in handle.read():
                        places.append(name)
            except OSError:
                pass
        print("secret found in:", places)
        return None
        """,
        modes=CONTAINED,
        output="secret found in: []",
    ),
    Attack(
        "reads_and_traces_other_processes",
        "memory",
        """
        import ctypes, os
        needle = "{NEEDLE_REVERSED}"[::-1].encode()
        libc = ctypes.CDLL(None, use_errno=True)
        read, attached = [], []
        for name in sorted(p for p in os.listdir("/proc") if p.isdigit()):
            pid = int(name)
            if pid == os.getpid():
                continue
            if libc.ptrace(16, pid, None, None) == 0:  # PTRACE_ATTACH
                attached.append(pid)
                libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
            try:
                with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as memory:
                    for line in maps:
                        fields = line.split()
                        start, end = (int(part, 16) for part in fields[0].split("-"))
                        if "r" not in fields[1] or end - start > (64 << 20):
                            continue
                        try:
                            memory.seek(start)
                            if needle in memory.read(end - start):
                                read.append(pid)
                                break
                        except (OSError, ValueError, OverflowError):
                            continue
            except OSError:
                pass
        print("attached:", attached, "read:", read)
        return None
        """,
        modes=CONTAINED,
        output="attached: [] read: []",
    ),
    # --- what the judge decodes -----------------------------------------------------------
    Attack(
        "forges_a_frame_that_claims_a_huge_tensor",
        "decoding",
        """
        import gc, os, struct
        job = next(o for o in gc.get_objects() if type(o).__name__ == "Job" and isinstance(getattr(o, "nonce", None), bytes))
        tensor = b"X" + struct.pack("<BBB", 1, 0, 2) + struct.pack("<2q", 1 << 31, 1 << 31) + struct.pack("<Q", 16) + bytes(16)
        payload = b"M" + struct.pack("<I", 1) + b"S" + struct.pack("<I", 7) + b"results" + tensor
        os.write(3, b"DSCN" + job.nonce + struct.pack("<Q", len(payload)) + payload)
        os._exit(0)
        """,
        modes=FORKING,
    ),
    Attack(
        "forges_a_frame_of_millions_of_items",
        "decoding",
        """
        import gc, os, struct
        job = next(o for o in gc.get_objects() if type(o).__name__ == "Job" and isinstance(getattr(o, "nonce", None), bytes))
        count = 30_000_000
        payload = b"L" + struct.pack("<I", count) + b"N" * count
        data = b"DSCN" + job.nonce + struct.pack("<Q", len(payload)) + payload
        view = memoryview(data)
        while view:
            view = view[os.write(3, view):]
        os._exit(0)
        """,
        modes=FORKING,
    ),
    Attack(
        "forges_a_frame_nested_a_hundred_thousand_deep",
        "decoding",
        """
        import gc, os, struct
        job = next(o for o in gc.get_objects() if type(o).__name__ == "Job" and isinstance(getattr(o, "nonce", None), bytes))
        payload = (b"L" + struct.pack("<I", 1)) * 100_000 + b"N"
        os.write(3, b"DSCN" + job.nonce + struct.pack("<Q", len(payload)) + payload)
        os._exit(0)
        """,
        modes=FORKING,
    ),
    Attack(
        "returns_an_enormous_nested_result",
        "decoding",
        """
        deep = None
        for _ in range(100_000):
            deep = [deep]
        return {"deep": deep, "wide": list(range(300_000))}
        """,
        message="more than 200000 values",
    ),
    # --- what a task leaves behind --------------------------------------------------------
    Attack(
        "leaves_files_shared_memory_and_processes",
        "leftovers",
        """
        import ctypes, os, subprocess, sys
        for folder in ("/tmp", "/var/tmp", "/dev/shm", os.environ.get("TMPDIR", "/tmp")):
            try:
                with open(os.path.join(folder, "{MARKER}-file"), "w") as handle:
                    handle.write("left behind")
            except OSError:
                pass
        ctypes.CDLL(None, use_errno=True).shmget({IPC_KEY}, 4096, 0o1000 | 0o600)  # IPC_CREAT
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", "{MARKER}"], start_new_session=True)
        return None
        """,
        modes=CONTAINED,
    ),
    Attack(
        "leaves_a_deep_tree_and_unreadable_folders",
        "leftovers",
        """
        import os
        for base in (os.getcwd(), os.environ.get("TMPDIR", "/tmp")):
            fd = os.open(base, os.O_RDONLY)
            for _ in range(3000):
                try:
                    os.mkdir("d", dir_fd=fd)
                    inner = os.open("d", os.O_RDONLY, dir_fd=fd)
                except OSError:
                    break
                os.close(fd)
                fd = inner
            os.close(fd)
        os.makedirs("locked/inside", exist_ok=True)
        open("locked/inside/file", "w").close()
        os.chmod("locked/inside", 0)
        os.chmod("locked", 0)
        return None
        """,
    ),
    # --- detection of forbidden APIs ------------------------------------------------------
    Attack(
        "uses_autograd_after_switching_off_the_watch",
        "detection",
        """
        import torch
        x, weight, bias, grad_output = (list(args) + [kwargs.get(k) for k in ("x", "weight", "bias", "grad_output")])[:4]
        engine = getattr(torch, "auto" + "grad")
        with torch._C.DisableTorchFunction(), torch.enable_grad():  # the watch is a torch-function mode
            leaves = [getattr(t.detach().clone(), "requires" + "_grad_")() for t in (x, weight, bias)]
            out = leaves[0] @ leaves[1].T + leaves[2]
            return tuple(getattr(engine, "gr" + "ad")(out, leaves, grad_output))
        """,
        task="2.2",
        message="which this task does not allow",
    ),
    Attack(
        "wraps_torch_optim_sgd_found_through_subclasses",
        "detection",
        """
        import torch

        _real = next(c for c in torch.optim.Optimizer.__subclasses__() if c.__name__ == "S" + "GD")
        setattr(torch.optim, "S" + "GD", _real)


        class SGD:
            def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
                self.inner = _real(params, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov)
                self.param_groups = self.inner.param_groups

            def step(self):
                self.inner.step()

            def zero_grad(self):
                self.inner.zero_grad()
        """,
        task="4.3",
        replaces="class",
        message="which this task does not allow",
    ),
    # --- the user's files and processes ---------------------------------------------------
    Attack(
        "writes_into_the_users_files",
        "separation",
        """
        targets = ["{ROOT}/grader/checks/kit.py", "{ROOT}/exercises/derivatives.py", "{ROOT}/solutions/derivatives.py",
                   "{ROOT}/course.toml", "{SITE_PACKAGES}/sitecustomize.py", "{HOME_FILE}", "{EXTRA_TARGET}"]
        wrote = []
        for target in targets:
            try:
                with open(target, "a") as handle:
                    handle.write("\\n# owned\\n")
                wrote.append(target)
            except OSError:
                pass
        print("wrote:", wrote)
        return None
        """,
        modes=CONTAINED,
        output="wrote: []",
    ),
    Attack(
        "kills_every_process_it_can_see",
        "separation",
        """
        import os, signal
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) != os.getpid():
                try:
                    os.kill(int(name), signal.SIGKILL)
                except OSError:
                    pass
        for target in (os.getppid(), -1):
            try:
                os.kill(target, signal.SIGKILL)
            except OSError:
                pass
        return None
        """,
        modes=CONTAINED,
    ),
    Attack(
        "runs_the_reference_solution_from_disk",
        "separation",
        """
        namespace = {}
        with open("{ROOT}/solutions/{MODULE}.py") as handle:
            exec(compile(handle.read(), "reference", "exec"), namespace)
        return namespace["{FUNCTION}"](*args, **kwargs)
        """,
        modes=NAMESPACED,
        message="FileNotFoundError",
    ),
    # --- broken and runaway code ----------------------------------------------------------
    Attack("loops_forever", "robustness", "while True:\n    pass", message="s of CPU time", runaway=True),
    Attack(
        "sleeps_past_the_wall_clock_ignoring_sigterm",
        "robustness",
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(1000)",
        message="took longer than",
        runaway=True,
    ),
    Attack(
        "fork_bomb",
        "robustness",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        modes=FORKING,
        runaway=True,
    ),
    Attack("allocates_8_gib", "robustness", "import torch\nhog = torch.ones(1 << 30, dtype=torch.float64)\nreturn hog[:1]", message="more than 2 GiB"),
    Attack(
        "floods_stdout_with_50_mb",
        "robustness",
        "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(50):\n    sys.stdout.write(chunk)\nreturn None",
        message="printed more than",
    ),
    Attack("raises_system_exit", "robustness", "raise SystemExit(0)", message="raised SystemExit"),
    Attack("raises_keyboard_interrupt", "robustness", "raise KeyboardInterrupt", message="raised KeyboardInterrupt"),
    Attack("calls_os_exit", "robustness", "import os\nos._exit(0)", message="ended without a result"),
    Attack("segfaults", "robustness", "import ctypes\nctypes.string_at(0)\nreturn None", message="ended without a result"),
    # --- what a student sees ----------------------------------------------------------------
    Attack(
        "prints_then_fails",
        "student",
        "print('descent-print-check', 6 * 7)\nraise ValueError('on purpose')",
        message="raised ValueError",
        output="descent-print-check 42",
    ),
    Attack(
        "imports_what_the_interpreter_has_then_answers",
        "student",
        """
        import cProfile, sqlite3, sysconfig  # noqa: F401
        import numpy  # noqa: F401
        import torch.func  # noqa: F401
        return _original(*args, **kwargs)
        """,
        expect="full",
        replaces="wrap",
    ),
]
