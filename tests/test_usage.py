"""Click's own usage errors come in both languages, with exit status 2 and a next step."""

import subprocess
import sys

import pytest

from tests.chinese import english_outside_code
from tests.conftest import ROOT

CASES = [
    (["chek"], "no command `chek`", "check"),
    (["check", "--bogus"], "has no option `--bogus`", "grader check --help"),
    (["check", "--timeout", "abc"], "`--timeout`", "0.1"),
    (["hint"], "needs `TASK`", "grader hint --help"),
    (["check", "--lang", "fr"], "`--lang`", "en, zh"),
]


@pytest.mark.parametrize(("arguments", "english", "hint"), CASES, ids=[" ".join(case[0]) for case in CASES])
def test_usage_error_is_bilingual(arguments, english, hint):
    done = subprocess.run([sys.executable, "-m", "grader", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=120, env={"COLUMNS": "400", "PATH": ""})
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 2 and english in lines[0] and hint in lines[0], done.stderr
    chinese = lines[1]
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese) and english_outside_code(chinese) == [], chinese
    assert "Usage:" not in done.stderr and "Error:" not in done.stderr and "Traceback" not in done.stderr


def test_leaving_runs_the_exit_handlers_flushes_the_output_and_keeps_the_code(tmp_path):
    """`grader` ends without the interpreter's teardown, and loses nothing for it."""
    marker = tmp_path / "handler-ran"
    program = (
        "import atexit, pathlib, sys\n"
        "from grader.usage import leave\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "sys.stdout.write('unflushed output')\n"
        "leave(sys.argv[1] if sys.argv[1] == 'message' else int(sys.argv[1]))\n"
    )
    for argument, code in (("0", 0), ("3", 3), ("130", 130), ("message", 1)):
        marker.unlink(missing_ok=True)
        done = subprocess.run([sys.executable, "-c", program, argument], capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout) == (code, "unflushed output")
        assert marker.read_text() == "yes"
        assert done.stderr.strip() == ("message" if argument == "message" else "")
