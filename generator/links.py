"""Links editors write to the site's own pages: one naming a page the build does not make
sends every reader who follows it to 页面不存在 (E056).

The links checked are those in Markdown bodies (news, documents, meetings, pages), the
evidence `url` of a ledger item's progress, a rule's `url` and the footer's `badge_link`.
A link points inside the site when it starts with base_url (http or https), when it is a
path under base_path (`/qzlx/…`), or, in a body, when it is relative: it is then read
from the page the body is shown on. Links to other sites are not checked (that would need
the network), nor relative links in YAML fields (they mean something else on each page
that shows them).

The check runs after the plan, against the name of every file the build will write, and
proposes the nearest existing page: a missing last '/', `x.html` for `x/`, a misspelt id.
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from . import urls
from .errors import Problems, Source
from .model import Article, Meeting, Page, SiteConfig
from .site import Site

_HREF = re.compile(r'<a\s[^>]*?\bhref="([^"]*)"')
_SEGMENT = re.compile(r"[^/]*/|[^/]+$")  # "a/b/c.csv" → "a/", "b/", "c.csv"


class Target(NamedTuple):
    """Where an internal link leads: a path relative to the site root ("" is the home page)."""

    path: str
    form: str  # how the editor wrote it: "absolute", "rooted" or "relative"
    fragment: str


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


class Resolver:
    """Reads a link as a browser showing this site would, to tell which of its pages it names.

    Plain string work (a large site has tens of thousands of links): the fragment and query
    are cut off, the host compared without case, `.` and `..` resolved as RFC 3986 says."""

    def __init__(self, config: SiteConfig):
        self.host = config.base_url.split("://", 1)[-1].split("/", 1)[0].lower()
        self.base = config.base_path  # "/qzlx/"

    def target(self, href: str, page: str | None = None) -> Target | None:
        """The page of this site that `href` names, or None when it leads elsewhere.

        `page`: the public path of the page showing the link, when relative links count."""
        rest, _, fragment = href.strip().partition("#")
        path = rest.partition("?")[0]
        scheme = _SCHEME.match(path)
        if scheme or path.startswith("//"):
            if scheme and path[: scheme.end()].lower() not in ("http:", "https:"):
                return None
            host, slash, tail = path[scheme.end() if scheme else 0 :].removeprefix("//").partition("/")
            if host.lower() != self.host:
                return None
            path, form = slash + tail, "absolute"
        elif path.startswith("/"):
            form = "rooted"
        elif page is None or not path:
            return None  # a relative link in a YAML field, or only an #anchor or ?query
        else:
            path, form = _without_dots(self.base + page.rpartition("/")[0] + "/" + path), "relative"
        if "%" in path:
            path = unquote(path)
        if path + "/" == self.base:  # https://host/qzlx: servers send it on to the home page
            return Target("", form, fragment)
        if not path.startswith(self.base):
            return None
        return Target(path[len(self.base):], form, fragment)


def _without_dots(path: str) -> str:
    """`/a/b/../c/` → `/a/c/` (never above the root)."""
    if "." not in path:
        return path
    out: list[str] = []
    parts = path.split("/")
    for part in parts[1:]:
        if part == "..":
            if out:
                out.pop()
        elif part != ".":
            out.append(part)
    if parts[-1] in (".", ".."):
        out.append("")  # `../` and `..` both name a folder
    return "/" + "/".join(out)


class SiteFiles:
    """The files the build writes, and what an editor probably meant by one it does not."""

    def __init__(self, names: Iterable[str], search: bool):
        self.names = frozenset(names)
        self.search = search
        self._children: dict[str, list[str]] | None = None

    def exists(self, path: str) -> bool:
        return urls.file_for(path) in self.names or (self.search and path.startswith(urls.PAGEFIND))

    def nearest(self, path: str) -> str | None:
        """The existing path closest to `path`, found a folder at a time; None if none is close."""
        children = self._tree()
        found = ""
        segments = _SEGMENT.findall(path)
        for n, segment in enumerate(segments):
            choices = children.get(found, [])
            last = n == len(segments) - 1
            if segment not in choices:
                folder = segment.removesuffix(".html").removesuffix(".htm") + "/"
                if last and not segment.endswith("/") and folder in choices:  # `news/x` or `news/x.html` for `news/x/`
                    segment = folder
                else:
                    close = difflib.get_close_matches(segment, choices, n=1, cutoff=0.7)
                    if not close:
                        return None
                    segment = close[0]
            found += segment
        return found if found != path and self.exists(found) else None

    def _tree(self) -> dict[str, list[str]]:
        """folder → the names in it (folders end with '/'); made when first needed."""
        if self._children is None:
            children: dict[str, set[str]] = {}
            for name in self.names:
                folder = ""
                for segment in _SEGMENT.findall(name):
                    children.setdefault(folder, set()).add(segment)
                    folder += segment
            self._children = {folder: sorted(names) for folder, names in children.items()}
        return self._children


class Link(NamedTuple):
    href: str
    where: Source
    page: str | None = None  # the page whose body holds it (relative links count there)
    body_line: int = 0  # a body link: the file line the body starts at (its own line is looked up)


def field_links(site: Site) -> Iterator[Link]:
    """The URLs written in YAML fields, each at the line of its `url:`."""
    footer = site.config.footer
    if footer.badge_link:
        yield Link(footer.badge_link, footer.origin.key("badge_link"))
    for ledger in site.content.ledgers:
        for item in ledger.items:
            for step in item.progress:
                yield from (Link(e.url, e.origin.key("url")) for e in step.evidence if e.url)
    yield from (Link(r.url, r.origin.key("url")) for r in site.content.rules if r.url)


def hrefs(body_html: str) -> list[str]:
    """The `href`s of the links in a body's HTML, as written there (entities not decoded);
    kept with the body in the build cache, so a check of the links need not read the body."""
    return _HREF.findall(body_html)


def body_links(site: Site, ending: frozenset[str] | None = None) -> Iterator[Link]:
    """The links of every Markdown body (`Site.hrefs`), with the page it is shown on; with
    `ending`, only those whose path may end in one of those segments (`_may_end_in`)."""
    records: list[tuple[str, Article | Meeting | Page, str]]
    records = [(r.kind, r, urls.article(r)) for r in (*site.content.articles, *site.content.documents)]
    records += [("meeting", m, urls.meeting(m)) for m in site.content.meetings]
    records += [("page", p, urls.page(p)) for p in site.content.pages]
    for kind, record, page in records:
        for href in site.hrefs.get((kind, record.id), ()):
            if ending is None or _may_end_in(href, ending):
                yield Link(html.unescape(href), record.origin, page, record.body_line)


def _last_segments(files: Iterable[str]) -> frozenset[str] | None:
    """The last segment of each path that serves one of `files` ("a/b/index.html": "b" of
    "a/b/" and "index.html" of itself); None for a file at the top (the home page's path is
    empty)."""
    found = set()
    for name in files:
        parts = name.split("/")
        if len(parts) == 1:
            return None
        found.add(parts[-1])
        if parts[-1] == "index.html":
            found.add(parts[-2])
    return frozenset(found)


def _may_end_in(href: str, segments: frozenset[str]) -> bool:
    """Whether a link written `href` may lead to a path whose last segment is one of
    `segments`: its own last segment is the target's, unless it is empty, "." or ".." (then
    the page it is on tells) or escaped (then the resolver must say)."""
    last = href.partition("#")[0].partition("?")[0].rstrip("/").rpartition("/")[2]
    return last in segments or last in ("", ".", "..") or "%" in last or "&" in last


def body_links_exist(config: SiteConfig, body: str, page: str, names: Iterable[str]) -> bool:
    """Whether every link into the site in one body names a file among `names` (a quick
    build asks this of an edited body; when not, the full build reports E056)."""
    files, resolver = SiteFiles((*names, urls.MANIFEST), config.search), Resolver(config)
    targets = (resolver.target(html.unescape(href), page) for href in hrefs(body))
    return all(found is None or files.exists(found.path) for found in targets)


def check_links(root: Path, site: Site, names: Iterable[str], problems: Problems,
                checked: AbstractSet[str] | None = None) -> None:
    """E056 for every link into the site whose page is not among `names` (the output files).
    `checked`: the files of the last build, when the bodies are as they were then (only
    ledgers changed since) and so were all found to link to those files: the bodies' links
    are looked at again only if one of those files is gone, and then only those that may
    lead to it (15,000 bodies: 15 ms)."""
    files = SiteFiles((*names, urls.MANIFEST), site.config.search)
    resolver = Resolver(site.config)
    lines = _BodyLines(root)
    gone = None if checked is None else [n for n in checked - files.names if not n.startswith(urls.PAGEFIND)]
    # the bodies' links are looked at again only where they may lead to a file gone since
    bodies = body_links(site) if gone is None else body_links(site, _last_segments(gone)) if gone else ()
    for link in itertools.chain(field_links(site), bodies):
        found = resolver.target(link.href, link.page)
        if found is None or files.exists(found.path):
            continue
        where = lines.find(link) if link.page is not None else link.where
        nearest = files.nearest(found.path)
        fix = f"是不是想写“{_written_as(nearest, found, site.config, link.page)}”？" if nearest is not None else ""
        problems.add("E056", where, href=link.href, path=site.config.base_path + found.path, fix=fix)


def _written_as(path: str, found: Target, config: SiteConfig, page: str | None) -> str:
    """`path` in the form the editor wrote the link in, with its #fragment."""
    if found.form == "absolute":
        link = urls.absolute(config.base_url, path)
    elif found.form == "rooted" or page is None:
        link = config.base_path + path
    else:
        link = urls.relative(path, page)
    return link + (f"#{found.fragment}" if found.fragment else "")


class _BodyLines:
    """The file line of a body link: the body's text is gone by now, so the file is read
    again, only for the links that fail. A link written twice is found at each place in turn."""

    def __init__(self, root: Path):
        self.root = root
        self.texts: dict[str, list[str]] = {}
        self.asked: dict[tuple[str, str], int] = {}  # (file, href) → how often it was looked up

    def find(self, link: Link) -> Source:
        file = link.where.file
        if file not in self.texts:
            try:
                self.texts[file] = (self.root / file).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.texts[file] = []
        body = self.texts[file][max(link.body_line - 1, 0):]
        nth = self.asked[(file, link.href)] = self.asked.get((file, link.href), 0) + 1
        for text in (link.href, html.escape(link.href, quote=False)):
            seen = 0
            for number, line in enumerate(body):
                seen += line.count(text)
                if seen >= nth:
                    return link.where.at(link.body_line + number)
        return link.where.at(link.body_line)
