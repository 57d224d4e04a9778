"""Load stage: the site's files → typed records, every problem reported with file and line.

Each source kind has its place (shared/domain.md, "The contract, field by field"):

    site_config.yml                      SiteConfig
    content/units.yml                    Unit list
    content/news/**.md                   Article (front matter + Markdown)
    content/documents/**.md              Document
    content/rectification/<unit>.yml     Ledger of LedgerItem
    content/commitments/<id>.yml         Commitment
    content/meetings/**.md               Meeting
    content/opinions.yml                 Opinion list
    content/rules.yml                    Rule list
    content/pages/**.md                  Page
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .. import parallel
from ..cache import BuildCache, Bundled, Parsed, bundle_of, light_blob, records_and_places, shape
from ..errors import Problems, Source, SourceError, relpath
from ..fields import Slug, build_record
from ..incremental import Stamps
from ..model import (
    Article,
    Commitment,
    Content,
    Document,
    Ledger,
    Meeting,
    Opinion,
    Page,
    Rule,
    SiteConfig,
    Unit,
    without_text,
)
from .frontmatter import split_front_matter
from .text import decode, read_bytes
from .yamlpos import YList, YMap, parse_yaml

T = TypeVar("T")
FAILED: Any = object()  # a file that could not be read or parsed (the problem is reported)
CONFIG_FILE = "site_config.yml"
CONTENT_DIR = "content"


class SiteFiles:
    """Finds and reads the files of one site folder, refusing links that leave it.

    With a build cache, a file whose path, size and mtime are as when it was last parsed
    without problems is not read again: its records come from the cache. Each record that
    came from a file gets a fingerprint (of its values, all but the text of its body, and
    its place), which later tells which pages show something that changed; a record with a
    body also gets the fingerprint of its body (of the file's bytes).
    """

    def __init__(self, root: Path, problems: Problems, cache: BuildCache | None = None,
                 stamps: Stamps | None = None):
        self.root = root.resolve()
        self.problems = problems
        self.cache = cache or BuildCache.disabled()
        self.stamps = stamps or {}  # path → (size, mtime) as the build found them (incremental.input_files)
        self.fingerprints: dict[int, tuple[object, bytes]] = {}  # id(record) → (record, fingerprint)
        self.body_keys: dict[int, bytes] = {}  # id(record) → the fingerprint of its body (Parsed.body_key)
        self.present: set[str] = set()  # every source file looked at, site-relative
        self._digest: bytes | None = None  # of the file `text` read last

    def where(self, path: Path) -> Source:
        return Source(self.name(path))

    def name(self, path: str | Path) -> str:
        text, root = os.fspath(path), str(self.root)
        if text.startswith(root + os.sep):
            return text[len(root) + 1 :].replace(os.sep, "/")
        return relpath(Path(path), self.root)

    def inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            self.problems.add("E005", self.where(path), target=os.path.realpath(path))
            return False
        return True

    def walk(self, folder: str, suffixes: tuple[str, ...]) -> Iterator[str]:
        """The files under content/<folder> with one of `suffixes`, in path order; names
        starting with `.` or `_` are skipped, linked folders never followed. Paths as
        strings: most of them only look their records up in the cache."""
        base = self.root / CONTENT_DIR / folder
        if not base.is_dir():
            return
        linked = base.resolve() != base  # content/ or the folder itself is a link: check every file
        found: list[tuple[tuple[str, ...], str, str]] = []  # (parts, path, "folder" link / "check" / "")
        folders: list[tuple[tuple[str, ...], str]] = [((), str(base))]
        while folders:
            parts, current = folders.pop()
            try:
                entries = list(os.scandir(current))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                here = (*parts, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    folders.append((here, entry.path))
                elif entry.is_symlink() and entry.is_dir():
                    found.append((here, entry.path, "folder"))
                elif os.path.splitext(entry.name)[1].lower() in suffixes and entry.is_file():
                    found.append((here, entry.path, "check" if linked or entry.is_symlink() else ""))
        for _, name, kind in sorted(found, key=lambda f: f[0]):
            if kind == "folder":  # never followed; one leaving the site is an error
                self.inside(Path(name))
            elif not kind or self.inside(Path(name)):
                yield name

    def text(self, path: Path) -> str | None:
        if path.is_symlink() and not self.inside(path):
            return None
        where = self.where(path)
        data = read_bytes(path, where, self.problems)
        if data is None:
            return None
        self._digest = hashlib.blake2b(data, digest_size=16).digest()
        return decode(data, where, self.problems)

    def yaml(self, path: Path) -> Any:
        """The parsed file (None if it is empty), or FAILED after reporting why."""
        text = self.text(path)
        if text is None:
            return FAILED
        before = len(self.problems.errors)
        data = parse_yaml(text, self.where(path), self.problems)
        return FAILED if data is None and len(self.problems.errors) > before else data

    def records(self, path: Path, parse: Callable[[Path], list[T]]) -> list[T]:
        return self.records_of([path], parse)[0]

    def records_of(self, paths: Sequence[str | Path], parse: Callable[[Path], list[T]],
                   folder: str = "") -> list[list[T]]:
        """The records of each file: remembered if the file is unchanged since it was parsed
        without problems, else `parse(path)` (in worker processes when there are many files),
        then remembered. The files of a content `folder` are remembered in its bundles too
        (`cache.Bundled`), read first."""
        found: list[list[T]] = [[] for _ in paths]
        todo: list[tuple[int, str, tuple[int, int]]] = []
        asked: list[tuple[int, str, tuple[int, int]]] = []  # not in a bundle as they are: in the cache?
        remembered: list[tuple[int, str, tuple[int, int]]] = []
        held = self.cache.bundles(folder) if folder and self.cache.db is not None else None
        bundled: dict[str, Bundled] = {}  # file → its records, for the bundles as they are now
        for n, path in enumerate(paths):
            name = self.name(path)
            self.present.add(name)
            stamp = self.stamps.get(os.fspath(path))
            if stamp is None:
                try:
                    stat = os.stat(path)
                except OSError:
                    found[n] = parse(Path(path))  # which reports why it cannot be read
                    continue
                stamp = (stat.st_size, stat.st_mtime_ns)
            kept = held[bundle_of(name)].get(name) if held else None
            if kept is not None and (kept.size, kept.mtime_ns) == stamp:
                bundled[name] = kept
                found[n] = self._known(name, kept.parsed)
                continue
            asked.append((n, name, stamp))
        for entry in asked:  # for a few files (an edit), not worth reading the list of every file
            (remembered if self.cache.unchanged(entry[1], *entry[2], alone=len(asked) <= 20) else todo).append(entry)
        # without their Markdown text: the HTML of an unchanged body is in the cache (build.render_bodies)
        for entry, parsed in zip(remembered, self.cache.parsed([name for _, name, _ in remembered], light=True),
                                 strict=True):
            if parsed is None:
                todo.append(entry)
            else:
                found[entry[0]] = self._known(entry[1], parsed)
                bundled[entry[1]] = Bundled(*entry[2], parsed.digest, parsed.shape, parsed.records)
        todo.sort(key=lambda entry: entry[0])
        results = parallel.run(len(todo), lambda i: self._parse(Path(paths[todo[i][0]]), parse))
        for (n, name, stamp), (digest, blob, light, errors) in zip(todo, results, strict=True):
            self.problems.errors.extend(errors)
            parsed = Parsed(digest or b"", pickle.loads(blob), shape(blob, light))
            if digest is None:
                found[n] = parsed.records
                continue
            found[n] = self._known(name, parsed)
            if not errors:
                self.cache.remember_parsed(name, *stamp, parsed, blob, light)
                bundled[name] = Bundled(*stamp, digest, parsed.shape, [without_text(r) for r in parsed.records])
        if held is not None:
            self._rebundle(folder, held, bundled)
        return found

    def _rebundle(self, folder: str, held: list[dict[str, Bundled]], bundled: dict[str, Bundled]) -> None:
        """Write again each bundle whose files are not the ones it holds, as they are now."""
        now: list[dict[str, Bundled]] = [{} for _ in held]
        for name, entry in bundled.items():
            now[bundle_of(name)][name] = entry
        for number, (before, after) in enumerate(zip(held, now, strict=True)):
            if before.keys() != after.keys() or any(before[n][:2] != e[:2] for n, e in after.items()):
                self.cache.remember_bundle(folder, number, after)

    def _parse(self, path: Path, parse: Callable[[Path], list[T]]
               ) -> tuple[bytes | None, bytes, bytes | None, list[SourceError]]:
        """(digest of the file, its records pickled with and without their text, its
        problems): what travels back from a worker process."""
        saved, self.problems, self._digest = self.problems, Problems(), None
        try:
            records = parse(path)
            return (self._digest, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), light_blob(records),
                    self.problems.errors)
        finally:
            self.problems = saved

    def _known(self, name: str, parsed: Parsed) -> list[Any]:
        for record, place in records_and_places(parsed.records):
            self.fingerprints[id(record)] = (record, parsed.key(name, place))
            if hasattr(record, "body"):
                self.body_keys[id(record)] = parsed.body_key(name, place)
        return parsed.records


def _expect(value: Any, shape: type, where: Source, problems: Problems) -> bool:
    names = {YMap: "一组“字段: 值”", YList: "一个列表（每项以“- ”开头）"}
    if isinstance(value, shape):
        return True
    actual = "空文件" if value is None else names.get(type(value), f"“{str(value)[:30]}”")
    problems.add("E014", where.at(getattr(value, "line", where.line or 1)), expected=names[shape], actual=actual)
    return False


def load_config(files: SiteFiles) -> SiteConfig | None:
    path = files.root / CONFIG_FILE
    where = files.where(path)
    if not path.is_file():
        files.problems.add("E003", where, name=CONFIG_FILE,
                           hint="在站点目录里创建 site_config.yml，或用 gongshi init 新建一个站点")
        return None
    data = files.yaml(path)
    if data is FAILED or not _expect(data, YMap, where, files.problems):
        return None
    return build_record(SiteConfig, data, where, files.problems)


def _load_list(files: SiteFiles, name: str, cls: Callable[..., T], required: bool) -> list[T]:
    path = files.root / CONTENT_DIR / name
    where = files.where(path)
    if not path.is_file():
        if required:
            files.problems.add("E003", where, name=f"{CONTENT_DIR}/{name}",
                               hint=f"创建 {CONTENT_DIR}/{name}，每项以“- ”开头")
        return []

    def parse(path: Path) -> list[T]:
        data = files.yaml(path)
        if data is None and not required:  # an optional list with nothing in it yet
            return []
        if data is FAILED or not _expect(data, YList, where, files.problems):
            return []
        records = []
        for entry, line in zip(data, data.lines):
            if _expect(entry, YMap, where.at(line), files.problems):
                record = build_record(cls, entry, where.at(line), files.problems)
                if record is not None:
                    records.append(record)
        return records

    return files.records(path, parse)


def _default_id(record: T, path: Path, files: SiteFiles) -> T | None:
    """Records whose id defaults to their file name (news, documents, meetings, pages)."""
    if getattr(record, "id", ""):
        return record
    value = Slug().convert(path.stem, "id（文件名）", files.where(path).at(1), files.problems)
    if not isinstance(value, str):
        return None
    return dataclasses.replace(record, id=value)  # type: ignore[type-var]


def _each(files: SiteFiles, folder: str, suffixes: tuple[str, ...],
          parse: Callable[[Path], T | None]) -> list[T]:
    """The records of every file in a folder, one record (at most) per file."""
    paths = list(files.walk(folder, suffixes))
    found = files.records_of(paths, lambda p: [r] if (r := parse(p)) is not None else [], folder)
    return [record for records in found for record in records]


def _markdown_record(files: SiteFiles, path: Path, cls: Callable[..., T]) -> T | None:
    where = files.where(path)
    text = files.text(path)
    if text is None:
        return None
    parts = split_front_matter(text, where, files.problems)
    if parts is None:
        return None
    header, body, body_line = parts
    before = len(files.problems.errors)
    data = parse_yaml(header, where, files.problems, line_offset=1)
    if data is None and len(files.problems.errors) == before:  # an empty header
        data = YMap()
        data.line, data.lines = 2, {}
    if data is None or not _expect(data, YMap, where.at(2), files.problems):
        return None
    record = build_record(cls, data, where, files.problems, body=body, body_line=body_line,
                          origin=where.at(1))
    return _default_id(record, path, files) if record is not None else None


MARKDOWN = {"news": Article, "documents": Document, "meetings": Meeting, "pages": Page}  # folder → kind


def _load_markdown(files: SiteFiles, folder: str) -> list[Any]:
    return _each(files, folder, (".md",), lambda path: _markdown_record(files, path, MARKDOWN[folder]))


def read_markdown(root: Path, name: str) -> tuple[Parsed, bytes] | None:
    """One Markdown file of the content (`content/news/….md`, site-relative) read as a build
    reads it: its records with its digest, and the records pickled as the cache keeps
    them; None if it is not such a file or has any problem."""
    parts = name.split("/")
    if len(parts) < 3 or parts[0] != CONTENT_DIR or parts[1] not in MARKDOWN or not name.endswith(".md") \
            or any(part.startswith((".", "_")) for part in parts[2:]):
        return None
    files = SiteFiles(root, Problems())
    record = _markdown_record(files, root / name, MARKDOWN[parts[1]])
    if files.problems or files._digest is None:
        return None
    records = [record] if record is not None else []
    blob = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
    return Parsed(files._digest, records, shape(blob, light_blob(records))), blob


def _yaml_record(files: SiteFiles, path: Path, cls: Callable[..., T]) -> tuple[T | None, Any]:
    """A file holding one record: (the record or None, the parsed mapping)."""
    where = files.where(path)
    data = files.yaml(path)
    if data is FAILED or not _expect(data, YMap, where, files.problems):
        return None, data
    return build_record(cls, data, where, files.problems, origin=where.at(1)), data


def _load_ledger(files: SiteFiles, path: Path) -> Ledger | None:
    ledger, data = _yaml_record(files, path, Ledger)
    if ledger is None:
        return None
    if path.stem != ledger.unit:
        files.problems.add("E046", files.where(path).at(data.lines.get("unit")), name=path.name, unit=ledger.unit)
    items = tuple(dataclasses.replace(item, unit=ledger.unit) for item in ledger.items)
    return dataclasses.replace(ledger, items=items)


def _load_commitment(files: SiteFiles, path: Path) -> Commitment | None:
    record, _ = _yaml_record(files, path, Commitment)
    return _default_id(record, path, files) if record is not None else None


LEDGERS = "rectification"  # the folder of content/ the ledgers are in
YAML = (".yml", ".yaml")  # the suffixes of the YAML files of a content folder


def _ledgers(files: SiteFiles) -> tuple[Ledger, ...]:
    return tuple(_each(files, LEDGERS, YAML, lambda p: _load_ledger(files, p)))


def load_ledgers(root: Path, problems: Problems, cache: BuildCache, fingerprints: dict[int, tuple[object, bytes]],
                 stamps: Stamps) -> tuple[Ledger, ...]:
    """Read the ledgers alone, as `load_site` reads them (for a site whose other files
    are as an earlier build read them: build.prepare)."""
    files = SiteFiles(root, problems, cache, stamps)
    ledgers = _ledgers(files)
    fingerprints.update(files.fingerprints)
    return ledgers


def load_site(root: Path, problems: Problems, cache: BuildCache | None = None,
              fingerprints: dict[int, tuple[object, bytes]] | None = None,
              stamps: Stamps | None = None, body_keys: dict[int, bytes] | None = None) -> Content | None:
    """Read every source of the site; None if the configuration itself is unusable.

    `cache`: where unchanged files' records are remembered between builds; `fingerprints`
    is filled with id(record) → (record, fingerprint) for every record read from a file,
    `body_keys` with id(record) → the fingerprint of its body; `stamps`: the size and mtime
    of the files, when the build found them already.
    """
    files = SiteFiles(root, problems, cache, stamps)
    config = load_config(files)
    content = Content(
        config=config,  # type: ignore[arg-type]
        units=tuple(_load_list(files, "units.yml", Unit, required=True)),
        articles=tuple(_load_markdown(files, "news")),
        documents=tuple(_load_markdown(files, "documents")),
        ledgers=_ledgers(files),
        commitments=tuple(_each(files, "commitments", YAML, lambda p: _load_commitment(files, p))),
        meetings=tuple(_load_markdown(files, "meetings")),
        opinions=tuple(_load_list(files, "opinions.yml", Opinion, required=False)),
        rules=tuple(_load_list(files, "rules.yml", Rule, required=False)),
        pages=tuple(_load_markdown(files, "pages")),
    )
    files.cache.forget_sources_except(files.present)
    if fingerprints is not None:
        fingerprints.update(files.fingerprints)
    if body_keys is not None:
        body_keys.update(files.body_keys)
    return content if config is not None else None
