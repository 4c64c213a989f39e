"""Run the `grader` command as a student or an instructor would, and record what the judge used.

    python -m tests.hostile.harness USAGE_JSON check --submission DIR --report FILE ...

It is the `grader` command itself, with one addition: on the way out it writes
the judge's own peak memory and CPU time (not its children's) to USAGE_JSON.
"""

from __future__ import annotations

import json
import resource
import sys


def _write_usage(path: str, code: object) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"code": code, "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, handle)


def main() -> None:
    usage_path, arguments = sys.argv[1], sys.argv[2:]
    import grader.cli as cli

    real_finish = cli.finish

    def finish(code: int) -> None:
        _write_usage(usage_path, code)
        real_finish(code)

    cli.finish = finish
    sys.argv = ["grader", *arguments]
    try:
        cli.main()
    except SystemExit as stop:
        _write_usage(usage_path, stop.code)
        raise


if __name__ == "__main__":
    main()
