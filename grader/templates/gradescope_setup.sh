#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (written by `grader gradescope`): a Python 3.11+ virtual environment at
# $AUTOGRADER_ROOT/venv with the course installed, PyTorch's CPU build.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"

PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        PYTHON="$candidate"
        break
    fi
done
if [ -z "$PYTHON" ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3.11 python3.11-venv
    PYTHON=python3.11
fi
if ! "$PYTHON" -m venv "$ROOT/venv"; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$(basename "$PYTHON")-venv" || \
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
    "$PYTHON" -m venv "$ROOT/venv"
fi
"$ROOT/venv/bin/python" -m pip install --upgrade pip
# The CPU build of PyTorch: the default wheel brings CUDA libraries the grader never uses.
"$ROOT/venv/bin/python" -m pip install --extra-index-url https://download.pytorch.org/whl/cpu "$ROOT/source"
