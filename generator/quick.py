"""Quick builds: after an edit of Markdown bodies and nothing else, make again only the
files that show those bodies, without loading the rest of the site.

An editor's most common edit is to the text of a news item, a document, a meeting report
or a plain page. The text of a body shows on its own page (and in its description) and in
the feeds that carry it, and nowhere else; everything else a build works out (lists,
counts, links between records) comes from the front matter. So when the files that
changed since the last build into the same folder are all such Markdown files, and each
still has the very front matter it had, a quick build:

- reads those files again and turns their bodies into HTML;
- unpickles, from the build cache, what each page or feed showing one of those bodies was
  made from (its snapshot: the signature's pickle, incremental.py), the records in it read
  again from the cache by their fingerprints, the bodies swapped for the new ones;
- renders those files, and the build publishes them with the search index and the manifest.

Anything else, or anything unexpected (a problem in the file, a missing image, a link to a
page that does not exist, a new share image, a snapshot that cannot be read), and `build`
returns None: the full build then does the work, and reports every problem as it always
does. A quick build's output is byte for byte what the full build would write (the tests
compare them). The signatures it records are its own; it notes the bodies it changed and
the files it wrote for the families of the next full build (families.after_quick), which
keeps those files when their family's key, bodies included, is what the note says.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import urls
from .cache import BuildCache, Parsed, Written, fingerprint, records_and_places
from .errors import SourceError
from .feeds import WRITING_READS, Feed, render_feeds
from .incremental import BODY, Stamps, cached_template_inputs, file_body_ref
from .links import body_links_exist, hrefs
from .load.site import read_markdown
from .markdown import MarkdownRenderer, site_files
from .model import Meeting, Page, without_text
from .pagemeta import body_meta
from .plan import Output, Planned, PlannedFeed
from .progress import Progress
from .render import make_environment, render_output

FEED_PARTS = ("config", "as_of", *WRITING_READS)  # what feeds and pages read of the site
LIMIT = 20  # files changed at most: more, and the full build is as quick


@dataclass(frozen=True)
class Memo:
    """What a build into one output folder leaves for the quick builds after it."""

    extra: bytes  # the digest of the code, the git history, the options, the date
    files: Stamps  # every input file as it was read
    shows: dict[str, list[str]]  # Markdown file → the first file of each job that shows its body
    site: bytes  # the parts of the site those jobs read (FEED_PARTS and the templates'), pickled
    pages: int
    shards: int  # search index shards, 0 without search
    warnings: list[SourceError] = field(default_factory=list)


def body_kind(record: Any) -> str:
    """The kind a body is filed under (`Site.body(kind, id)`)."""
    return "meeting" if isinstance(record, Meeting) else "page" if isinstance(record, Page) else record.kind


def memo(site: Any, pages: list[Planned], feeds: list[PlannedFeed], env: jinja2.Environment, cache: BuildCache,
         extra: bytes, files: Stamps, shards: int, warnings: list[SourceError]) -> Memo | None:
    """The memo of a full build; None when a template that shows a body reads the site in
    ways that cannot be told (then every build is a full one)."""
    shows: dict[str, list[str]] = {}
    templates = set()
    for p in pages:
        if p.shows:
            shows.setdefault(p.shows, []).append(p.file)
            templates.add(p.template)
    for f in feeds:
        for name in f.shows:
            shows.setdefault(name, []).append(f.feed.rss_path)
    parts = set(FEED_PARTS)
    for inputs in cached_template_inputs(env, templates, cache).values():
        if inputs.site is None:
            return None
        parts.update(inputs.site)
    site_parts = pickle.dumps({name: getattr(site, name) for name in sorted(parts)}, protocol=pickle.HIGHEST_PROTOCOL)
    return Memo(extra, files, shows, site_parts, len(pages), shards, list(warnings))


class Unresolved(Exception):
    """A snapshot names something the cache cannot give back."""


class QuickSite:
    """The parts of the site a quick build's pages and feeds read, and the bodies."""

    def __init__(self, parts: dict[str, Any], bodies: Bodies):
        self.__dict__.update(parts)
        self._bodies = bodies

    def body(self, kind: str, record_id: str) -> str:
        return self._bodies.of(kind, record_id)


@dataclass
class Edit:
    """One edited file: its records, and the new and old HTML of their bodies by place."""

    parsed: Parsed
    bodies: dict[str, str] = field(default_factory=dict)
    before: dict[str, str] = field(default_factory=dict)


class Bodies:
    """Records and bodies by fingerprint, as they are now: the records from the cache's
    copy of their file, the bodies of the edited files new, the others from the cache."""

    def __init__(self, cache: BuildCache, edited: dict[str, Edit]):
        self.cache = cache
        self.edited = edited
        self.files: dict[str, tuple[bytes, dict[str, Any]]] = {}  # file → (digest, place → record without text)
        self.by_kind: dict[tuple[str, str], tuple[str, str]] = {}  # (kind, id) → (file, place)

    def _file(self, path: str) -> tuple[bytes, dict[str, Any]]:
        if path not in self.files:
            parsed = self.edited[path].parsed if path in self.edited else self.cache.records_of(path)
            if parsed is None:
                raise Unresolved(path)
            self.files[path] = (parsed.digest, {place: without_text(r)
                                                for r, place in records_and_places(parsed.records)})
        return self.files[path]

    def record(self, digest: bytes) -> Any:
        found = self.cache.place(digest)
        if found is None or found[1] not in self._file(found[0])[1]:
            raise Unresolved(digest.hex())
        record = self._file(found[0])[1][found[1]]
        if hasattr(record, "body"):
            self.by_kind[(body_kind(record), record.id)] = found
        return record

    def body(self, path: str, place: str) -> str:
        if path in self.edited:
            return self.edited[path].bodies[place]
        digest = self._file(path)[0]
        rows = list(self.cache.html([fingerprint(digest, path, place)]))
        if not rows:
            raise Unresolved(f"{path}:{place} body")
        return rows[0][1].decode("utf-8")

    def of(self, kind: str, record_id: str) -> str:
        if (kind, record_id) not in self.by_kind:
            raise Unresolved(f"{kind} {record_id}")
        return self.body(*self.by_kind[(kind, record_id)])

    def resolve(self, digest: bytes) -> Any:
        """What `incremental._known(digest)` stood for: a record, or its body
        (`incremental.file_body_ref`)."""
        if len(digest) == 16 + len(BODY) and digest.endswith(BODY):
            found = self.cache.place(digest[:16])
            if found is None:
                raise Unresolved(digest.hex())
            return self.body(*found)
        return self.record(digest)


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, bodies: Bodies):
        super().__init__(io.BytesIO(data))
        self.bodies = bodies

    def find_class(self, module: str, name: str) -> Any:
        if module == "generator.incremental" and name == "_known":
            return self.bodies.resolve
        if not module.startswith("generator.") and module not in ("datetime", "builtins"):
            raise Unresolved(f"{module}.{name}")
        return super().find_class(module, name)


@dataclass
class Made:
    """What a quick build made: each file's bytes and signature, the new snapshot rows,
    and what the cache must learn about the edited files."""

    files: dict[str, tuple[bytes | str, bytes]] = field(default_factory=dict)
    snapshots: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)
    parsed: dict[str, tuple[tuple[int, int], Parsed, bytes]] = field(default_factory=dict)  # file → (stamp, records, pickled)
    html: dict[bytes, tuple[str, list[str], list[str]]] = field(default_factory=dict)  # fingerprint → (body HTML, assets, links)
    swaps: list[tuple[str, str, bytes, bytes]] = field(default_factory=list)  # (kind, id, body ref before, after)
    # (kind, id) → (key, size, links) of each body made again, for the site a full build kept (sitestate.py)
    bodies: dict[tuple[str, str], tuple[bytes, int, list[str]]] = field(default_factory=dict)
    as_of: Any = None


def make(root: Path, out: Path, cache: BuildCache, found: Memo, files: Stamps, previous: dict[str, Written],
         progress: Progress) -> Made | None:
    """The files to write after an edit of bodies only, or None when the full build must run."""
    prefix = str(root) + "/"
    changed = sorted(p for p in files.keys() | found.files.keys() if files.get(p) != found.files.get(p))
    names = [p.removeprefix(prefix) for p in changed]
    if not changed or len(changed) > LIMIT or any(n not in found.shows for n in names):
        return None
    progress.stage("快速重建", len(changed))
    made, edited = Made(), {}
    config = pickle.loads(found.site)["config"]
    for path, name in zip(changed, names, strict=True):
        stamp, now = found.files.get(path), files.get(path)
        if stamp is None or now is None or not cache.unchanged(name, *stamp, alone=True):  # the cache's copy is not the one built
            return None
        old, read = cache.records_of(name), read_markdown(root, name)
        if old is None or read is None or not _same_but_bodies(old.records, read[0].records):
            return None
        edit = edited[name] = Edit(read[0])
        for record, place in records_and_places(edit.parsed.records):
            if not _body(root, cache, name, record, place, old, edit, config, previous, made):
                return None
        made.parsed[name] = (now, read[0], read[1])
        progress.advance()
    try:
        _remake(root, cache, out, found, edited, previous, made)
    except (Unresolved, pickle.UnpicklingError, jinja2.TemplateError, KeyError, AttributeError, EOFError):
        return None
    return made


def _same_but_bodies(old: list[Any], new: list[Any]) -> bool:
    return [without_text(r) for r in old] == [without_text(r) for r in new]


def _body(root: Path, cache: BuildCache, name: str, record: Any, place: str, old: Parsed, edit: Edit,
          config: Any, previous: dict[str, Written], made: Made) -> bool:
    """Turn one record's new body into HTML, if it uses the same images as before, finds
    them all, and links only to pages that exist."""
    before = list(cache.html([old.body_key(name, place)]))
    if not hasattr(record, "body") or not before:
        return False
    page = urls.meeting(record) if isinstance(record, Meeting) else urls.page(record) \
        if isinstance(record, Page) else urls.article(record)
    result = MarkdownRenderer(site_files(root)).render(record.body, name.rsplit("/", 1)[0],
                                             lambda path: urls.relative(urls.media(path), page))
    if result.missing or sorted(result.assets) != sorted(before[0][2]) \
            or not body_links_exist(config, result.html, page, previous):
        return False
    key, links = edit.parsed.body_key(name, place), hrefs(result.html)
    made.html[key] = (result.html, result.assets, links)
    edit.bodies[place], edit.before[place] = result.html, before[0][1].decode("utf-8")
    made.swaps.append((body_kind(record), record.id, file_body_ref(old.body_key(name, place), edit.before[place]),
                       file_body_ref(key, result.html)))
    made.bodies[(body_kind(record), record.id)] = (key, len(result.html.encode("utf-8")), links)
    return True


def _remake(root: Path, cache: BuildCache, out: Path, found: Memo, edited: dict[str, Edit],
            previous: dict[str, Written], made: Made) -> None:
    firsts = sorted({first for name in edited for first in found.shows[name]})
    snapshots = cache.snapshots(out, firsts)
    bodies = Bodies(cache, edited)
    site = QuickSite(pickle.loads(found.site), bodies)
    made.as_of = site.as_of
    env = make_environment(root, site.config.base_path, cache.jinja_folder)
    edits = b"".join(edited[name].parsed.digest for name in sorted(edited))
    for first in firsts:
        signature, data = snapshots[first]
        if previous[first].signature != signature:
            raise Unresolved(first)
        quick = hashlib.blake2b(b"quick" + signature + edits, digest_size=16).digest()
        made.snapshots[first] = (quick, data)
        value = _Unpickler(data, bodies).load()
        if isinstance(value, Feed):
            paths = (value.rss_path, value.atom_path, value.json_path)
            for name, text in zip(paths, render_feeds(value, site), strict=True):  # type: ignore[arg-type]
                made.files[name] = (text, quick)
        else:
            made.files[first] = (render_output(env, site, _output(value, site, bodies)), quick)  # type: ignore[arg-type]


def _output(value: Any, site: QuickSite, bodies: Bodies) -> Output:
    """A page's output from its snapshot, with the new body and its description."""
    (path, template, title, section, crumbs, date, feeds, meta), context = value
    before = Output(path, template, title, section, crumbs, dict(context), date, feeds, meta)
    record = before.shows
    file, place = bodies.by_kind[(body_kind(record), record.id)]
    edit = bodies.edited[file]
    before.context["body"] = edit.before[place]
    output = dataclasses.replace(before, context={**before.context, "body": edit.bodies[place]})
    fresh = body_meta(site, before, output)  # type: ignore[arg-type]
    if fresh is None:
        raise Unresolved(f"{path} share image")
    return dataclasses.replace(output, meta=fresh)
