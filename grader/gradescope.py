"""Gradescope: the autograder bundle (`grader gradescope OUT_ZIP`) and what it runs.

The bundle is a zip with, at its top,

    setup.sh         run once by Gradescope, as root, to build the image: a
                     Python 3.11+ virtual environment at /autograder/venv with
                     the course installed (CPU PyTorch)
    run_autograder   run for every submission: grades /autograder/submission and
                     writes /autograder/results/results.json
    course.toml, pyproject.toml, README.md, grader/   the course (no solutions)

`run_autograder` calls `python -m grader.gradescope`, which finds the
student's modules in the submission (files, a repository with `exercises/`,
notebooks; see `grader.batch.submissions`), grades them with every check and
writes Gradescope's `results.json`. The root is `AUTOGRADER_ROOT` (default
`/autograder`) and the Python `AUTOGRADER_PYTHON` (default the bundle's
virtual environment), so the same script runs in a local test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from grader.paths import PACKAGE_DIR

TEMPLATES = PACKAGE_DIR / "templates"
COURSE_FILES = ("course.toml", "pyproject.toml", "README.md", "LICENSE")
SKIPPED = {"__pycache__", ".pytest_cache", ".ruff_cache"}


class BundleError(ValueError):
    """The bundle cannot be written; the message says why."""


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o755 if executable else 0o644) << 16
    bundle.writestr(info, data)


def main(out_zip: Path, root: Path, lang: str = "en") -> Path:
    """Write the autograder bundle of the course in `root` to `out_zip` (through a temporary file)."""
    out_zip = Path(out_zip)
    if out_zip.exists() and out_zip.is_dir():
        raise BundleError(f"{out_zip} is a directory")
    run_script = (TEMPLATES / "run_autograder").read_text(encoding="utf-8").replace("@DEFAULT_LANG@", lang)
    handle, temporary = tempfile.mkstemp(dir=out_zip.parent, prefix=f".{out_zip.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as bundle:
            _add(bundle, "setup.sh", (TEMPLATES / "gradescope_setup.sh").read_bytes(), executable=True)
            _add(bundle, "run_autograder", run_script.encode(), executable=True)
            for name in COURSE_FILES:
                if (root / name).is_file():
                    _add(bundle, name, (root / name).read_bytes())
            grader_dir = root / "grader"
            for path in sorted(grader_dir.rglob("*")):
                relative = path.relative_to(root)
                if path.is_file() and not path.is_symlink() and not SKIPPED & set(relative.parts) and path.suffix != ".pyc":
                    _add(bundle, relative.as_posix(), path.read_bytes(), executable=os.access(path, os.X_OK))
        os.replace(temporary, out_zip)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out_zip


def _failure_results(message: str) -> dict:
    return {"score": 0.0, "output": message, "visibility": "visible", "tests": []}


def run(autograder_root: Path, lang: str) -> int:
    """Grade `<root>/submission` into `<root>/results/results.json`; the exit status of `run_autograder`."""
    import json

    from grader.batch.submissions import Submission, SubmissionError, stage
    from grader.manifest import course
    from grader.messages import text
    from grader.report import write_atomically, write_gradescope

    results_dir = autograder_root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    results = results_dir / "results.json"
    the_course = course()
    submission = autograder_root / "submission"
    with tempfile.TemporaryDirectory(prefix="descent-gradescope-") as folder:
        staged = Path(folder) / "submission"
        try:
            if not submission.is_dir():
                raise SubmissionError("error_no_modules", path=str(submission))
            stage(Submission("submission", submission, "folder"), staged, the_course)
        except SubmissionError as problem:
            message = "\n".join(text(problem.key, language, **problem.params) for language in (lang, "zh" if lang == "en" else "en"))
            write_atomically(results, json.dumps(_failure_results(message), ensure_ascii=False, indent=2) + "\n")
            return 0
        try:
            from grader.grading import grade

            result = grade(the_course, staged)
        except Exception as error:  # noqa: BLE001 - Gradescope must get a results.json whatever happens
            message = text("error_internal", lang, detail=f"{type(error).__name__}: {error}")
            write_atomically(results, json.dumps(_failure_results(message), ensure_ascii=False, indent=2) + "\n")
            return 1
        write_gradescope(result, results, lang)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Grade a Gradescope submission (run by run_autograder).")
    parser.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    parser.add_argument("--lang", default=os.environ.get("DESCENT_LANG", "en"), choices=["en", "zh"])
    arguments = parser.parse_args()
    sys.exit(run(Path(arguments.root), arguments.lang))
