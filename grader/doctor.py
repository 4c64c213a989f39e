"""`grader doctor`: is this computer ready for the course? Each finding with its fix, in the student's language.

What it looks at: the Python version, torch (its version and whether it is the
CPU or a CUDA build), numpy and jupytext, how the runner contains tasks on this
system, the locale and the language it gives, and the `exercises/` folder
(found, writable, the right course).
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from grader.messages import detect_language, text

MINIMUM_PYTHON = (3, 11)


@dataclass(frozen=True)
class Finding:
    what: str  # what was found, one line
    ok: bool
    problem: bool = False  # True: the course will not work right until it is fixed
    fix: str = ""  # one next step


def _python(lang: str) -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] >= MINIMUM_PYTHON:
        return Finding(text("doctor_python", lang, version=version, path=sys.executable), ok=True)
    return Finding(text("doctor_python", lang, version=version, path=sys.executable), ok=False, problem=True, fix=text("doctor_python_fix", lang))


def _torch(lang: str) -> list[Finding]:
    try:
        import torch
    except ImportError:
        return [Finding(text("doctor_torch_missing", lang), ok=False, problem=True, fix=text("doctor_install_fix", lang))]
    cuda = torch.version.cuda
    build = text("doctor_build_cuda", lang, cuda=cuda) if cuda else text("doctor_build_cpu", lang)
    found = [Finding(text("doctor_torch", lang, version=torch.__version__, build=build), ok=True)]
    if cuda and sys.platform.startswith("linux") and not torch.cuda.is_available():
        found.append(Finding(text("doctor_cuda_unused", lang), ok=False, fix=text("doctor_cpu_wheel_fix", lang)))
    return found


def _module(name: str, lang: str, needed: bool) -> Finding:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return Finding(text("doctor_module_missing", lang, name=name), ok=False, problem=needed, fix=text("doctor_install_fix", lang))
    return Finding(text("doctor_module", lang, name=name, version=getattr(module, "__version__", "?")), ok=True)


def _runner(lang: str) -> Finding:
    from grader.runner import Runner, RunnerError

    runner = None
    try:
        runner = Runner(units=[], workers=1)
        mode, notes = runner.mode, [str(note) for note in runner.ready.get("notes", [])]
    except RunnerError as error:
        return Finding(text("doctor_runner_failed", lang, detail=str(error)[:300]), ok=False, problem=True, fix=text("doctor_report_fix", lang))
    finally:
        if runner is not None:
            runner.close()
    what = text(f"doctor_runner_{mode}", lang)
    if "memory_cap_unavailable" in notes:
        what += " " + text("doctor_no_memory_cap", lang)
    contained = mode in ("namespaces", "users")
    return Finding(what, ok=contained, fix="" if contained else text("doctor_runner_fix", lang))


def _language(lang: str) -> Finding:
    locale = next((f"{name}={os.environ[name]}" for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    detected = detect_language(None)
    return Finding(text("doctor_language", lang, locale=locale or "-", language=text(f"doctor_language_{detected}", lang)), ok=True)


def _exercises(lang: str) -> Finding:
    from grader.paths import NotInCourse, exercises_dir

    try:
        folder = exercises_dir()
    except NotInCourse as error:
        where = str(error.args[0]) if error.args and error.args[0] else str(Path.cwd())
        return Finding(text("doctor_no_exercises", lang, path=where), ok=False, problem=True, fix=text("doctor_exercises_fix", lang))
    if not os.access(folder, os.W_OK):
        return Finding(text("doctor_exercises_readonly", lang, path=str(folder)), ok=False, problem=True, fix=text("doctor_writable_fix", lang))
    return Finding(text("doctor_exercises", lang, path=str(folder)), ok=True)


def diagnose(lang: str) -> list[Finding]:
    return [
        _python(lang),
        *_torch(lang),
        _module("numpy", lang, needed=True),
        _module("jupytext", lang, needed=False),
        _runner(lang),
        _language(lang),
        _exercises(lang),
    ]
