"""manifest.json: every output file with its SHA-256, and the content commit it was built
from, so anyone can check a copy of the site against the repository."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import __version__
from .history import History
from .urls import MANIFEST


def manifest(folder: Path, history: History, as_of: str, skip: tuple[str, ...] = ()) -> bytes:
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name != MANIFEST and name not in skip:
            files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    document = {
        "generator": f"gongshi {__version__}",
        "commit": history.commit or None,
        "uncommitted_changes": history.dirty,
        "history": "available" if history.available else history.reason,
        "as_of": as_of,
        "files": files,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
