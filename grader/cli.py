"""The `grader` command: a thin layer over grading, feedback and reports.

Exit status of `grader check`: 0 when every graded task has full points,
1 when any falls short, 2 for a usage error, 3 when the grader itself fails.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader import __version__
from grader.manifest import course
from grader.messages import both, detect_language, text
from grader.paths import NotInCourse, exercises_dir, repo_root, solutions_dir

if TYPE_CHECKING:
    from grader.grading import GradeResult

EXIT_OK, EXIT_SHORT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
MAX_PROBLEMS_SHOWN = 3

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)

lang_option = click.option(
    "--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the feedback (default: from LANG / LC_ALL)."
)


def fail_usage(key: str, **params: object) -> None:
    error_console.print(f"[bold red]✗[/] {escape(both(key, **params))}")
    sys.exit(EXIT_USAGE)


def resolve_tasks(task_ids: tuple[str, ...]) -> list[str]:
    known = {task.id for task in course().tasks}
    for task_id in task_ids:
        if task_id not in known:
            fail_usage("error_unknown_task", task=task_id)
    return list(dict.fromkeys(task_ids))


def student_exercises() -> Path:
    """`exercises/` of the course this command runs in; a usage error outside one."""
    try:
        return exercises_dir()
    except NotInCourse as error:
        if error.args and error.args[0] is not None:
            fail_usage("error_course_without_exercises", path=str(error.args[0]))
        fail_usage("error_not_in_course", path=str(Path.cwd()))


def resolve_submission(submission: str | None, solutions: bool) -> Path:
    if submission and solutions:
        fail_usage("error_both_sources")
    if solutions:
        if not solutions_dir().is_dir():
            fail_usage("error_no_solutions", path=str(solutions_dir()))
        return solutions_dir()
    if submission is None:
        return student_exercises()
    path = Path(submission).resolve()
    if not path.exists():
        fail_usage("error_no_directory", path=submission)
    if not path.is_dir():
        fail_usage("error_not_a_directory", path=submission)
    if not os.access(path, os.R_OK | os.X_OK):
        fail_usage("error_unreadable", path=submission)
    return path


def finish(code: int) -> None:
    """Exit at once once everything is written: tearing down torch's modules costs
    a quarter of a second and changes nothing."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def stopped() -> None:
    """Ctrl-C: every task process is gone already (the grading's clean-up ran); say so and leave."""
    error_console.print(escape(both("ui_stopped")))
    finish(EXIT_INTERRUPTED)


def run_grading(submission: Path, task_ids: list[str], timeout: float | None = None) -> GradeResult:
    # The worker starts first, before this process imports torch: both import it at once.
    from grader import sources
    from grader.runner import Runner, take_prestarted

    the_course = course()
    modules = list(dict.fromkeys(the_course.task(task_id).module for task_id in task_ids)) if task_ids else list(the_course.modules)
    runner = temporary = None
    try:
        runner = take_prestarted() or Runner(units=modules)
        graded, notebooks, temporary = sources.prepare(submission, modules)  # a newer notebook is what counts
        # Imported here: `grader hint` and usage errors need no torch.
        from grader.process import import_torch_for_judging, interrupted

        torch = import_torch_for_judging()
        from grader.grading import grade

        if interrupted():
            raise KeyboardInterrupt  # pressed while torch was imported, and swallowed there
        # The checks' oracles work on small tensors: more threads only spin (see grader.batch.worker).
        torch.set_num_threads(1)
        result = grade(the_course, graded, task_ids or None, timeout=timeout, runner=runner)
        if interrupted():
            raise KeyboardInterrupt
        result.submission, result.notebooks = submission, notebooks
        return result
    except KeyboardInterrupt:
        stopped()
    except Exception as error:  # noqa: BLE001 - never a traceback from grader internals
        from grader.grading import GraderError

        detail = str(error) if isinstance(error, GraderError) else f"{type(error).__name__}: {error}"
        error_console.print(f"[bold red]✗[/] {escape(both('error_internal', detail=detail))}")
        sys.exit(EXIT_INTERNAL)
    finally:
        if runner is not None:
            runner.close()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def student_progress(course_root: Path | None) -> dict:
    """The progress file of the student's course (empty outside one); never fails."""
    from grader import progress

    return progress.load(course_root) if course_root is not None else {}


def hint_ladder(task_id: str, seen: int, lang: str) -> str:
    """Where the student stands on the task's ladder of hints, and what `grader hint` shows next."""
    count = len(course().task(task_id).hints)
    if seen <= 0:
        return text("hint_ladder_none", lang, task=task_id, count=count)
    if seen < count:
        return text("hint_ladder_some", lang, task=task_id, seen=seen, count=count, next=seen + 1)
    return text("hint_ladder_all", lang, task=task_id, count=count)


def remember_progress(result: GradeResult) -> None:
    """Keep the student's points and first-solved times; never fail a check over it."""
    from grader import progress

    try:
        progress.record(result.submission.parent, result)
    except OSError:
        pass


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"


def print_result(result: GradeResult, lang: str, progress: dict | None = None) -> None:
    """The graded tasks, the score and what to do next; `progress` (the student's) says which hints they have seen."""
    from grader.feedback import status_word, task_feedback
    from grader.progress import hints_seen

    the_course = course()
    console.print(f"[bold]{the_course.name}[/] · {escape(text('ui_grading', lang, path=display_path(result.submission), count=len(result.tasks)))}")
    if not result.contained:
        console.print(f"[yellow]{escape(text('ui_advisory', lang, mode=result.runner_mode))}[/]")
    for notebook in getattr(result, "notebooks", []):
        script = f"{notebook.module}.py"
        console.print(f"[dim]{escape(text(notebook.note_key, lang, notebook=display_path(notebook.path).rstrip('/'), script=script))}[/]")
    if "memory_cap_unavailable" in result.runner_notes:
        console.print(f"[yellow]{escape(text('ui_no_memory_cap', lang))}[/]")
    current_unit = None
    for task_result in result.tasks:
        task = task_result.task
        if task.unit != current_unit:
            current_unit = task.unit
            unit = the_course.unit_of(task)
            console.print()
            console.print(f"[bold]{escape(text('ui_unit', lang, number=unit.number, title=unit.title[lang]))}[/]")
        if task_result.passed:
            mark, colour = "✓", "green"
        elif task_result.score > 0:
            mark, colour = "◐", "yellow"
        else:
            mark, colour = "✗", "red"
        points = f"{task_result.score:g}/{task_result.max_score:g}"
        console.print(
            f"  [{colour}]{mark}[/] [bold]{task.id}[/] {escape(task.title[lang])}  [{colour}]{points}[/]  [dim]{escape(status_word(task_result, lang))}[/]"
        )
        problems = task_feedback(task_result, lang)
        for feedback in problems[:MAX_PROBLEMS_SHOWN]:
            console.print(f"      {escape(feedback.message)}")
            console.print(f"      [cyan]→ {escape(feedback.advice)}[/]")
        if len(problems) > MAX_PROBLEMS_SHOWN:
            console.print(f"      [dim]{escape(text('ui_more_checks', lang, count=len(problems) - MAX_PROBLEMS_SHOWN))}[/]")
        if problems and task_result.run.output.strip():
            console.print(f"      [dim]{escape(text('ui_output', lang))}[/]")
            for line in task_result.run.output.rstrip().splitlines()[:10]:
                console.print(f"      [dim]│ {escape(line[:160])}[/]")
    console.print()
    done = sum(task.passed for task in result.tasks)
    console.print(
        "[bold]"
        + escape(text("ui_score", lang, score=f"{result.score:g}", max_score=f"{result.max_score:g}", done=done, count=len(result.tasks)))
        + "[/]"
    )
    unfinished = [task for task in result.tasks if not task.passed]
    if unfinished:
        first = unfinished[0].task
        hints = hint_ladder(first.id, hints_seen(progress or {}, first.id), lang)
        console.print(escape(text("ui_next", lang, task=first.id, title=first.title[lang], hints=hints)))
    else:
        console.print(f"[green]{escape(text('ui_all_done', lang))}[/]")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def main() -> None:
    """Descent's grader: check your exercises, get hints, see your progress."""


@main.command("check")
@click.argument("tasks", nargs=-1)
@click.option("--submission", type=str, default=None, help="Grade this folder (laid out like exercises/).")
@click.option("--solutions", is_flag=True, help="Grade the reference solutions.")
@click.option("--report", type=click.Path(dir_okay=False), default=None, help="Write a Gradescope results.json here.")
@click.option("--junit", type=click.Path(dir_okay=False), default=None, help="Write JUnit XML here: one test case per task.")
@click.option("--summary", type=click.Path(dir_okay=False), default=None, help="Write a Markdown table of tasks and points here (e.g. $GITHUB_STEP_SUMMARY).")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, help="Exit 0 when the score is at least this percentage of the maximum, else 1.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=None, help="CPU seconds per task, instead of the course's limits.")
@lang_option
def check_command(
    tasks: tuple[str, ...], submission: str | None, solutions: bool, report: str | None, junit: str | None,
    summary: str | None, fail_under: float | None, timeout: float | None, lang: str | None,
) -> None:  # fmt: skip
    """Grade the exercises (or TASKS only, e.g. `grader check 4.3 5.1`)."""
    from grader.report import write_gradescope, write_junit, write_summary

    lang = detect_language(lang)
    task_ids = resolve_tasks(tasks)
    folder = resolve_submission(submission, solutions)
    outputs = [(given, writer) for given, writer in ((report, write_gradescope), (junit, write_junit), (summary, write_summary)) if given]
    for given, _ in outputs:
        parent = Path(given).resolve().parent
        if not (parent.is_dir() and os.access(parent, os.W_OK)):
            fail_usage("error_report", path=given, reason="the folder does not exist or is not writable")
    result = run_grading(folder, task_ids, timeout)
    own = submission is None and not solutions
    print_result(result, lang, student_progress(folder.parent) if own else None)
    if own:
        remember_progress(result)
    for given, writer in outputs:
        try:
            writer(result, Path(given).resolve(), lang)
        except OSError as error:
            fail_usage("error_report", path=given, reason=error.strerror or str(error))
        console.print(f"[dim]{escape(text('ui_report_written', lang, path=given))}[/]")
    if fail_under is None:
        passed = result.all_passed
    else:
        passed = result.score >= result.max_score * fail_under / 100 - 1e-9
    finish(EXIT_OK if passed else EXIT_SHORT)


@main.command("list")
@click.option("--submission", type=str, default=None, help="Grade this folder instead of exercises/.")
@lang_option
def list_command(submission: str | None, lang: str | None) -> None:
    """Every task with its title, points and status."""
    from grader.feedback import status_word
    from grader.progress import hints_seen

    lang = detect_language(lang)
    folder = resolve_submission(submission, False)
    result = run_grading(folder, [])
    progress = student_progress(folder.parent) if submission is None else {}
    table = Table(show_edge=False, header_style="bold")
    for key in ("ui_column_task", "ui_column_title", "ui_column_points", "ui_column_status", "hint_column"):
        table.add_column(text(key, lang))
    for task_result in result.tasks:
        task = task_result.task
        colour = "green" if task_result.passed else ("yellow" if task_result.score > 0 else "red")
        table.add_row(
            task.id,
            escape(task.title[lang]),
            f"[{colour}]{task_result.score:g}/{task_result.max_score:g}[/]",
            escape(status_word(task_result, lang)),
            f"{hints_seen(progress, task.id)}/{len(task.hints)}",
        )
    console.print(table)
    done = sum(task.passed for task in result.tasks)
    console.print(escape(text("ui_score", lang, score=f"{result.score:g}", max_score=f"{result.max_score:g}", done=done, count=len(result.tasks))))
    finish(EXIT_OK)


@main.command("hint")
@click.argument("task")
@click.option("--all", "show_all", is_flag=True, help="Show every hint of the task, from the idea to near-code.")
@click.option("--level", type=int, default=None, help="Show this hint (1 is the idea, the last is near-code).")
@click.option("--reset", is_flag=True, help="Forget which hints of the task you have seen: the next one is hint 1.")
@lang_option
def hint_command(task: str, show_all: bool, level: int | None, reset: bool, lang: str | None) -> None:
    """Show the next hint for TASK (e.g. `grader hint 2.2`): each call climbs its ladder one level.

    A task has three hints: the idea, then the plan, then near-code. The level
    you have reached is kept in .grader/progress.json and shown by
    `grader check`, `grader next` and `grader list`.
    """
    from grader import progress, statements

    lang = detect_language(lang)
    (task_id,) = resolve_tasks((task,))
    found = course().task(task_id)
    count = len(found.hints)
    if sum((show_all, level is not None, reset)) > 1:
        fail_usage("hint_options_conflict")
    if level is not None and not 1 <= level <= count:
        fail_usage("hint_bad_level", task=task_id, count=count, level=level)
    try:
        exercises = exercises_dir()
        course_root = exercises.parent
    except NotInCourse:
        exercises = course_root = None  # the statement then comes from the installed course's exercises/, if any
    if reset:
        if course_root is not None:
            try:
                progress.forget_hints(course_root, task_id)
            except OSError:
                pass
        console.print(escape(text("hint_reset_done", lang, task=task_id, count=count)))
        return
    seen = progress.hints_seen(student_progress(course_root), task_id)
    shown = list(range(1, count + 1)) if show_all else [level or min(seen + 1, count)]
    title = found.title[lang]
    heading = (
        text("hint_heading_all", lang, task=task_id, title=title, count=count)
        if show_all
        else text("hint_heading", lang, task=task_id, title=title, level=shown[0], count=count)
    )
    console.print(f"[bold]{escape(heading)}[/]")
    console.print(escape(text("ui_function", lang, functions=", ".join(found.functions), file=f"exercises/{found.file_name}")))
    for name in found.functions:
        try:
            first = statements.summary(statements.shown(found.module, name, lang, exercises))
        except statements.MissingStatement:
            continue
        console.print(escape(f"{name}{'：' if lang == 'zh' else ': '}{first}"), style="cyan")
    for number in shown:
        console.print()
        if show_all:
            console.print(f"[bold]{escape(text('hint_level', lang, level=number, count=count))}[/]")
        console.print(escape(found.hints[number - 1][lang]))
    console.print()
    if not show_all:
        key = "hint_more" if shown[0] < count else "hint_last"
        console.print(f"[dim]{escape(text(key, lang, task=task_id, next=shown[0] + 1, count=count))}[/]")
    if course_root is None:
        console.print(f"[dim]{escape(text('hint_not_kept', lang))}[/]")
        return
    try:
        progress.see_hints(course_root, task_id, max(shown))
    except OSError:
        pass  # a read-only folder still gets its hint


@main.command("next")
@lang_option
def next_command(lang: str | None) -> None:
    """The first unfinished task: its statement and where to write it."""
    import ast
    import textwrap

    from grader import statements

    lang = detect_language(lang)
    exercises = student_exercises()
    result = run_grading(exercises, [])
    remember_progress(result)
    progress = student_progress(exercises.parent)
    unfinished = [task_result.task for task_result in result.tasks if not task_result.passed]
    if not unfinished:
        console.print(f"[green]{escape(text('ui_all_solved', lang))}[/]")
        finish(EXIT_OK)
    task = unfinished[0]
    path = exercises / task.file_name
    source = path.read_text(encoding="utf-8")
    try:
        nodes = {node.name: node for node in ast.parse(source).body if hasattr(node, "name")}
    except SyntaxError:
        nodes = {}
    first = nodes.get(task.functions[0])
    location = f"{display_path(exercises)}{task.file_name}" + (f":{first.lineno}" if first else "")
    console.print(
        "[bold]"
        + escape(
            text(
                "ui_next_task", lang, task=task.id, title=task.title[lang], points=f"{task.points:g}",
                functions=", ".join(task.functions), location=location,
            )  # fmt: skip
        )
        + "[/]"
    )
    def show(key: str, node: ast.AST, indent: str = "") -> None:
        """The definition's first line, then its statement in `lang` (English where no translation is shipped)."""
        try:
            about = statements.shown(task.module, key, lang, exercises)
        except statements.MissingStatement:
            about = ""  # the student's file lost the docstring
        console.print(escape(indent + ast.get_source_segment(source, node).split(":\n", 1)[0] + ":"), style="cyan")
        if about:
            console.print(escape(textwrap.indent(about, indent + "    " if indent else "")))

    for name in task.functions:
        node = nodes.get(name)
        if node is not None:
            console.print()
            show(name, node)
            for method in node.body if isinstance(node, ast.ClassDef) else []:
                if isinstance(method, ast.FunctionDef) and not method.name.startswith("_") and ast.get_docstring(method):
                    console.print()
                    show(f"{name}.{method.name}", method, indent="    ")
    console.print()
    from grader.progress import hints_seen

    hints = hint_ladder(task.id, hints_seen(progress, task.id), lang)
    console.print(escape(text("ui_next_check", lang, task=task.id, hints=hints)))
    finish(EXIT_SHORT)


@main.command("notebooks")
@click.option("--force", is_flag=True, help="Write a notebook even where one exists (its edits are lost).")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default=None,
    help="Language of the messages and of the statements above each function (default: from LANG / LC_ALL).",
)  # fmt: skip
def notebooks_command(force: bool, lang: str | None) -> None:
    """Make a Jupyter notebook for each exercise file, paired with it (jupytext).

    With `--lang zh`, each function's statement is a Chinese markdown cell above
    its code cell; the code is the file's own, so grading is the same.
    """
    from grader.sources import make_notebooks

    lang = detect_language(lang)
    exercises = student_exercises()
    try:
        made = make_notebooks(exercises, list(course().modules), force=force, lang=lang)
    except ImportError:
        fail_usage("error_no_jupytext")
    for notebook, written in made:
        key = "ui_notebook_written" if written else "ui_notebook_kept"
        console.print(escape(text(key, lang, notebook=display_path(notebook).rstrip("/"))))
    console.print(escape(text("ui_notebooks_how", lang)))


@main.command("doctor")
@lang_option
def doctor_command(lang: str | None) -> None:
    """Check this computer's setup for the course: Python, torch, numpy, the runner, language, exercises/."""
    from grader.doctor import diagnose

    lang = detect_language(lang)
    findings = diagnose(lang)
    for finding in findings:
        mark, colour = ("✓", "green") if finding.ok else ("✗", "red") if finding.problem else ("!", "yellow")
        console.print(f"[{colour}]{mark}[/] {escape(finding.what)}")
        if finding.fix:
            console.print(f"    [cyan]→ {escape(finding.fix)}[/]")
    problems = [finding for finding in findings if finding.problem]
    console.print()
    console.print(escape(text("doctor_summary_ok" if not problems else "doctor_summary_problems", lang, count=len(problems))))
    finish(EXIT_SHORT if problems else EXIT_OK)


@main.command("reset")
@click.argument("task")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@lang_option
def reset_command(task: str, yes: bool, lang: str | None) -> None:
    """Restore the stub of TASK in exercises/ (asks first, keeps a backup)."""
    from grader.reset import ResetError, reset_task

    lang = detect_language(lang)
    (task_id,) = resolve_tasks((task,))
    found = course().task(task_id)
    exercises = student_exercises()
    question = text("ui_reset_confirm", lang, task=task_id, functions=", ".join(found.functions), file=found.file_name)
    if not yes and not click.confirm(question, default=False):
        console.print(escape(text("ui_reset_cancelled", lang)))
        sys.exit(EXIT_SHORT)
    try:
        backup = reset_task(course(), found, exercises, exercises.parent)
    except ResetError:
        fail_usage("error_reset_missing", file=found.file_name)
    console.print(escape(text("ui_reset_done", lang, task=task_id, backup=display_path(backup.parent) + backup.name)))


@main.command("watch")
@lang_option
def watch_command(lang: str | None) -> None:
    """Re-check the task you are editing whenever its file is saved."""
    from grader.watch import watch

    lang = detect_language(lang)
    exercises = student_exercises()

    def ready() -> None:
        console.print(escape(text("ui_watching", lang, path=display_path(exercises))))

    def show(module: str, result: GradeResult, seconds: float) -> None:
        tasks = ", ".join(task_result.task.id for task_result in result.tasks)
        file = result.notebooks[0].path.name if result.notebooks else f"{module}.py"
        console.rule(escape(text("ui_watch_checked", lang, file=file, tasks=tasks, seconds=f"{seconds:.2f}")))
        print_result(result, lang, student_progress(exercises.parent))
        remember_progress(result)

    try:
        watch(course(), exercises, show, ready)
    except KeyboardInterrupt:
        stopped()


@main.command("grade")
@click.argument("submissions_dir")
@click.option("--out", "out_dir", required=True, help="Folder for the gradebook, grades.csv and each student's results.json.")
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Submissions graded at once (default: one per two cores).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=None, help="CPU seconds per task, instead of the course's limits.")
@click.option("--force", is_flag=True, help="Grade every submission again, changed or not.")
@click.option("--student", "students", multiple=True, help="Grade only this student (again, changed or not); repeat for more.")
@click.option("--due", default=None, help="Due date, ISO 8601: 2026-12-15T23:59 (local time) or 2026-12-15T23:59+08:00; `none` clears it.")
@click.option("--late-policy", default=None, help="Deduction for late work: 10%/day, 2%/hour,cap=50%, 10%/day,grace=15m; `none` clears it.")
@click.option("--cluster", default=None, help="Grade on the Dask cluster whose scheduler is at this address (tcp://HOST:8786).")
@click.option("--unsandboxed", is_flag=True, help="Grade even where this machine cannot sandbox student code (trusted submissions only).")
@lang_option
def grade_command(
    submissions_dir: str, out_dir: str, workers: int | None, timeout: float | None, force: bool, students: tuple[str, ...],
    due: str | None, late_policy: str | None, cluster: str | None, unsandboxed: bool, lang: str | None,
) -> None:  # fmt: skip
    """Grade every submission in SUBMISSIONS_DIR (folders, .zip files, nbgrader's submitted/) into a gradebook (instructors)."""
    from grader.batch import BatchError, RichProgress, grade_options
    from grader.batch import main as grade_batch

    lang = detect_language(lang)
    try:
        due, late_policy = grade_options(due, late_policy)
        report = grade_batch(
            Path(submissions_dir), Path(out_dir), course(), workers=workers, lang=lang, timeout=timeout, force=force,
            progress=RichProgress(console, lang), unsandboxed=unsandboxed, students=list(students) or None, due=due,
            late_policy=late_policy, cluster=cluster,
        )  # fmt: skip
    except KeyboardInterrupt:
        stopped()
    except BatchError as error:
        fail_usage(error.key, **error.params)
    except Exception as error:  # noqa: BLE001 - never a traceback from grader internals
        error_console.print(f"[bold red]✗[/] {escape(both('error_internal', detail=f'{type(error).__name__}: {error}'))}")
        sys.exit(EXIT_INTERNAL)
    if report.where and report.where != "local":
        console.print(escape(text("batch_where_cluster", lang, address=report.where, workers=report.workers)))
    for entry in report.skipped:
        style = "yellow" if entry.serious else "dim"
        console.print(f"[{style}]{escape(text('batch_skipped_line', lang, reason=text(entry.key, lang, **entry.params)))}[/]")
    for student, message in report.errors:
        console.print(f"[red]✗[/] {escape(student)}: {escape(message)}")
    console.print(escape(text("ui_batch_done", lang, graded=report.graded, unchanged=report.unchanged, errors=len(report.errors), path=display_path(Path(out_dir).resolve()))))
    if report.lost_entries:
        console.print(f"[yellow]{escape(text('batch_lost_entries', lang))}[/]")
    finish(EXIT_SHORT if report.errors or report.lost_entries else EXIT_OK)


@main.command("override")
@click.argument("results_dir")
@click.argument("student")
@click.argument("task")
@click.argument("points", type=float, required=False)
@click.option("--reason", default="", help="Why (kept in the gradebook, shown in grades.csv and to the student).")
@click.option("--remove", is_flag=True, help="Take the override of TASK back: the graded points count again.")
@lang_option
def override_command(results_dir: str, student: str, task: str, points: float | None, reason: str, remove: bool, lang: str | None) -> None:
    """Set STUDENT's points for TASK by hand, kept across regrades (TASK `late`: the days late to count) (instructors)."""
    from grader.batch import BatchError
    from grader.batch.override import main as set_override

    lang = detect_language(lang)
    try:
        done = set_override(Path(results_dir), course(), student, task, points, reason, remove)
    except BatchError as error:
        fail_usage(error.key, **error.params)
    if done.points is None:
        key = "instructor_override_removed" if done.existed else "instructor_override_none"
        console.print(escape(text(key, lang, student=student, task=task)))
    elif done.max_points is None:
        console.print(escape(text("instructor_override_late_set", lang, student=student, days=f"{done.points:g}", reason=done.reason)))
    else:
        console.print(escape(text("instructor_override_set", lang, student=student, task=task, points=f"{done.points:g}",
                                  max_points=f"{done.max_points:g}", reason=done.reason)))  # fmt: skip


@main.command("report")
@click.argument("results_dir")
@lang_option
def report_command(results_dir: str, lang: str | None) -> None:
    """Write RESULTS_DIR/report.html and report.md: the class's scores, common mistakes, slow tasks, errors (instructors)."""
    from grader.batch import BatchError
    from grader.batch.class_report import main as write_report

    lang = detect_language(lang)
    try:
        html_path, markdown_path = write_report(Path(results_dir), course(), lang)
    except BatchError as error:
        fail_usage(error.key, **error.params)
    console.print(escape(text("instructor_report_written", lang, html=display_path(html_path), markdown=display_path(markdown_path))))


@main.command("nbgrader")
@click.argument("course_dir")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default=None,
    help="Language of the messages and of the notebooks' statements (default: from LANG / LC_ALL).",
)  # fmt: skip
def nbgrader_command(course_dir: str, lang: str | None) -> None:
    """Write an nbgrader course to COURSE_DIR: one assignment per unit (instructors).

    `--lang zh` writes the statements, instructions and hints in Chinese; the
    code cells are the same in both languages.
    """
    from grader.export.nbgrader import ExportError
    from grader.export.nbgrader import main as export_nbgrader
    from grader.stubs import MarkerError

    lang = detect_language(lang)
    if not solutions_dir().is_dir():
        fail_usage("error_no_solutions", path=str(solutions_dir()))
    try:
        notebooks = export_nbgrader(Path(course_dir), course(), solutions_dir(), lang=lang)
    except (ExportError, MarkerError, OSError) as error:
        fail_usage("error_export", path=course_dir, problem=str(error))
    console.print(escape(text("ui_nbgrader_written", lang, count=len(notebooks), path=display_path(Path(course_dir).resolve()))))


@main.command("release")
@click.argument("out_dir")
@lang_option
def release_command(out_dir: str, lang: str | None) -> None:
    """Write the student copy of the course to OUT_DIR: no solutions, no hidden checks (instructors)."""
    from grader.release import ReleaseError
    from grader.release import main as write_release
    from grader.stubs import MarkerError

    lang = detect_language(lang)
    if not solutions_dir().is_dir():
        fail_usage("error_no_solutions", path=str(solutions_dir()))
    try:
        files = write_release(Path(out_dir), course(), repo_root())
    except (ReleaseError, MarkerError, OSError) as error:
        fail_usage("error_release", path=out_dir, problem=str(error))
    console.print(escape(text("ui_release_written", lang, count=len(files), path=display_path(Path(out_dir).resolve()))))


@main.command("gradescope")
@click.argument("out_zip")
@lang_option
def gradescope_command(out_zip: str, lang: str | None) -> None:
    """Write a Gradescope autograder bundle (setup.sh, run_autograder, the course) to OUT_ZIP (instructors)."""
    from grader.gradescope import BundleError
    from grader.gradescope import main as write_bundle

    lang = detect_language(lang)
    target = Path(out_zip).resolve()
    if not target.parent.is_dir():
        fail_usage("error_export", path=out_zip, problem=f"{target.parent} does not exist")
    try:
        write_bundle(target, repo_root(), lang)
    except (BundleError, OSError) as error:
        fail_usage("error_export", path=out_zip, problem=str(error))
    console.print(escape(text("ui_gradescope_written", lang, path=out_zip)))


@main.group("dev")
def dev_group() -> None:
    """Commands for course authors."""


@dev_group.command("sync")
@click.option("--check", "check_only", is_flag=True, help="Only report drift; exit 1 if exercises/ is out of date.")
@lang_option
def sync_command(check_only: bool, lang: str | None) -> None:
    """Write exercises/ from solutions/ (stubs with the same signatures and docstrings)."""
    from grader.stubs import MarkerError, sync

    lang = detect_language(lang)
    exercises = repo_root() / "exercises"
    try:
        drifted = sync(course(), solutions_dir(), exercises, write=not check_only)
    except MarkerError as error:
        fail_usage("error_stubs", problem=str(error))
    if check_only and drifted:
        error_console.print(escape(both("error_stubs_drift", files=", ".join(drifted))))
        sys.exit(EXIT_SHORT)
    if drifted:
        console.print(escape(text("ui_stubs_synced", lang, count=len(drifted), path=display_path(exercises))))
    else:
        console.print(escape(text("ui_stubs_current", lang)))
