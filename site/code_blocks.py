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
# child per block: the child starts from that state, runs the block as __main__ in
# an empty folder with fresh globals and prints what a fresh interpreter prints. A
# block that forgets an import still fails (its globals are empty); only the two
# seconds of importing torch are paid once instead of once per block.
_FORK_SERVER = r"""
import json, os, random, runpy, signal, sys, tempfile, time, traceback
import torch
programs = json.load(sys.stdin)
timeout, parallel = float(sys.argv[1]), int(sys.argv[2])
results, running, queue = {}, {}, list(enumerate(programs))
while queue or running:
    while queue and len(running) < parallel:
        index, program = queue.pop(0)
        folder = tempfile.mkdtemp(prefix="descent-block-")
        with open(os.path.join(folder, "block.py"), "w", encoding="utf-8") as handle:
            handle.write(program)
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                os.chdir(folder)
                out = os.open("output.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(out, 1)
                os.dup2(out, 2)
                sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
                sys.argv, sys.path[0] = ["block.py"], folder
                random.seed()
                runpy.run_path("block.py", run_name="__main__")
            except SystemExit as stop:
                status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            except BaseException:
                traceback.print_exc()
                status = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        running[pid] = (index, folder, time.monotonic() + timeout)
    pid, status = os.waitpid(-1, os.WNOHANG)
    if pid == 0:
        for child, (index, folder, deadline) in running.items():
            if time.monotonic() > deadline:
                os.kill(child, signal.SIGKILL)
        time.sleep(0.005)
        continue
    index, folder, _ = running.pop(pid)
    with open(os.path.join(folder, "output.txt"), encoding="utf-8", errors="replace") as handle:
        output = handle.read()
    code = os.waitstatus_to_exitcode(status)
    results[index] = [code, output]
json.dump([results[index] for index in range(len(programs))], sys.stdout)
"""


def run_many(programs: list[str], parallel: int = 2) -> list[tuple[int, str]]:
    """`run` for each program, as if each had a fresh interpreter; forked from one warm one where the OS can fork."""
    if not programs:
        return []
    if not hasattr(os, "fork") or sys.platform != "linux":
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            return list(pool.map(run, programs))
    with tempfile.TemporaryDirectory(prefix="descent-blocks-") as folder:
        done = subprocess.run(
            [sys.executable, "-c", _FORK_SERVER, str(TIMEOUT), str(parallel)],
            input=json.dumps(programs), capture_output=True, text=True, encoding="utf-8",
            cwd=folder, env=_environment(), timeout=TIMEOUT * len(programs),
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
        for block, (status, output) in zip(missing, run_many([block.program for block in missing]), strict=True):
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
