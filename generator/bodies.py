"""The HTML of the Markdown bodies, kept in a temporary file instead of in memory.

A 20,000-page site has about 65 MB of body HTML. Held as strings, it would sit in the main
process for the whole build and be copied, page by page, into every helper process that
renders (see parallel.py); a page needs only its own body, for a moment. So each body is
written once to an unnamed temporary file, and the site holds a small `Body` that reads it
back when a template, a feed or a description asks for the text. Helper processes inherit
the open file and read it with `os.pread`, which shares no file position.
"""

from __future__ import annotations

import os
import tempfile
from typing import BinaryIO


class BodyStore:
    """An append-only file of UTF-8 bodies; deleted by the system when it is closed."""

    def __init__(self) -> None:
        self.file: BinaryIO = tempfile.TemporaryFile(prefix="gongshi-bodies-")
        self.size = 0

    def add(self, html: str | bytes) -> Body | str:
        """A handle on `html`, text or UTF-8 (an empty body stays the empty string)."""
        if not html:
            return ""
        data = html.encode("utf-8") if isinstance(html, str) else html
        self.file.write(data)
        self.file.flush()
        body = Body(self, self.size, len(data))
        self.size += len(data)
        return body

    def read(self, start: int, size: int) -> bytes:
        return os.pread(self.file.fileno(), size, start)


class Body:
    """One body's HTML, read from its store when used: `str(body)`; in a template
    `{{ body|safe }}` (it is sanitised HTML, see markdown.py). Pickled as its text."""

    __slots__ = ("store", "start", "size")

    def __init__(self, store: BodyStore, start: int, size: int):
        self.store, self.start, self.size = store, start, size

    def __str__(self) -> str:
        return self.store.read(self.start, self.size).decode("utf-8")

    __html__ = __str__

    def __bytes__(self) -> bytes:
        return self.store.read(self.start, self.size)

    def __bool__(self) -> bool:
        return self.size > 0

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return str, (str(self),)

    def __repr__(self) -> str:
        return f"Body({self.size} bytes)"
