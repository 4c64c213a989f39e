"""Removing what a task left behind, whatever shape it has (any operating system)."""

from __future__ import annotations

import os
import stat
import uuid


def remove_tree(path: str) -> None:
    """Remove a file or a folder tree of any depth, without following links; never raises.

    Nothing on another file system is touched. A task may leave a tree thousands of folders deep (deeper than the stack
    and than the longest path the system accepts) and folders it made
    unreadable. So the tree is flattened as it goes: every sub-folder met is
    first moved up beside the top, under a fresh short name, then emptied
    there; no path ever grows, and nothing recurses.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        _unlink(path)
        return
    top = os.path.dirname(os.path.abspath(path)) or "."
    device = info.st_dev  # a mount inside the tree (a task's view) is never entered
    stack = [(path, False)]  # (folder, emptied): a folder is removed after everything it held
    while stack:
        folder, emptied = stack.pop()
        if emptied:
            try:
                os.rmdir(folder)
            except OSError:
                pass
            continue
        try:
            if os.lstat(folder).st_dev != device:
                continue
        except OSError:
            continue
        _open_up(folder)
        stack.append((folder, True))
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if not is_folder:
                _unlink(entry.path)
                continue
            moved = os.path.join(top, f".descent-removing-{uuid.uuid4().hex}")
            try:
                os.rename(entry.path, moved)
            except OSError:
                moved = entry.path  # another file system: empty it where it is
            stack.append((moved, False))


def _open_up(folder: str) -> None:
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except PermissionError:
        try:
            os.chmod(path, stat.S_IWRITE | stat.S_IREAD)  # Windows: read-only files
            os.unlink(path)
        except OSError:
            pass
    except OSError:
        pass
