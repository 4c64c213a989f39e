"""`python -m grader` and the `grader` command."""

import gc
import sys

# A run of the command is short: collecting cycles among torch's million objects
# costs more than the garbage is worth. (Task processes turn collection back on.)
gc.disable()

from grader.process import remember_interrupts  # noqa: E402

remember_interrupts()

if sys.argv[1:2] in (["check"], ["list"], ["next"]) and not {"-h", "--help"} & set(sys.argv):
    # The commands that grade start the worker before anything else is imported: it imports torch while
    # this process does.
    from grader.runner import prestart  # noqa: E402

    prestart()

from grader.cli import main as commands  # noqa: E402
from grader.usage import run  # noqa: E402


def main() -> None:
    """The `grader` command: the command group, with usage errors in both languages."""
    run(commands)


if __name__ == "__main__":
    main()
