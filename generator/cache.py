"""The build cache: what earlier builds worked out, kept in `.gongshi-cache/` in the site folder.

Deleting it at any time only costs time: every entry is checked against what it was made
from before it is used, and a build without it writes the same bytes. It holds

- the records parsed from each source file, keyed by the file's path, size and mtime (with
  their Markdown text, and, for a build that needs only the HTML of the bodies, without it);
  those of a content folder's files also in a few bundles (`Bundled`), which a build reads
  in one go instead of one row per file;
- the HTML of each Markdown body, keyed by the fingerprint of the file it came from, with
  the images it uses and the links it holds;
- for each output folder, what every output file was made from (its signature), and its
  size, mtime and SHA-256 as written, so that an unchanged page is neither rendered nor
  rewritten;
- where each record's fingerprint came from (file and place in it), and for each output
  file that shows a Markdown body what it was made from, unpickled again by a quick build
  after an edit of bodies only (quick.py);
- small memos (the inputs of each template, what the last build read).

One SQLite file; its name carries the format version, and it is emptied when the generator
code or a library it renders with changes (`code_fingerprint`). Any trouble with it (a
read-only site folder, a damaged file) turns it into a cache that remembers nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sqlite3
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .history import CACHE_DIR
from .model import without_text

DATABASE = "build-v7.sqlite"  # the version of SCHEMA: a file of another is deleted
JINJA_DIR = "jinja-v1"  # compiled templates (Jinja's own bytecode cache)
CHECKPOINT_PAGES = 16384  # the write-ahead log is copied into the file when it holds this many pages (64 MB)
# Libraries whose output ends up in the pages: a new version must not reuse old HTML.
LIBRARIES = ("jinja2", "markdown", "pymdownx", "nh3", "feedgen", "yaml", "lxml")

# Large blobs last in a row: SQLite reads a row's columns in order, through the overflow
# pages of a large value before it. The outputs' rows, small and read a folder at a time at
# every build, are kept in the order of their key (WITHOUT ROWID): with a rowid, a row
# rewritten goes to the end, and a folder's rows get scattered over the file (21,000 files:
# 18-22 ms to read, against 24-34 ms in a cache a day old and 42-61 ms in no order at all).
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,
                                    digest BLOB, shape BLOB, light BLOB, records BLOB);
CREATE TABLE IF NOT EXISTS bundles (folder TEXT, number INTEGER, data BLOB, PRIMARY KEY (folder, number));
CREATE TABLE IF NOT EXISTS html (key BLOB PRIMARY KEY, size INTEGER, assets BLOB, links BLOB, html BLOB);
CREATE TABLE IF NOT EXISTS outputs (folder TEXT, file TEXT, signature BLOB, size INTEGER,
                                    mtime INTEGER, sha256 TEXT, PRIMARY KEY (folder, file)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folders (out TEXT, folder TEXT, mtime INTEGER, PRIMARY KEY (out, folder)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS places (fingerprint BLOB PRIMARY KEY, path TEXT, place TEXT);
CREATE TABLE IF NOT EXISTS snapshots (folder TEXT, file TEXT, signature BLOB, data BLOB,
                                      PRIMARY KEY (folder, file));
"""


def code_fingerprint() -> str:
    """Changes whenever the generator's code, Python or a rendering library changes."""
    digest = hashlib.blake2b(f"{__version__} {sys.version}".encode(), digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            stat = os.stat(spec.origin)
            digest.update(f"{name} {spec.origin} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def records_and_places(records: list[Any]) -> Iterator[tuple[Any, str]]:
    """Each record of a file with its place: "2" is the third, "2/0" the first of its items."""
    for number, record in enumerate(records):
        yield record, str(number)
        for item_number, item in enumerate(getattr(record, "items", ())):
            yield item, f"{number}/{item_number}"


def fingerprint(digest: bytes, name: str, place: str) -> bytes:
    """A record's fingerprint: the digest of its file, the file's name and its place there."""
    return hashlib.blake2b(digest + f"{name}:{place}".encode(), digest_size=16).digest()


def light_blob(records: list[Any]) -> bytes | None:
    """The records pickled without their Markdown text; None when none has any (then the
    records themselves are as light)."""
    if not any(getattr(r, "body", "") for r in records):
        return None
    return pickle.dumps([without_text(r) for r in records], protocol=pickle.HIGHEST_PROTOCOL)


class Written(NamedTuple):
    """One output file as the last build left it (a tuple: a large site reads tens of
    thousands of them at every build)."""

    signature: bytes  # what it was made from (see incremental.py)
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Parsed:
    """The records one source file gave, with the digest of its bytes, and the digest of
    the records without their Markdown text (their `shape`)."""

    digest: bytes
    records: list[Any]
    shape: bytes = b""

    def key(self, name: str, place: str) -> bytes:
        """The fingerprint of the record at `place`: its values but the text of its body,
        so that an edit of a body leaves it as it was (`body_key` follows the text)."""
        return fingerprint(self.shape, name, place)

    def body_key(self, name: str, place: str) -> bytes:
        """The fingerprint of the body of the record at `place`: the whole file's bytes."""
        return fingerprint(self.digest, name, place)


def shape(blob: bytes, light: bytes | None) -> bytes:
    """The digest of a file's records without their text, from their pickles (`light_blob`)."""
    return hashlib.blake2b(light if light is not None else blob, digest_size=16).digest()


BUNDLES = 32  # bundles per content folder: an edit writes one again, a 32nd of the folder


def bundle_of(name: str) -> int:
    """The bundle a source file's records go in (the same in every process, unlike `hash`)."""
    return zlib.crc32(name.encode()) % BUNDLES


class Bundled(NamedTuple):
    """A file's records in a bundle: as `parsed(light=True)` gives them, with the file's
    size and mtime when they were parsed."""

    size: int
    mtime_ns: int
    digest: bytes
    shape: bytes
    records: list[Any]  # without their Markdown text

    @property
    def parsed(self) -> Parsed:
        return Parsed(self.digest, self.records, self.shape)


def _blob(strings: list[str]) -> bytes | None:
    """A body's list of images or links for the cache: most bodies have none (NULL)."""
    return pickle.dumps(strings) if strings else None


def _strings(blob: bytes | None) -> list[str]:
    return pickle.loads(blob) if blob else []


class BuildCache:
    """The cache of one site folder; `BuildCache.disabled()` remembers nothing.

    Reads happen as the build goes; writes wait in memory until `save`, which writes them in
    one short transaction, so two builds of one site (a preview and a build) barely contend.
    """

    def __init__(self, site_dir: Path | None, code: str = ""):
        self.folder = site_dir / CACHE_DIR if site_dir is not None else None
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, Iterable[tuple[Any, ...]]]] = []
        self.parsed_rows: list[tuple[Any, ...]] = []  # for `sources` and `places`, written first
        self.place_rows: list[tuple[Any, ...]] = []
        self._sources: dict[str, tuple[int, int]] | None = None  # path → (size, mtime) remembered
        self._memos: dict[str, bytes] = {}  # key → value pickled, remembered by this build
        if self.folder is not None:
            for old in self.folder.glob("build-v*.sqlite*"):  # the cache of an older generator
                if not old.name.startswith(DATABASE):
                    old.unlink(missing_ok=True)
            try:
                self.db = self._open(self.folder / DATABASE, code or code_fingerprint())
            except (OSError, sqlite3.Error):
                self.db = None

    @classmethod
    def disabled(cls) -> BuildCache:
        return cls(None)

    def reader(self) -> BuildCache:
        """This cache on a connection of its own, for reading (a connection may not cross
        a fork: a forked helper reads through one of these); `close` it after."""
        other = BuildCache.disabled()
        if self.db is not None and self.folder is not None:
            with contextlib.suppress(sqlite3.Error):
                other.db = sqlite3.connect(self.folder / DATABASE, timeout=30, isolation_level=None)
        return other

    @staticmethod
    def _open(path: Path, code: str) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            try:
                # a write-ahead log, synced at checkpoints only: a commit costs no wait for the
                # disk, and a crash loses at most the last builds' entries, never the file
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                # checkpoints (copying the log into the file, and the syncs) once the log holds
                # 64 MB, not 4: a build after an edit writes its 8 MB of memos again, so most
                # of what a checkpoint would copy is replaced before the next (30 ms a build)
                db.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
                db.execute(f"PRAGMA journal_size_limit={CHECKPOINT_PAGES * 4096}")
                db.executescript(SCHEMA)
                row = db.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()
                if row is None or row[0] != code:  # made by other code: start afresh
                    db.executescript("BEGIN IMMEDIATE; DELETE FROM sources; DELETE FROM html;"
                                     "DELETE FROM outputs; DELETE FROM folders; DELETE FROM memo; DELETE FROM places; DELETE FROM bundles;"
                                     "DELETE FROM snapshots; COMMIT;")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code,))
                return db
            except sqlite3.DatabaseError:
                db.close()
                if attempt == 2:
                    raise
                path.unlink(missing_ok=True)  # damaged: start again, once
        raise AssertionError("unreachable")

    @property
    def jinja_folder(self) -> Path | None:
        """Where Jinja keeps compiled templates, or None without a usable cache."""
        if self.db is None or self.folder is None:
            return None
        folder = self.folder / JINJA_DIR
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return folder

    def _read(self, sql: str, values: tuple[Any, ...] = ()) -> list[Any]:
        if self.db is None:
            return []
        try:
            return self.db.execute(sql, values).fetchall()
        except sqlite3.Error:
            self.close()
            return []

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]], lazily: bool = False) -> None:
        """Queue a write for `save`; `lazily`: the rows are made only then (from data that
        does not change meanwhile)."""
        if self.db is None:
            return
        if not lazily and self.pending and self.pending[-1][0] == sql and isinstance(self.pending[-1][1], list):
            self.pending[-1][1].extend(rows)  # one statement for the rows of many files
        else:
            self.pending.append((sql, rows if lazily else list(rows)))

    # ---- parsed source files ----------------------------------------------------------

    def unchanged(self, path: str, size: int, mtime_ns: int, alone: bool = False) -> bool:
        """Whether the file is as when its records were remembered (`alone`: one of a few
        files asked about, not worth reading the list of every file)."""
        if alone and self._sources is None:
            return self._read("SELECT size, mtime FROM sources WHERE path = ?", (path,)) == [(size, mtime_ns)]
        return self._source_list().get(path) == (size, mtime_ns)

    def _source_list(self) -> dict[str, tuple[int, int]]:
        if self._sources is None:
            self._sources = {p: (s, m) for p, s, m in self._read("SELECT path, size, mtime FROM sources")}
        return self._sources

    def parsed(self, paths: list[str], light: bool = False) -> Iterator[Parsed | None]:
        """The remembered records of each file (None where they cannot be read), a few
        hundred files at a time: the records of a whole site need not be in memory twice.
        `light`: without their Markdown text (`model.without_text`), a ninth of the bytes."""
        column = "COALESCE(light, records)" if light else "records"
        for start in range(0, len(paths), 500):
            chunk = tuple(paths[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = {p: rest for p, *rest in
                    self._read(f"SELECT path, digest, shape, {column} FROM sources WHERE path IN ({marks})", chunk)}
            for path in chunk:
                try:
                    digest, records_shape, blob = rows[path]
                    yield Parsed(digest, pickle.loads(blob), records_shape)
                except Exception:  # gone meanwhile, or not what this code wrote: parse it again
                    yield None

    def remember_parsed(self, path: str, size: int, mtime_ns: int, parsed: Parsed, blob: bytes,
                        light: bytes | None = None) -> None:
        """`blob`: the records pickled; `light`: without their text (`light_blob`), worked
        out here when not given. The place of each record goes with its fingerprint."""
        if self.db is None:
            return
        if light is None:
            light = light_blob(parsed.records)
        self.parsed_rows.append((path, size, mtime_ns, parsed.digest, parsed.shape, light, blob))
        self.place_rows += [(key(path, place), path, place)
                            for _, place in records_and_places(parsed.records)
                            for key in (parsed.key, parsed.body_key)]

    def forget_sources_except(self, present: set[str]) -> None:
        """Drop the entries of source files that are gone."""
        self._write("DELETE FROM sources WHERE path = ?", ((p,) for p in self._source_list() if p not in present))

    def bundles(self, folder: str) -> list[dict[str, Bundled]]:
        """The bundles of a content folder (`bundle_of`): file → its records; a bundle
        that is missing or cannot be read is empty."""
        found: list[dict[str, Bundled]] = [{} for _ in range(BUNDLES)]
        for number, data in self._read("SELECT number, data FROM bundles WHERE folder = ?", (folder,)):
            with contextlib.suppress(Exception):  # not what this code wrote: its files are read one by one
                value = pickle.loads(data)
                found[number] = value if isinstance(value, dict) else {}
        return found

    def remember_bundle(self, folder: str, number: int, files: dict[str, Bundled]) -> None:
        self._write("INSERT OR REPLACE INTO bundles VALUES (?, ?, ?)",
                    [(folder, number, pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))])

    def records_of(self, path: str) -> Parsed | None:
        """The remembered records of one file, as they are now."""
        return next(self.parsed([path]))

    def place(self, fingerprint: bytes) -> tuple[str, str] | None:
        rows = self._read("SELECT path, place FROM places WHERE fingerprint = ?", (fingerprint,))
        return rows[0] if rows else None

    # ---- Markdown bodies -------------------------------------------------------------

    def html(self, keys: list[bytes]) -> Iterator[tuple[bytes, bytes, list[str]]]:
        """(key, the HTML as UTF-8, the assets it uses) of each remembered body among `keys`,
        a few hundred at a time."""
        for start in range(0, len(keys), 500):
            chunk = tuple(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for key, html, assets in self._read(f"SELECT key, html, assets FROM html WHERE key IN ({marks})",
                                                chunk):
                yield key, html, _strings(assets)

    def bodies(self, keys: list[bytes]) -> Iterator[tuple[bytes, int, list[str], list[str]]]:
        """(key, the size of the HTML in bytes, the assets it uses, the links it holds) of each
        remembered body among `keys`: what a build needs to know of a body without reading
        it (bodies.CachedBodies reads it if a page needs it)."""
        for start in range(0, len(keys), 500):
            chunk = tuple(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for key, size, assets, links in self._read(
                    f"SELECT key, size, assets, links FROM html WHERE key IN ({marks})", chunk):
                yield key, size, _strings(assets), _strings(links)

    @property
    def database(self) -> Path | None:
        """The cache's file, while it is usable."""
        return self.folder / DATABASE if self.db is not None and self.folder is not None else None

    def remember_html(self, entries: dict[bytes, tuple[Any, list[str], list[str]]]) -> None:
        """key → (HTML, assets, links). The HTML (text, or a bodies.Body) goes in as UTF-8
        bytes, encoded only while it is written: handing the text itself to SQLite would
        leave a UTF-8 copy of it attached to every string."""
        self._write("INSERT OR REPLACE INTO html VALUES (?, ?, ?, ?, ?)",
                    ((key, len(data), _blob(assets), _blob(links), data)
                     for key, (html, assets, links) in entries.items()
                     for data in [html.encode("utf-8") if isinstance(html, str) else bytes(html)]),
                    lazily=True)

    # ---- output folders --------------------------------------------------------------

    def outputs(self, folder: Path) -> dict[str, Written]:
        rows = self._read("SELECT file, signature, size, mtime, sha256 FROM outputs WHERE folder = ?",
                          (str(folder),))
        return {row[0]: Written._make(row[1:]) for row in rows}

    def output_stamps(self, folder: Path) -> dict[str, tuple[int, int]]:
        """The size and mtime of each file the last build left in `folder` (`outputs`, but
        only what a look at the folder compares)."""
        rows = self._read("SELECT file, size, mtime FROM outputs WHERE folder = ?", (str(folder),))
        return {row[0]: row[1:] for row in rows}

    def remember_outputs(self, folder: Path, changed: dict[str, Written], removed: Iterable[str]) -> None:
        key, removed = str(folder), list(removed)
        self._write("DELETE FROM outputs WHERE folder = ? AND file = ?", ((key, f) for f in removed))
        self._write("DELETE FROM snapshots WHERE folder = ? AND file = ?", ((key, f) for f in removed))
        self._write("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?)",
                    ((key, f, w.signature, w.size, w.mtime_ns, w.sha256) for f, w in changed.items()))

    def folder_times(self, out: Path) -> dict[str, int]:
        """The mtime of each folder of `out` holding a file, as the last build left it
        (`output.folder_times`; "" is `out` itself)."""
        return dict(self._read("SELECT folder, mtime FROM folders WHERE out = ?", (str(out),)))

    def remember_folder_times(self, out: Path, times: dict[str, int | None], whole: bool) -> None:
        """`times` of the folders a build wrote in or removed from (None: gone), or, `whole`,
        of every folder."""
        key = str(out)
        if whole:
            self._write("DELETE FROM folders WHERE out = ?", [(key,)])
        self._write("DELETE FROM folders WHERE out = ? AND folder = ?", ((key, d) for d, t in times.items() if t is None))
        self._write("INSERT OR REPLACE INTO folders VALUES (?, ?, ?)",
                    ((key, d, t) for d, t in times.items() if t is not None))

    def snapshots(self, folder: Path, files: list[str]) -> dict[str, tuple[bytes, bytes]]:
        """file → (signature, data) of the snapshots remembered for `files`."""
        marks = ",".join("?" * len(files))
        rows = self._read(f"SELECT file, signature, data FROM snapshots WHERE folder = ? AND file IN ({marks})",
                          (str(folder), *files))
        return {file: (signature, data) for file, signature, data in rows}

    def remember_snapshots(self, folder: Path, rows: dict[str, tuple[bytes, bytes]]) -> None:
        key = str(folder)
        self._write("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?)",
                    ((key, file, signature, data) for file, (signature, data) in rows.items()))

    def forget_outputs(self, folder: Path) -> None:
        self._write("DELETE FROM outputs WHERE folder = ?", [(str(folder),)])

    # ---- small memos -------------------------------------------------------------------

    def memo(self, key: str) -> Any:
        """What was remembered under `key`, by an earlier build or by this one."""
        data = self._memos.get(key)
        if data is None:
            rows = self._read("SELECT value FROM memo WHERE key = ?", (key,))
            data = rows[0][0] if rows else None
        try:
            return pickle.loads(data) if data is not None else None
        except Exception:
            return None

    def memo_rows(self, prefix: str) -> dict[str, bytes]:
        """The bytes remembered under each key that starts with `prefix` (`remember_rows`), by
        the rest of the key."""
        rows = self._read("SELECT key, value FROM memo WHERE key >= ? AND key < ?", (prefix, prefix + "\U0010ffff"))
        return {key[len(prefix):]: value for key, value in rows}

    def remember_rows(self, prefix: str, rows: dict[str, bytes], before: dict[str, bytes]) -> None:
        """Remember each of `rows` under `prefix` and its name, as `memo_rows` gives them back:
        only those not as in `before` (what `memo_rows` gave) are written, and those no longer
        there are dropped (a build after an edit writes a few of 371 families, not 4 MB)."""
        self._write("DELETE FROM memo WHERE key = ?", [(prefix + name,) for name in before if name not in rows])
        self._write("INSERT OR REPLACE INTO memo VALUES (?, ?)",
                    [(prefix + name, data) for name, data in rows.items() if before.get(name) != data])

    def remember(self, key: str, value: Any, hold: bool = True) -> None:
        """`hold`: keep the pickle in memory for `memo` until the build ends (else it is
        let go once saved, and `memo` reads what was saved before)."""
        if self.db is None:
            return
        data = pickle.dumps(value)
        if hold:
            self._memos[key] = data
        self._write("INSERT OR REPLACE INTO memo VALUES (?, ?)", [(key, data)])

    # ---- writing -----------------------------------------------------------------------

    def save(self) -> None:
        """Write what this build added, in one transaction."""
        if self.db is None or not (self.pending or self.parsed_rows):
            return
        pending = [("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)", self.parsed_rows),
                   ("INSERT OR REPLACE INTO places VALUES (?, ?, ?)", self.place_rows), *self.pending]
        try:
            self.db.execute("BEGIN IMMEDIATE")
            for sql, rows in pending:
                self.db.executemany(sql, rows)
            self.db.execute("COMMIT")
        except sqlite3.Error:
            self.close()
        self.pending, self.parsed_rows, self.place_rows = [], [], []

    def close(self) -> None:
        if self.db is not None:
            try:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
