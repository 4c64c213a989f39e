"""The code of the lesson pages, run: every ```python block, alone, with its real output shown under it.

A unit page's ```python blocks each run by themselves in a fresh Python
interpreter, as a student who pastes one would run it. A block that needs
earlier definitions gets them from the page's *set-up*: a python block inside
a collapsed admonition titled "Set-up" (`??? note "Set-up"`, in Chinese
`??? note "准备代码"`). The nearest set-up above a block is run first, in the
same interpreter; a set-up itself runs alone and must print nothing.

At build time `render` puts the output of each block under it as a
`text` block titled "Output" ("输出"), or at the top of the answer when the
block is followed by one (`??? success "Answer"`), so that a question's output
stays hidden until the answer is opened. Outputs are cached by the hash of the
code with its comments left out (the Chinese page's code differs from the
English only in its comments), in `site/block_outputs/` (committed), so that a
build runs only new or changed blocks. The block test (tests/test_code_blocks.py)
runs every block again, fresh, and compares.

Code that must not run (wrong on purpose) uses another fence: `pycon` or `text`.
A block whose output differs from run to run (a timing) says so with the
class `.varies`: ``` { .python .varies } ```; its output is shown but not compared.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import tokenize
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SITE = Path(__file__).resolve().parent
CACHE = SITE / "block_outputs"
SETUP_TITLES = {"en": "Set-up", "zh": "准备代码"}
OUTPUT_TITLES = {"en": "Output", "zh": "输出"}
ANSWER_TITLES = {"en": "Answer", "zh": "答案"}
TIMEOUT = 300  # seconds; the slowest block trains a small network

_FENCE_OPEN = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
_PYTHON_INFO = re.compile(r"^(python|\{\s*\.python(?P<classes>(\s+\.[\w-]+)*)\s*\})$")
_SETUP_HEADER = re.compile(r'^(?P<indent>[ ]*)\?\?\?\+? note "(?P<title>[^"]*)"\s*$')


class BlockError(RuntimeError):
    """A block of a page failed to run; the message names the page, the block's line and the error."""


@dataclass(frozen=True)
class Block:
    """A ```python block of a page: where it is, its code, and the set-up it runs after."""

    line: int  # 0-based index of the opening fence
    end: int  # index of the closing fence
    indent: str
    code: str
    setup: str  # "" when no set-up applies (or for a set-up itself)
    is_setup: bool
    varies: bool

    @property
    def program(self) -> str:
        return f"{self.setup}\n{self.code}" if self.setup else self.code


def blocks(markdown: str, lang: str) -> list[Block]:
    """The ```python blocks of a page, in order, each with the set-up that applies to it."""
    lines = markdown.splitlines()
    found: list[Block] = []
    setup = ""
    number = 0
    while number < len(lines):
        opening = _FENCE_OPEN.match(lines[number])
        if not opening:
            number += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        end = number + 1
        while end < len(lines) and not re.match(rf"^{indent}{fence[0]}{{{len(fence)},}}\s*$", lines[end]):
            end += 1
        python = _PYTHON_INFO.match(opening["info"])
        if python:
            code = "\n".join(line.removeprefix(indent) for line in lines[number + 1 : end]) + "\n"
            is_setup = _is_setup(lines, number, indent, lang)
            classes = (python["classes"] or "").split()
            found.append(
                Block(number, end, indent, code, "" if is_setup else setup, is_setup, ".varies" in classes)
            )
            if is_setup:
                setup = code
        number = end + 1
    return found


def _is_setup(lines: list[str], number: int, indent: str, lang: str) -> bool:
    """Whether the fence at `number` sits in a set-up admonition (after its text, if any)."""
    above = number - 1
    # Blank lines and the admonition's own text (indented as the fence) lie between.
    while above >= 0 and (not lines[above].strip() or lines[above].startswith(indent) and indent):
        above -= 1
    header = _SETUP_HEADER.match(lines[above]) if above >= 0 else None
    return bool(
        header and header["title"] == SETUP_TITLES[lang] and len(header["indent"]) + 4 == len(indent)
    )


def normalised(code: str) -> str:
    """`code` without its comments and trailing spaces: what decides its output."""
    lines = code.splitlines()
    try:
        comments = [
            token for token in tokenize.generate_tokens(io.StringIO(code).readline) if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        comments = []
    for token in reversed(comments):
        row, column = token.start
        lines[row - 1] = lines[row - 1][:column]
    return "\n".join(line.rstrip() for line in lines if line.strip()) + "\n"


def key(program: str) -> str:
    return hashlib.sha256(normalised(program).encode()).hexdigest()[:16]


def _environment() -> dict[str, str]:
    """A block's environment: reproducible hashing, UTF-8 output, no display, none of the project's path."""
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}
    environment.pop("PYTHONPATH", None)
    # Blocks run two at a time, one per core: a thread pool of their own in each would only spin on the
    # lessons' small tensors (four times the CPU, measured), and the outputs are the same.
    environment.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return environment


def run(program: str) -> tuple[int, str]:
    """Run `program` alone in a fresh interpreter in an empty folder: (exit status, stdout and stderr)."""
    with tempfile.TemporaryDirectory(prefix="descent-block-") as folder:
        path = Path(folder) / "block.py"
        path.write_text(program, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "block.py"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env={**_environment(), "PYTHONUNBUFFERED": "1"},
            timeout=TIMEOUT,
        )
    return result.returncode, result.stdout


# A fresh interpreter that has imported torch (and nothing of the caller's) forks one
# child per set-up: the child runs the set-up as __main__ in an empty folder with
# fresh globals, then forks one grandchild per block that uses it, which runs the
# block in those globals, in a copy of the folder, and prints what a fresh
# interpreter running set-up and block prints (the set-up's output, then the
# block's). A block without a set-up has an empty one. A block that forgets an
# import still fails (its globals hold only its set-up's names); the seconds of
# importing torch, and of each set-up (some train a network), are paid once
# instead of once per block. Set-ups run `parallel` at a time, their blocks one by one.
_FORK_SERVER = r"""
import json, os, random, shutil, signal, sys, tempfile, time, traceback, types
import torch

def run_in(module, code, output_path):
    # Run `code` as ./block.py in `module` (__main__), stdout and stderr going to `output_path`: its exit status.
    path = os.path.abspath("block.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(code)
    module.__file__ = path
    out = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
    status = 0
    try:
        exec(compile(code, path, "exec"), module.__dict__)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException as error:
        traceback.print_exception(type(error), error, error.__traceback__.tb_next)  # from the block's own frame
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return status

def wait(pid, deadline):
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)

def run_group(setup, codes, folder, timeout):
    # In a child of the server: the set-up, then each block in a grandchild. [[status, output], ...]
    os.chdir(folder)
    random.seed()
    module = types.ModuleType("__main__")
    sys.modules["__main__"], sys.argv, sys.path[0] = module, ["block.py"], folder
    setup_path = os.path.join(folder, ".setup-output")
    status = run_in(module, setup, setup_path)  # this process's output stays there: its blocks have their own
    with open(setup_path, encoding="utf-8", errors="replace") as handle:
        setup_output = handle.read()
    os.remove(setup_path)
    if status != 0:
        return [[status, setup_output] for _ in codes]
    results = []
    for number, code in enumerate(codes):
        own = tempfile.mkdtemp(prefix="descent-block-")
        shutil.copytree(folder, own, dirs_exist_ok=True)
        output_path = os.path.join(own, ".output")
        with open(output_path, "w", encoding="utf-8") as handle:
            handle.write(setup_output)
        pid = os.fork()
        if pid == 0:
            os.chdir(own)
            sys.path[0] = own
            random.seed()
            os._exit(run_in(module, code, output_path))
        status = wait(pid, time.monotonic() + timeout)
        with open(output_path, encoding="utf-8", errors="replace") as handle:
            results.append([status, handle.read()])
        shutil.rmtree(own, ignore_errors=True)
    return results

blocks = json.load(sys.stdin)
timeout, parallel = float(sys.argv[1]), int(sys.argv[2])
groups = {}
for index, (setup, code) in enumerate(blocks):
    groups.setdefault(setup or str(index), (setup, []))[1].append((index, code))
results, running, queue = {}, {}, list(groups.values())
while queue or running:
    while queue and len(running) < parallel:
        setup, members = queue.pop(0)
        folder = tempfile.mkdtemp(prefix="descent-setup-")
        result_path = os.path.join(folder, ".results")
        pid = os.fork()
        if pid == 0:
            try:
                found = run_group(setup, [code for _, code in members], folder, timeout)
            except BaseException:
                found = [[1, traceback.format_exc()] for _ in members]
            with open(result_path, "w", encoding="utf-8") as handle:
                json.dump(found, handle)
            os._exit(0)
        running[pid] = (members, folder, result_path, time.monotonic() + timeout * (1 + len(members)))
    pid, status = os.waitpid(-1, os.WNOHANG)
    if pid == 0:
        for child, (_, _, _, deadline) in running.items():
            if time.monotonic() > deadline:
                os.kill(child, signal.SIGKILL)
        time.sleep(0.005)
        continue
    members, folder, result_path, _ = running.pop(pid)
    try:
        with open(result_path, encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        found = [[os.waitstatus_to_exitcode(status), "the set-up's process ended without results"] for _ in members]
    for (index, _), result in zip(members, found):
        results[index] = result
    shutil.rmtree(folder, ignore_errors=True)
json.dump([results[index] for index in range(len(blocks))], sys.stdout)
"""


def run_many(found: list[Block], parallel: int = 2) -> list[tuple[int, str]]:
    """`run` for each block's program, as if each had a fresh interpreter; forked from one warm one
    (and from its set-up, run once) where the OS can fork."""
    if not found:
        return []
    if not hasattr(os, "fork") or sys.platform != "linux":
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            return list(pool.map(run, [block.program for block in found]))
    with tempfile.TemporaryDirectory(prefix="descent-blocks-") as folder:
        done = subprocess.run(
            [sys.executable, "-c", _FORK_SERVER, str(TIMEOUT), str(parallel)],
            input=json.dumps([[block.setup, block.code] for block in found]), capture_output=True, text=True,
            encoding="utf-8", cwd=folder, env=_environment(), timeout=TIMEOUT * (len(found) + 1),
        )  # fmt: skip
    if done.returncode != 0:
        raise BlockError(f"the block runner failed:\n{done.stderr[-3000:]}")
    return [(code, output) for code, output in json.loads(done.stdout)]


def cached_output(program: str) -> str | None:
    path = CACHE / f"{key(program)}.json"
    if not path.is_file():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    return record["output"] if record["code"] == normalised(program) else None


def _store(program: str, output: str) -> None:
    import torch  # only for the record: which version printed this

    CACHE.mkdir(exist_ok=True)
    record = {
        "code": normalised(program),
        "output": output,
        "python": ".".join(map(str, sys.version_info[:3])),
        "torch": torch.__version__,
    }
    path = CACHE / f"{key(program)}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def outputs(page: str, found: list[Block]) -> dict[int, str]:
    """The output of every block (by its line), from the cache or from fresh runs (two at a time)."""
    results = {block.line: cached_output(block.program) for block in found}
    missing = [block for block in found if results[block.line] is None]
    if missing:
        for block, (status, output) in zip(missing, run_many(missing), strict=True):
            if status != 0:
                raise BlockError(f"{page}: the python block at line {block.line + 1} fails when run alone:\n{output}")
            _store(block.program, output)
            results[block.line] = output
    for block in found:
        if block.is_setup and results[block.line]:
            raise BlockError(f"{page}: the set-up at line {block.line + 1} prints something; a set-up must print nothing")
    return results


def _output_block(output: str, indent: str, lang: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", output)), default=0)
    fence = "`" * max(3, longest + 1)
    title = OUTPUT_TITLES[lang]
    body = [f"{indent}{line}" if line else "" for line in output.rstrip("\n").splitlines()]
    return [f'{indent}{fence} {{ .text .descent-output title="{title}" }}', *body, f"{indent}{fence}"]


def render(markdown: str, lang: str, page: str) -> str:
    """`markdown` with the real output of each python block under it (or at the top of its answer)."""
    found = blocks(markdown, lang)
    if not found:
        return markdown
    results = outputs(page, found)
    lines = markdown.splitlines()
    answer = re.compile(rf'^(?P<indent>[ ]*)\?\?\?\+? success "{re.escape(ANSWER_TITLES[lang])}"\s*$')
    for block in reversed(found):
        output = results[block.line]
        if not output.strip():
            continue
        after = block.end + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        header = answer.match(lines[after]) if after < len(lines) else None
        if header and header["indent"] == block.indent:
            inner = block.indent + "    "
            lines[after + 1 : after + 1] = ["", *_output_block(output, inner, lang), ""]
        else:
            lines[block.end + 1 : block.end + 1] = ["", *_output_block(output, block.indent, lang)]
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")
