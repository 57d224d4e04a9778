"""Validate stage: rules that span records (references, duplicates, dates that must agree).

Field-level checks (types, vocabularies, required and unknown fields) happened while
loading; here every record is already typed and carries its file and line.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import Problems, Source
from .load.site import CONTENT_DIR, SiteFiles
from .load.yamlpos import YList, YMap
from .model import Content, Evaluation, Unit
from .render import theme_dirs

UNITS_FILE = f"{CONTENT_DIR}/units.yml"


def _suggest(value: str, units: dict[str, Unit]) -> str:
    by_name = {u.name: u.id for u in units.values()}
    if value in by_name:
        return f"单位要写标识而不是名称：改为 {by_name[value]}"
    close = difflib.get_close_matches(value, list(units) + list(by_name), n=1, cutoff=0.5)
    if close:
        unit_id = by_name.get(close[0], close[0])
        return f"是不是 {unit_id}（{units[unit_id].name}）？单位标识见 content/units.yml"
    return "单位标识见 content/units.yml；新单位请先在那里添加"


def _declared_units(root: Path) -> set[str] | None:
    """Every id written in units.yml, also of entries that did not load; None if the file is unusable."""
    data = SiteFiles(root, Problems()).yaml(root / UNITS_FILE)
    if not isinstance(data, YList):
        return None
    return {str(entry["id"]).strip() for entry in data if isinstance(entry, YMap) and "id" in entry}


class Validator:
    def __init__(self, content: Content, root: Path, problems: Problems):
        self.content = content
        self.root = root
        self.content_prefix = str((root / CONTENT_DIR).resolve()) + os.sep  # of any file inside content/
        self.real_folders: dict[str, str] = {}  # site-relative folder → its real path (real_file)
        self.problems = problems
        self.units = {u.id: u for u in content.units}
        self.documents = {d.id for d in content.documents}
        # A record that failed to load was reported already: a reference to it is not
        # reported again as unknown (one mistake, one error, not one per reference).
        broken = {e.file for e in problems.errors}
        self.declared_units: set[str] | None = set(self.units)
        if UNITS_FILE in broken:
            self.declared_units = _declared_units(root)
        self.declared_documents = self.documents | {
            posixpath.splitext(posixpath.basename(f))[0]
            for f in broken if f.startswith(f"{CONTENT_DIR}/documents/")}

    # The checks below take a record's origin and the name of the field they check, and
    # work out the field's line (`Source.key`) only for a problem: most records have none.

    def unit_ref(self, value: str | None, origin: Source, name: str) -> None:
        if value is None or value in self.units:
            return
        if self.declared_units is None or value in self.declared_units:
            return  # the problem is in units.yml, and reported there
        self.problems.add("E040", origin.key(name), value=value, suggestion=_suggest(value, self.units))

    def document_ref(self, value: str | None, origin: Source, name: str) -> None:
        if value is not None and value not in self.declared_documents:
            self.problems.add("E042", origin.key(name), value=value, suggestion=self.doc_hint(value))

    def unique(self, records: Iterable[tuple[str, Source]], name: str = "id") -> None:
        """(value, origin) of records whose field `name` must differ (an origin without
        field lines, like the `columns[i]` of the configuration, stands for the field)."""
        seen: dict[str, Source] = {}
        for key, origin in records:
            if key in seen:
                self.problems.add("E043", origin.key(name), value=key, other=seen[key].key(name))
            else:
                seen[key] = origin

    def evaluation(self, ev: Evaluation | None, origin: Source) -> None:
        """The `evaluation` field of the record at `origin`."""
        if ev is None:
            return
        total = ev.satisfied + ev.basically_satisfied + ev.dissatisfied
        if total != ev.participants:
            where = ev.origin if ev.origin.file else origin.key("evaluation")
            self.problems.add("E047", where, satisfied=ev.satisfied,
                              basic=ev.basically_satisfied, dis=ev.dissatisfied, total=total,
                              participants=ev.participants)

    def date_range(self, start_key: str, start: object, end_key: str, end: object, where: Source) -> None:
        if start > end:  # type: ignore[operator]
            self.problems.add("E048", where, start_key=start_key, start=start, end_key=end_key, end=end)

    def corrected(self, date: object, updated: object, origin: Source) -> None:
        """A correction (`updated`) cannot come before the publication it corrects."""
        if updated is not None:
            self.date_range("date", date, "updated", updated, origin.key("updated"))

    def run(self) -> None:
        self.config()
        self.unit_tree()
        self.articles()
        self.ledgers()
        self.commitments()
        c = self.content
        self.unique((m.id, m.origin) for m in c.meetings)
        for m in c.meetings:
            self.unit_ref(m.unit, m.origin, "unit")
            self.evaluation(m.evaluation, m.origin)
            self.corrected(m.date, m.updated, m.origin)
        for o in c.opinions:
            if o.unit != "all":
                self.unit_ref(o.unit, o.origin, "unit")
        self.unique(((o.unit, o.origin) for o in c.opinions), "unit")
        self.unique((r.id, r.origin) for r in c.rules)
        for r in c.rules:
            self.unit_ref(r.unit, r.origin, "unit")
            self.document_ref(r.document, r.origin, "document")
        self.unique((p.id, p.origin) for p in c.pages)

    def config(self) -> None:
        cfg = self.content.config
        self.date_range("campaign.start", cfg.campaign.start, "campaign.end", cfg.campaign.end,
                        cfg.origin.key("campaign"))
        for i, phase in enumerate(cfg.phases):
            self.date_range("start", phase.start, "end", phase.end, cfg.origin.key(f"phases[{i}]"))
        self.unique((col.id, cfg.origin.key(f"columns[{i}]")) for i, col in enumerate(cfg.columns))
        self.unique((g.id, cfg.origin.key(f"supervision_groups[{i}]"))
                    for i, g in enumerate(cfg.supervision_groups))
        badge = cfg.footer.badge_image
        if badge and not self.static_file(badge):
            self.problems.add("E054", cfg.origin.key("footer"), src=badge)

    def static_file(self, name: str) -> bool:
        """A file of the theme's static/ folder (the site's own, or the default theme's)."""
        path = posixpath.normpath(name)
        if path.startswith(("/", "../")) or path == "..":
            return False
        return any((theme / "static" / path).is_file() for theme in theme_dirs(self.root))

    def unit_tree(self) -> None:
        units = self.content.units
        groups = {g.id for g in self.content.config.supervision_groups}
        self.unique((u.id, u.origin) for u in units)
        for unit in units:
            self.unit_ref(unit.parent, unit.origin, "parent")
            if unit.supervision_group and unit.supervision_group not in groups:
                self.problems.add("E049", unit.origin.key("supervision_group"), value=unit.supervision_group,
                                  choices="、".join(sorted(groups)) or "（尚未定义）")
            seen, current = {unit.id}, unit.parent
            while current in self.units:
                if current in seen:
                    self.problems.add("E050", unit.origin.key("parent"), name=unit.name)
                    break
                seen.add(current)
                current = self.units[current].parent

    def doc_hint(self, value: str) -> str:
        close = difflib.get_close_matches(value, sorted(self.documents), n=1, cutoff=0.5)
        return (f"是不是 {close[0]}？" if close else "") + "文件标识是 content/documents/ 下的文件名（不含 .md）"

    def articles(self) -> None:
        c = self.content
        columns = {col.id for col in c.config.columns}
        for kind in (c.articles, c.documents):
            self.unique((a.id, a.origin) for a in kind)
        for a in (*c.articles, *c.documents):
            if a.column not in columns:
                self.problems.add("E041", a.origin.key("column"), value=a.column,
                                  choices="、".join(sorted(columns)))
            self.unit_ref(a.unit, a.origin, "unit")
            self.corrected(a.date, a.updated, a.origin)
            for i, image in enumerate(a.images):
                self.image(image.src, a.origin.file, a.origin.key(f"images[{i}]"))
        for d in c.documents:
            self.document_ref(d.forwards, d.origin, "forwards")

    def image(self, src: str, record_file: str, where: Source) -> None:
        """An image named in front matter: a file beside its Markdown file, inside content/.

        Anything else (an absolute path, `../` out of content/, a link out of the site) would
        copy a file that is not content into the public output.
        """
        path = posixpath.normpath(posixpath.join(posixpath.dirname(record_file), src))
        if "://" in src or src.startswith("/") or not path.startswith(f"{CONTENT_DIR}/"):
            self.problems.add("E053", where, src=src)
            return
        real, is_file = self.real_file(path)
        if not real.startswith(self.content_prefix):
            self.problems.add("E053", where, src=src)
        elif not is_file:
            self.problems.add("E051", where, src=src)

    def real_file(self, path: str) -> tuple[str, bool]:
        """The real path of a site-relative `path` (links followed, as `Path.resolve`) and
        whether it is a file. Many images share a folder: a folder's real path is worked out
        once, and the file itself takes one `lstat` unless it is a link."""
        folder, name = posixpath.split(path)
        if folder not in self.real_folders:
            self.real_folders[folder] = os.path.realpath(self.root / folder)
        real = os.path.join(self.real_folders[folder], name)
        try:
            mode = os.lstat(real).st_mode
        except OSError:
            return real, False
        if stat.S_ISLNK(mode):
            real = os.path.realpath(real)
            return real, os.path.isfile(real)
        return real, stat.S_ISREG(mode)

    def ledgers(self) -> None:
        self.unique(((ledger.unit, ledger.origin) for ledger in self.content.ledgers), "unit")
        for ledger in self.content.ledgers:
            self.unit_ref(ledger.unit, ledger.origin, "unit")
            self.unique((item.id, item.origin) for item in ledger.items)
            for item in ledger.items:
                if item.status == "已完成" and item.completed is None:
                    self.problems.add("E044", item.origin.key("status"))
                if item.status != "已完成" and item.completed is not None:
                    self.problems.add("E045", item.origin.key("completed"))
                dates = [p.date for p in item.progress]
                if dates != sorted(dates):
                    self.problems.add("E052", item.origin.key("progress"))
                self.evaluation(item.evaluation, item.origin)

    def commitments(self) -> None:
        for commitment in self.content.commitments:
            self.unit_ref(commitment.unit, commitment.origin, "by")
            self.unique((item.id, item.origin) for item in commitment.items)


def validate(content: Content, root: Path, problems: Problems, ledgers_only: bool = False) -> None:
    """Add every cross-record problem of the site to `problems`; with `ledgers_only`, those
    of the ledgers alone (when nothing else changed since a build found none: sitestate.py)."""
    validator = Validator(content, root, problems)
    if ledgers_only:
        validator.ledgers()
    else:
        validator.run()
