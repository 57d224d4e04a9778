"""manifest.json: every output file with its SHA-256, and the content commit it was built
from, so anyone can check a copy of the site against the repository."""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # JSON string as json.dumps(ensure_ascii=False) writes it

from . import __version__
from .history import History
from .urls import MANIFEST


def manifest(files: dict[str, str], history: History, as_of: str) -> bytes:
    """`files`: every output file (but the manifest and the marker) → its SHA-256, as the
    build wrote it: nothing is read back from the disk."""
    document = {
        "generator": f"gongshi {__version__}",
        "commit": history.commit or None,
        "uncommitted_changes": history.dirty,
        "history": "available" if history.available else history.reason,
        "as_of": as_of,
        "files": {},
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if files:  # what json.dumps(indent=1) writes, without its slow pure-Python walk over every file
        # (a SHA-256 in hex needs no escaping)
        listed = ",\n".join(f'  {encode_basestring(name)}: "{sha}"' for name, sha in sorted(files.items()))
        text = text.removesuffix('"files": {}\n}') + '"files": {\n' + listed + "\n }\n}"
    return (text + "\n").encode("utf-8")
