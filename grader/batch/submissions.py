"""Find the submissions in a folder and stage each as a flat folder of modules.

A submission is one of

- a folder laid out like `exercises/` (the module files, or an `exercises/`
  folder inside it, or either of those one or two folders down, as an
  unpacked archive or a cloned repository has them);
- a `.zip` file holding the same;
- nbgrader's `submitted/<student>/<assignment>/<assignment>.ipynb` (a course
  directory with `submitted/`, or `submitted/` itself): each unit's notebook
  becomes its module, from the definitions of its code cells.

A folder called `submitted` is nbgrader's only when it is laid out as
nbgrader lays it out (or sits beside `nbgrader_config.py`); otherwise it is
a student of that name. Every other entry is graded or listed as skipped
with its reason: names that start with a dot (hidden files; `.alice` is not
graded until renamed), links, a second entry for the same student, files
that are neither folders nor `.zip` files, and what operating systems leave
behind (`.DS_Store`, `__MACOSX`).

Staging copies the Python files of the submission (and turns notebooks into
modules) into a fresh folder, within size limits and without following
links, so that grading reads only plain files that nobody changes meanwhile,
and the hash of what was graded is the hash of that folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from grader.manifest import Course
from grader.notebook import module_source, notebook_code_cells

MAX_FILE_BYTES = 2 << 20  # one module or notebook
MAX_TOTAL_BYTES = 16 << 20  # everything staged for one submission
MAX_FILES = 64
MAX_DEPTH = 3  # folders between a submission's top and its modules
MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.py$")


class SubmissionError(Exception):
    """A submission that cannot be read; `key` and `params` name a message of grader.messages."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path
    kind: str  # "folder", "zip" or "nbgrader"

    @property
    def source(self) -> str:
        return f"{self.kind}:{self.path.name}"


def _is_notebook_student(folder: Path, course: Course) -> bool:
    return any((folder / module / f"{module}.ipynb").is_file() for module in course.modules)


@dataclass(frozen=True)
class Skipped:
    """An entry of the submissions folder that is not graded: `key` and `params` name the reason (grader.messages)."""

    entry: str
    key: str
    params: dict = field(default_factory=dict)
    # Could it be someone's work? Then the batch ends with status 1 (a system file or a stray note does not).
    serious: bool = True


# What operating systems and tools leave in a folder: listed as skipped, never a reason to fail.
SYSTEM_ENTRIES = {".DS_Store", ".git", ".ipynb_checkpoints", "__MACOSX", "Thumbs.db", "desktop.ini", ".Trashes", ".Spotlight-V100"}
# What an nbgrader course folder holds besides submitted/: not submissions, not listed.
NBGRADER_COURSE_ENTRIES = {"source", "release", "autograded", "feedback", "exchange", "nbgrader_config.py", "gradebook.db", "__pycache__"}


def _is_nbgrader_submitted(root: Path, course: Course) -> bool:
    """Is `root/submitted` nbgrader's `submitted/<student>/<assignment>/`, or a student who is called "submitted"?"""
    folder = root / "submitted"
    if not folder.is_dir() or folder.is_symlink():
        return False
    if (root / "nbgrader_config.py").is_file():
        return True
    try:
        return any(child.is_dir() and _is_notebook_student(child, course) for child in folder.iterdir())
    except OSError:
        return False


def _might_be_work(entry: Path) -> bool:
    return entry.is_dir() or entry.suffix.lower() in (".zip", ".py", ".ipynb")


def discover(root: Path, course: Course) -> tuple[list[Submission], list[Skipped]]:
    """The submissions in `root`, by student, and the entries skipped (with why).

    Nothing is left out silently: every entry is either a submission or
    skipped with a reason (hidden names, links, duplicates, other files).
    """
    skipped: list[Skipped] = []
    nbgrader = _is_nbgrader_submitted(root, course)
    if nbgrader:
        for entry in sorted(root.iterdir(), key=lambda path: path.name):
            if entry.name == "submitted" or entry.name in NBGRADER_COURSE_ENTRIES or entry.name in SYSTEM_ENTRIES:
                continue
            skipped.append(Skipped(entry.name, "batch_skipped_beside_nbgrader", {"entry": entry.name}, _might_be_work(entry)))
        root = root / "submitted"
    found: dict[str, Submission] = {}
    for entry in sorted(root.iterdir(), key=lambda path: path.name):
        name = entry.name if not nbgrader else f"submitted/{entry.name}"
        if entry.name in SYSTEM_ENTRIES or entry.name.startswith("._"):
            skipped.append(Skipped(name, "batch_skipped_system", {"entry": name}, serious=False))
            continue
        if entry.name.startswith("."):
            skipped.append(Skipped(name, "batch_skipped_hidden", {"entry": name}, _might_be_work(entry)))
            continue
        if entry.is_symlink():
            skipped.append(Skipped(name, "batch_skipped_link", {"entry": name}))
            continue
        if entry.is_dir():
            kind = "nbgrader" if nbgrader or _is_notebook_student(entry, course) else "folder"
            student = entry.name
        elif entry.is_file() and entry.suffix.lower() == ".zip":
            kind, student = "zip", entry.stem
        else:
            skipped.append(Skipped(name, "batch_skipped_not_submission", {"entry": name}, _might_be_work(entry)))
            continue
        if student in found:
            skipped.append(Skipped(name, "batch_skipped_duplicate", {"entry": name, "student": student, "other": found[student].path.name}))
            continue
        found[student] = Submission(student, entry, kind)
    return list(found.values()), skipped


def _parse_timestamp(text: str) -> datetime | None:
    """nbgrader's timestamp.txt: `2026-12-15 23:59:00.123456 UTC` (UTC when no zone is given)."""
    text = text.strip()
    zone = None
    for suffix in (" UTC", "UTC", "Z"):
        if text.endswith(suffix):
            text, zone = text[: -len(suffix)].strip(), UTC
            break
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or UTC)
    return moment


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def submission_time(submission: Submission, course: Course) -> tuple[str, str]:
    """When the work was handed in, ISO 8601 with offset, and where that comes from.

    nbgrader's `timestamp.txt` (the latest of the student's assignments) when
    there is one; otherwise the newest modification time of the submitted
    module files, or of the `.zip` file. `("", "")` when neither can be read.
    """
    try:
        if submission.kind == "nbgrader":
            stamps = []
            for module in course.modules:
                stamp = submission.path / module / "timestamp.txt"
                if stamp.is_file() and not stamp.is_symlink():
                    parsed = _parse_timestamp(stamp.read_text(encoding="utf-8", errors="replace")[:200])
                    if parsed is not None:
                        stamps.append(parsed)
            if stamps:
                return max(stamps).isoformat(timespec="seconds"), "timestamp.txt"
            files = [submission.path / module / f"{module}.ipynb" for module in course.modules]
        elif submission.kind == "zip":
            files = [submission.path]
        else:
            folder = _module_folder(submission.path, course)
            names = {f"{module}.py" for module in course.modules} | {f"{module}.ipynb" for module in course.modules}
            files = [folder / name for name in names] if folder is not None else []
        times = [_mtime(path) for path in files if path.is_file() and not path.is_symlink()]
    except OSError:
        return "", ""
    return (max(times).isoformat(timespec="seconds"), "mtime") if times else ("", "")


def _module_folder(root: Path, course: Course) -> Path | None:
    """The shallowest folder at or below `root` that holds a course module (file or notebook)."""
    names = {f"{module}.py" for module in course.modules} | {f"{module}.ipynb" for module in course.modules}
    level = [root]
    for _ in range(MAX_DEPTH + 1):
        for folder in level:
            if any((folder / name).is_file() and not (folder / name).is_symlink() for name in names):
                return folder
        level = sorted(
            (child for folder in level for child in folder.iterdir() if child.is_dir() and not child.is_symlink() and not child.name.startswith(".")),
            key=lambda path: (path.name != "exercises", str(path)),
        )
    return None


class _Budget:
    def __init__(self) -> None:
        self.files = 0
        self.bytes = 0

    def take(self, name: str, size: int) -> None:
        self.files += 1
        self.bytes += size
        if size > MAX_FILE_BYTES or self.bytes > MAX_TOTAL_BYTES or self.files > MAX_FILES:
            raise SubmissionError("error_submission_too_large", file=name, limit=f"{MAX_TOTAL_BYTES >> 20} MB")


def _notebook_module(data: bytes, name: str) -> str:
    try:
        notebook = json.loads(data.decode("utf-8"))
        if not isinstance(notebook, dict):
            raise ValueError("not a notebook")
        source, _ = module_source(notebook_code_cells(notebook))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SubmissionError("error_bad_notebook", file=name) from None
    return source


def _read_capped(path: Path, budget: _Budget) -> bytes:
    size = path.stat().st_size
    budget.take(path.name, size)
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SubmissionError("error_submission_too_large", file=path.name, limit=f"{MAX_FILE_BYTES >> 20} MB")
    return data


def _stage_folder(folder: Path, target: Path, course: Course) -> None:
    budget = _Budget()
    modules = _module_folder(folder, course)
    if modules is None:
        raise SubmissionError("error_no_modules", path=folder.name)
    for path in sorted(modules.iterdir()):
        if path.is_symlink() or not path.is_file():
            continue
        if MODULE_NAME.match(path.name):
            (target / path.name).write_bytes(_read_capped(path, budget))
    for module in course.modules:
        notebook = modules / f"{module}.ipynb"
        if not (target / f"{module}.py").exists() and notebook.is_file() and not notebook.is_symlink():
            (target / f"{module}.py").write_text(_notebook_module(_read_capped(notebook, budget), notebook.name), encoding="utf-8")


def _stage_nbgrader(folder: Path, target: Path, course: Course) -> None:
    budget = _Budget()
    for module in course.modules:
        notebook = folder / module / f"{module}.ipynb"
        if notebook.is_file() and not notebook.is_symlink():
            (target / f"{module}.py").write_text(_notebook_module(_read_capped(notebook, budget), notebook.name), encoding="utf-8")
    if not any(target.iterdir()):
        raise SubmissionError("error_no_modules", path=folder.name)


def _stage_zip(archive: Path, target: Path, course: Course) -> None:
    budget = _Budget()
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [m for m in bundle.infolist() if not m.is_dir()]
            wanted = {f"{module}.py" for module in course.modules} | {f"{module}.ipynb" for module in course.modules}
            paths = {}
            for member in members:
                path = PurePosixPath(member.filename.replace("\\", "/"))
                if path.is_absolute() or ".." in path.parts or any(part.startswith(".") for part in path.parts):
                    continue
                paths[member.filename] = path
            folders = sorted(
                {path.parent for path in paths.values() if path.name in wanted and len(path.parts) <= MAX_DEPTH + 2},
                key=lambda folder: (len(folder.parts), folder.name != "exercises", str(folder)),
            )
            if not folders:
                raise SubmissionError("error_no_modules", path=archive.name)
            chosen = folders[0]
            notebooks = {}
            for member in members:
                path = paths.get(member.filename)
                if path is None or path.parent != chosen:
                    continue
                is_module = MODULE_NAME.match(path.name) is not None
                if not is_module and path.name not in wanted:
                    continue
                budget.take(path.name, member.file_size)
                with bundle.open(member) as file:
                    data = file.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    raise SubmissionError("error_submission_too_large", file=path.name, limit=f"{MAX_FILE_BYTES >> 20} MB")
                if is_module:
                    (target / path.name).write_bytes(data)
                else:
                    notebooks[path.name] = data
            for name, data in notebooks.items():
                module_file = target / (name.removesuffix(".ipynb") + ".py")
                if not module_file.exists():
                    module_file.write_text(_notebook_module(data, name), encoding="utf-8")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError, ValueError, OSError) as error:
        raise SubmissionError("error_bad_zip", file=archive.name, reason=str(error)[:200] or type(error).__name__) from None


def stage(submission: Submission, target: Path, course: Course) -> str:
    """Copy the submission's modules into the empty folder `target`; returns their hash."""
    target.mkdir(parents=True, exist_ok=True)
    try:
        if submission.kind == "zip":
            _stage_zip(submission.path, target, course)
        elif submission.kind == "nbgrader":
            _stage_nbgrader(submission.path, target, course)
        else:
            _stage_folder(submission.path, target, course)
    except SubmissionError:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except OSError as error:
        shutil.rmtree(target, ignore_errors=True)
        raise SubmissionError("error_unreadable_submission", path=submission.path.name, reason=error.strerror or str(error)) from None
    return files_hash(target)


def files_hash(folder: Path) -> str:
    """SHA-256 over the names and contents of the files in `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_hash(path: Path) -> str:
    """A hash of what a submission that cannot be staged is made of (to skip it while unchanged)."""
    digest = hashlib.sha256()
    try:
        if path.is_file():
            with path.open("rb") as file:
                for block in iter(lambda: file.read(1 << 20), b""):
                    digest.update(block)
        else:
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.is_symlink():
                    digest.update(str(child.relative_to(path)).encode() + b"\0" + str(child.stat().st_size).encode())
    except OSError:
        digest.update(b"unreadable")
    return "source:" + digest.hexdigest()
