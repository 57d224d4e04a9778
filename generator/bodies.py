"""The HTML of the Markdown bodies, kept in a file instead of in memory.

A 20,000-page site has about 65 MB of body HTML. Held as strings, it would sit in the main
process for the whole build and be copied, page by page, into every helper process that
renders (see parallel.py); a page needs only its own body, for a moment. So the site holds
a small `Body` that reads the text when a template, a feed or a description asks for it:

- from the build cache (`CachedBodies`), for a body whose HTML it holds: most bodies of a
  rebuild, of which most are never read at all (a ledger edit reads none);
- else from an unnamed temporary file (`BodyStore`), where a body made by this build is
  written once. Helper processes inherit the open file and read it with `os.pread`, which
  shares no file position.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol


class Source(Protocol):
    def read(self, start: int, size: int) -> bytes: ...


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


class CachedBodies:
    """Bodies whose HTML the build cache holds, read from it when used, by this process or
    a forked helper, each through a read-only connection of its own."""

    def __init__(self, database: Path):
        self.database = database
        self.keys: list[bytes] = []
        self._db: tuple[int, sqlite3.Connection] | None = None  # (process id, its connection)

    def add(self, key: bytes, size: int) -> Body | str:
        """A handle on the body cached under `key`, `size` bytes of UTF-8."""
        if not size:
            return ""
        self.keys.append(key)
        return Body(self, len(self.keys) - 1, size)

    def read(self, start: int, size: int) -> bytes:
        if self._db is None or self._db[0] != os.getpid():  # a connection does not survive a fork
            db = sqlite3.connect(f"{self.database.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            self._db = (os.getpid(), db)
        row = self._db[1].execute("SELECT html FROM html WHERE key = ?", (self.keys[start],)).fetchone()
        if row is None or len(row[0]) != size:
            raise RuntimeError(f"构建缓存在生成过程中被改动（另一个 gongshi 进程？）：请重新生成。（{self.database}）")
        return bytes(row[0])


class Body:
    """One body's HTML, read from its store when used: `str(body)`; in a template
    `{{ body|safe }}` (it is sanitised HTML, see markdown.py). Pickled as its text."""

    __slots__ = ("store", "start", "size")

    def __init__(self, store: Source, start: int, size: int):
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
