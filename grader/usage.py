"""Usage errors of the `grader` command in both languages, Click's own included.

Click reports an unknown command or option, a bad value and a missing
argument in English. `run` runs the command group and turns those errors into
the course's sentences (English, then Chinese, like every usage error), exit 2.
"""

from __future__ import annotations

import sys

import click

from grader.messages import both, text

EXIT_USAGE = 2


def _command(error: click.UsageError) -> str:
    context = error.ctx
    return context.command_path.removeprefix(context.find_root().info_name or "").strip() if context else ""


def _suggestion(possibilities: list[str] | None) -> dict[str, str]:
    if not possibilities:
        return {"en": "", "zh": ""}
    close = ", ".join(sorted(possibilities)[:3])
    return {lang: text("usage_did_you_mean", lang, close=close) for lang in ("en", "zh")}


def _allowed(param: click.Parameter | None) -> dict[str, str]:
    kind = getattr(param, "type", None)
    if isinstance(kind, click.Choice):
        return {lang: text("usage_choose_one_of", lang, choices=", ".join(map(str, kind.choices))) for lang in ("en", "zh")}
    if isinstance(kind, click.FloatRange | click.IntRange) and kind.min is not None and kind.max is not None:
        return {lang: text("usage_number_between", lang, low=f"{kind.min:g}", high=f"{kind.max:g}") for lang in ("en", "zh")}
    return {"en": "", "zh": ""}


def message(error: click.UsageError) -> str:
    """The error in both languages: what was wrong, and what to run instead."""
    command = _command(error)
    shown = f"grader {command}".strip()
    kind = type(error).__name__
    if kind == "NoSuchCommand" or (not command and error.message.startswith("No such command")):
        name = str(error.message).split("'")[1] if "'" in error.message else "?"
        extra = _suggestion(getattr(error, "possibilities", None) or ([] if "Did you mean" not in error.message else [error.message.split("'")[-2]]))
        return "\n".join(text("usage_no_such_command", lang, name=name, suggestion=extra[lang]) for lang in ("en", "zh"))
    if isinstance(error, click.NoSuchOption):
        extra = _suggestion(list(error.possibilities or []))
        return "\n".join(text("usage_no_such_option", lang, command=shown, option=error.option_name, suggestion=extra[lang]) for lang in ("en", "zh"))
    if isinstance(error, click.MissingParameter):
        param = error.param
        name = "?" if param is None else param.human_readable_name.upper() if isinstance(param, click.Argument) else param.opts[0]
        return both("usage_missing", command=shown, name=name)
    if isinstance(error, click.BadParameter):
        name = error.param.opts[0] if error.param and error.param.opts else (error.param.human_readable_name if error.param else "?")
        extra = _allowed(error.param)
        return "\n".join(text("usage_bad_value", lang, command=shown, name=name, allowed=extra[lang]) for lang in ("en", "zh"))
    return both("usage_generic", command=shown)


def run(group: click.Group) -> None:
    """Run the command group as the `grader` command; never an English-only usage error.

    The process then ends at once (`leave`), without the interpreter's teardown.
    """
    try:
        group.main(standalone_mode=False)
        code: object = 0
    except click.UsageError as error:
        from rich.console import Console
        from rich.markup import escape

        Console(stderr=True, highlight=False).print(f"[bold red]✗[/] {escape(message(error))}")
        code = EXIT_USAGE
    except click.Abort:
        code = 1
    except click.exceptions.Exit as stop:
        code = stop.exit_code
    except SystemExit as stop:
        code = stop.code
    leave(code)


def leave(code: object) -> None:
    """Exit with `code` as `sys.exit` would, but skip tearing the interpreter down: with torch
    loaded that takes about 0.2 s of every command. The exit handlers still run and the output is
    flushed; no thread of the grader's is left to wait for (all are daemons)."""
    import atexit
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`grader list | head`): nothing more to say
            pass
    os._exit(code & 0xFF)
