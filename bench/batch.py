"""Batch grading throughput: CPU-seconds per typical submission, and the same scores.

The class mixes the three kinds of work an instructor gets, in equal parts:
the reference solutions, a partial answer (a wrong answer from tests/mutants in
every task, partial credit included), and the untouched release (stubs). Each
run grades the whole class with `grader grade SUBMISSIONS --out RESULTS` from
a cold start (a new results folder: nothing is skipped as unchanged) and
counts the CPU time of `grader grade` and every process under it (its
workers, their sandboxed task processes: all are waited for, so the kernel
adds them to this process's children). The report gives, over RUNS runs, the
median and the spread (min–max) of

- CPU-seconds per submission, start-up included (torch, the checks, the workers);
- the wall time, and the submissions per minute it means on this machine;

and checks that every run gave every student the same points per task as
`grader.grading.grade` (a fresh pytest session per submission, the reference
path the batch's judging session must agree with).

    python bench/batch.py [--students 12] [--runs 7] [--nbgrader]

`--nbgrader` also times `nbgrader autograde` on the same work as notebooks.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.export import nbgrader as export  # noqa: E402
from grader.manifest import course as load_course  # noqa: E402
from tests.conftest import all_mutants  # noqa: E402


def students(course, count: int) -> dict[str, dict[str, str] | str]:
    """`{student: "reference" | "release" | {task id: wrong answer}}`, `count` of them."""
    by_task: dict[str, list[str]] = {}
    for _, mutant in all_mutants():
        by_task.setdefault(mutant.task, []).append(textwrap.dedent(mutant.source))
    found: dict[str, dict[str, str] | str] = {}
    for number in range(count):
        name = f"student{number:02d}"
        if number % 3 == 0:
            found[name] = "reference"
        elif number % 3 == 1:
            found[name] = "release"
        else:
            found[name] = {task.id: by_task[task.id][number % len(by_task[task.id])] for task in course.tasks}
    return found


def folder_submission(course, kind, target: Path) -> None:
    target.mkdir(parents=True)
    base = ROOT / ("exercises" if kind == "release" else "solutions")
    for unit in course.units:
        source = (base / f"{unit.module}.py").read_text(encoding="utf-8")
        if isinstance(kind, dict):
            source += "".join("\n\n" + kind[task.id] for task in unit.tasks)
        (target / f"{unit.module}.py").write_text(source, encoding="utf-8")


def notebook_submission(course_dir: Path, unit, kind) -> dict:
    folder = "release" if kind == "release" else "source"
    notebook = json.loads((course_dir / folder / unit.module / f"{unit.module}.ipynb").read_text(encoding="utf-8"))
    if isinstance(kind, dict):
        for cell in notebook["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            if grade_id.startswith("solution_"):
                task_id = grade_id.removeprefix("solution_").replace("_", ".")
                cell["source"] = ("".join(cell["source"]) + "\n\n" + kind[task_id]).splitlines(keepends=True)
    return notebook


def timed(command: list[str], **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and everything under it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:4])} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def reference_points(course, submissions: Path) -> dict[str, dict[str, float]]:
    from grader.grading import grade

    return {folder.name: {t.task.id: t.score for t in grade(course, folder).tasks} for folder in sorted(submissions.iterdir())}


def batch_points(database: Path) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = {}
    with sqlite3.connect(database) as connection:
        for student, task, points in connection.execute("SELECT student, task, points FROM grades"):
            found.setdefault(student, {})[task] = points
    return found


def spread(values: list[float], digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f} (min {min(values):.{digits}f}, max {max(values):.{digits}f})"


def nbgrader_comparison(course, cohort, work: Path, batch_seconds: float) -> None:
    course_dir = work / "nbgrader"
    export.main(course_dir, course, ROOT / "solutions")
    env = export.private_jupyter_environment(work / "jupyter-home")
    timed([sys.executable, "-m", "nbgrader", "generate_assignment", "*"], cwd=course_dir, env=env)
    for name, kind in cohort.items():
        for unit in course.units:
            target = course_dir / "submitted" / name / unit.module / f"{unit.module}.ipynb"
            target.parent.mkdir(parents=True)
            target.write_text(json.dumps(notebook_submission(course_dir, unit, kind)), encoding="utf-8")
    seconds, cpu = timed([sys.executable, "-m", "nbgrader", "autograde", "*", "--create"], cwd=course_dir, env=env)
    print(f"nbgrader autograde (one run): {seconds:.1f} s wall, {cpu / len(cohort):.2f} CPU-s per submission; "
          f"grader grade is {seconds / batch_seconds:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None, help="passed to grader grade (default: its own choice)")
    parser.add_argument("--nbgrader", action="store_true", help="also time nbgrader autograde on the same work, once")
    parser.add_argument("--cluster", type=int, default=0, metavar="WORKERS",
                        help="grade on a Dask LocalCluster of this many worker processes (grader grade --cluster)")
    arguments = parser.parse_args()
    local_cluster = None
    if arguments.cluster:
        from distributed import LocalCluster

        # Its workers are this process's children: their CPU counts once they end (after the runs).
        local_cluster = LocalCluster(n_workers=arguments.cluster, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None, silence_logs=50)
        print(f"Dask LocalCluster at {local_cluster.scheduler_address}, {arguments.cluster} workers")
    # Bytecode as Python writes it on a first import, unless PYTHONDONTWRITEBYTECODE is set (as on this
    # machine): then every judge and worker would compile the package again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "grader")], check=True)
    course = load_course()
    cohort = students(course, arguments.students)
    work = Path(tempfile.mkdtemp(prefix="descent-bench-batch-"))
    try:
        submissions = work / "submissions"
        for name, kind in cohort.items():
            folder_submission(course, kind, submissions / name)
        expected = reference_points(course, submissions)
        walls, cpus = [], []
        same = True
        for run in range(arguments.runs):
            out = work / f"results-{run}"
            command = [sys.executable, "-m", "grader", "grade", str(submissions), "--out", str(out)]
            if arguments.workers:
                command += ["--workers", str(arguments.workers)]
            if local_cluster is not None:
                command += ["--cluster", local_cluster.scheduler_address]
            seconds, cpu = timed(command, cwd=ROOT)
            walls.append(seconds)
            cpus.append(cpu / len(cohort))
            same = same and batch_points(out / "gradebook.sqlite") == expected
            shutil.rmtree(out, ignore_errors=True)
            print(f"run {run + 1}: {seconds:6.1f} s wall, {cpu / len(cohort):5.2f} CPU-s per submission", flush=True)
        count = len(cohort)
        kinds = {"reference": 0, "release": 0, "partial": 0}
        for kind in cohort.values():
            kinds["partial" if isinstance(kind, dict) else kind] += 1
        print(f"{count} submissions ({kinds['reference']} reference, {kinds['partial']} partial, {kinds['release']} stubs), "
              f"{len(course.units)} units and {len(course.tasks)} tasks each, {os.cpu_count()} cores, {arguments.runs} runs")
        print(f"CPU-seconds per submission  {spread(cpus)}")
        print(f"wall seconds per class      {spread(walls, 1)}")
        print(f"submissions per minute      {spread([count / wall * 60 for wall in walls], 1)}")
        print(f"same points per task as grader.grading.grade, every run: {'yes' if same else 'NO'}")
        if local_cluster is not None:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            local_cluster.close()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            workers_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"the cluster's workers (start-up included), all runs: {workers_cpu / (count * arguments.runs):.2f} CPU-s per submission")
        if arguments.nbgrader:
            nbgrader_comparison(course, cohort, work, statistics.median(walls))
        if not same:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
