"""`python -m grader` and the `grader` command."""

import gc

# A run of the command is short: collecting cycles among torch's million objects
# costs more than the garbage is worth. (Task processes turn collection back on.)
gc.disable()

from grader.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
