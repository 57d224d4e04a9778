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
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Problems, Source, relpath
from ..fields import Slug, build_record
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
)
from .frontmatter import split_front_matter
from .text import read_text
from .yamlpos import YList, YMap, parse_yaml

T = TypeVar("T")
FAILED: Any = object()  # a file that could not be read or parsed (the problem is reported)
CONFIG_FILE = "site_config.yml"
CONTENT_DIR = "content"


class SiteFiles:
    """Finds and reads the files of one site folder, refusing links that leave it."""

    def __init__(self, root: Path, problems: Problems):
        self.root = root.resolve()
        self.problems = problems

    def where(self, path: Path) -> Source:
        return Source(relpath(path, self.root))

    def inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except ValueError:
            self.problems.add("E005", self.where(path), target=os.path.realpath(path))
            return False
        return True

    def walk(self, folder: str, suffixes: tuple[str, ...]) -> Iterator[Path]:
        base = self.root / CONTENT_DIR / folder
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            if any(part.startswith((".", "_")) for part in path.relative_to(base).parts):
                continue
            if path.is_symlink() and path.is_dir():  # never followed; one leaving the site is an error
                self.inside(path)
                continue
            if path.suffix.lower() in suffixes and path.is_file() and self.inside(path):
                yield path

    def text(self, path: Path) -> str | None:
        if path.is_symlink() and not self.inside(path):
            return None
        return read_text(path, self.where(path), self.problems)

    def yaml(self, path: Path) -> Any:
        """The parsed file (None if it is empty), or FAILED after reporting why."""
        text = self.text(path)
        if text is None:
            return FAILED
        before = len(self.problems.errors)
        data = parse_yaml(text, self.where(path), self.problems)
        return FAILED if data is None and len(self.problems.errors) > before else data


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


def _default_id(record: T, path: Path, files: SiteFiles) -> T | None:
    """Records whose id defaults to their file name (news, documents, meetings, pages)."""
    if getattr(record, "id", ""):
        return record
    value = Slug().convert(path.stem, "id（文件名）", files.where(path).at(1), files.problems)
    if not isinstance(value, str):
        return None
    return dataclasses.replace(record, id=value)  # type: ignore[type-var]


def _load_markdown(files: SiteFiles, folder: str, cls: Callable[..., T]) -> list[T]:
    records = []
    for path in files.walk(folder, (".md",)):
        where = files.where(path)
        text = files.text(path)
        if text is None:
            continue
        parts = split_front_matter(text, where, files.problems)
        if parts is None:
            continue
        header, body, body_line = parts
        before = len(files.problems.errors)
        data = parse_yaml(header, where, files.problems, line_offset=1)
        if data is None and len(files.problems.errors) == before:  # an empty header
            data = YMap()
            data.line, data.lines = 2, {}
        if data is None or not _expect(data, YMap, where.at(2), files.problems):
            continue
        record = build_record(cls, data, where, files.problems, body=body, body_line=body_line,
                              origin=where.at(1))
        if record is not None:
            record = _default_id(record, path, files)
        if record is not None:
            records.append(record)
    return records


def _load_ledgers(files: SiteFiles) -> list[Ledger]:
    ledgers = []
    for path in files.walk("rectification", (".yml", ".yaml")):
        where = files.where(path)
        data = files.yaml(path)
        if data is FAILED or not _expect(data, YMap, where, files.problems):
            continue
        ledger = build_record(Ledger, data, where, files.problems, origin=where.at(1))
        if ledger is None:
            continue
        if path.stem != ledger.unit:
            files.problems.add("E046", where.at(data.lines.get("unit")), name=path.name, unit=ledger.unit)
        items = tuple(dataclasses.replace(item, unit=ledger.unit) for item in ledger.items)
        ledgers.append(dataclasses.replace(ledger, items=items))
    return ledgers


def _load_commitments(files: SiteFiles) -> list[Commitment]:
    found = []
    for path in files.walk("commitments", (".yml", ".yaml")):
        where = files.where(path)
        data = files.yaml(path)
        if data is FAILED or not _expect(data, YMap, where, files.problems):
            continue
        record = build_record(Commitment, data, where, files.problems, origin=where.at(1))
        if record is not None:
            record = _default_id(record, path, files)
        if record is not None:
            found.append(record)
    return found


def load_site(root: Path, problems: Problems) -> Content | None:
    """Read every source of the site; None if the configuration itself is unusable."""
    files = SiteFiles(root, problems)
    config = load_config(files)
    content = Content(
        config=config,  # type: ignore[arg-type]
        units=tuple(_load_list(files, "units.yml", Unit, required=True)),
        articles=tuple(_load_markdown(files, "news", Article)),
        documents=tuple(_load_markdown(files, "documents", Document)),
        ledgers=tuple(_load_ledgers(files)),
        commitments=tuple(_load_commitments(files)),
        meetings=tuple(_load_markdown(files, "meetings", Meeting)),
        opinions=tuple(_load_list(files, "opinions.yml", Opinion, required=False)),
        rules=tuple(_load_list(files, "rules.yml", Rule, required=False)),
        pages=tuple(_load_markdown(files, "pages", Page)),
    )
    return content if config is not None else None
