"""Finished files put into a folder whole: written under a hidden temporary name, then renamed to a free one.

A leading dot and a .part suffix keep the inbox job and ingest off a file until it is renamed, and
a file already in place is never replaced (the inbox job may be reading it): where the name is
taken, the new file gets the first free one of -2, -3, … The inbox moves its files on by the same rule.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def put_in_place(folder: Path, name: str, data: bytes) -> Path:
    """Write data safely to disk under a temporary name, then rename it into folder as name (or a free variant).

    Its modification time is set a second back before the rename, so that its change time lies
    past it: the inbox's sign that a file was finished before it arrived, and can be taken at once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            written = os.fstat(file.fileno())
            os.utime(file.fileno(), ns=(written.st_atime_ns, written.st_mtime_ns - 1_000_000_000))
            os.fsync(file.fileno())
        final = free_name(folder / name)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final


def free_name(path: Path, first: int = 2) -> Path:
    """The path itself if nothing is there, else the first free one of path-<first>, path-<first + 1>, …"""
    number, free = first, path
    while free.exists():
        free = path.with_stem(f"{path.stem}-{number}")
        number += 1
    return free


def answer_file(records: list[dict]) -> bytes:
    """Records as the API's own list response, which the answer file parser reads."""
    return json.dumps({"totalResults": len(records), "results": records}, ensure_ascii=False).encode("utf-8")
