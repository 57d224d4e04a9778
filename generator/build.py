"""The stages in order: load → validate → markdown → compute → plan → render → write.

Only this module knows the order. Each stage reports every problem it finds; the build
stops after a stage that found any, before anything is published.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import urls
from .bulletins import sms_files
from .compute import default_as_of
from .errors import BuildFailed, Problems, Source, SourceError, relpath
from .feeds import opml, plan_feeds, render_feed, render_json_feed
from .freshness import warn_quiet_columns
from .govfeeds import record_feeds
from .history import check_removals, read_history
from .indexno import check_index_numbers
from .load.site import load_site
from .markdown import MarkdownRenderer
from .model import Content
from .opendata import data_sets, render_data
from .manifest import MANIFEST, manifest
from .output import MARKER, Staging, check_target
from .pagemeta import with_meta
from .plan import Output, plan
from .render import make_environment, render_output, theme_dirs
from .search import build_index
from .sharing import check_files, share_images, write_images
from .site import Site, build_site
from .sitemap import robots, sitemap, web_manifest
from .validate import validate


@dataclass
class BuildReport:
    pages: int
    files: int
    seconds: float
    out: Path
    warnings: list[SourceError]


def _raise_if(problems: Problems) -> None:
    if problems:
        raise BuildFailed(problems)


def _line_of(text: str, body: str, body_line: int | None) -> int | None:
    """The file line where `text` first appears in a Markdown body starting at `body_line`."""
    for number, line in enumerate(body.splitlines()):
        if text in line:
            return (body_line or 1) + number
    return body_line


def render_bodies(content: Content, root: Path, problems: Problems) -> tuple[dict[tuple[str, str], str], set[str]]:
    """Every Markdown body → safe HTML, keyed by (kind, id); plus the images they use."""

    def exists(path: str) -> bool:
        full = root / path
        return full.is_file() and root.resolve() in full.resolve().parents

    renderer = MarkdownRenderer(exists)
    html: dict[tuple[str, str], str] = {}
    assets: set[str] = set()
    records = [(a.kind, a, urls.article(a)) for a in (*content.articles, *content.documents)]
    records += [("meeting", m, urls.meeting(m)) for m in content.meetings]
    records += [("page", p, urls.page(p)) for p in content.pages]
    for kind, record, page in records:
        folder = record.origin.file.rsplit("/", 1)[0]
        result = renderer.render(record.body, folder,
                                 lambda path, page=page: urls.relative(urls.media(path), page))
        for src in result.missing:
            problems.add("E051", record.origin.at(_line_of(src, record.body, record.body_line)), src=src)
        assets.update(result.assets)
        html[(kind, record.id)] = result.html
        assets.update(urls.content_file(record.origin.file, i.src) for i in getattr(record, "images", ()))
    return html, assets


def prepare(root: Path, problems: Problems | None = None, accept_removals: bool = False) -> Site:
    """Load, validate and compute: everything but writing. Raises BuildFailed.

    `accept_removals`: let records that were published (committed) before disappear.
    """
    problems = problems if problems is not None else Problems()  # an empty one is falsy
    content = load_site(root, problems)
    if content is None:
        raise BuildFailed(problems)
    validate(content, root, problems)
    check_files(content.config, root, problems)
    history = read_history(root)
    if not accept_removals:
        check_removals(history, content, problems)
    _raise_if(problems)
    html, assets = render_bodies(content, root, problems)
    _raise_if(problems)
    site = build_site(content, html, default_as_of(content.config.as_of), history)
    check_index_numbers(content.documents, site.index_numbers, problems)
    _raise_if(problems)
    warn_quiet_columns(site.config, site.columns, site.as_of, problems)
    site.assets = sorted(assets)
    site.asset_sizes = {asset: (root / asset).stat().st_size for asset in site.assets}
    return site


def _render_all(env: jinja2.Environment, site: Site, outputs: list[Output], staging: Staging,
                problems: Problems) -> None:
    seen: set[tuple[str, str]] = set()
    for output in outputs:
        try:
            staging.write(output.file, render_output(env, site, output))
        except jinja2.TemplateError as exc:
            name = getattr(exc, "name", None) or output.template
            if (name, str(exc)) in seen:  # one report per template mistake, not per page
                continue
            seen.add((name, str(exc)))
            problems.add("E062", Source(f"theme/templates/{name}", getattr(exc, "lineno", None)),
                         problem=f"{exc}（生成 {output.path or '首页'} 时）", template=name)


def _copy_static(root: Path, staging: Staging) -> int:
    copied: set[str] = set()
    for theme in theme_dirs(root):  # the site's own theme first: its files win
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else []:
            name = relpath(path, static)
            if path.is_file() and name not in copied:
                staging.copy(path, urls.static(name))
                copied.add(name)
    return len(copied)


def build(root: Path, out: Path, accept_removals: bool = False) -> BuildReport:
    """Build the site in `root` into `out`; on any problem raise BuildFailed, `out` untouched."""
    started = time.perf_counter()
    root = root.resolve()
    problems = Problems()
    check_target(out, root, problems)
    site = prepare(root, problems, accept_removals)
    env = make_environment(root, site.config.base_path)
    feeds = plan_feeds(site) + record_feeds(site)
    sets = data_sets(site)
    images = share_images(site.config, root)
    outputs = with_meta(plan(site, feeds, sets), site, images)
    staging = Staging(out)
    try:
        _render_all(env, site, outputs, staging, problems)
        _raise_if(problems)
        for feed in feeds:
            rss, atom = render_feed(feed, site)
            staging.write(feed.rss_path, rss)
            staging.write(feed.atom_path, atom)
            staging.write(feed.json_path, render_json_feed(feed, site))
        staging.write(urls.OPML, opml(feeds, site))
        staging.write("sitemap.xml", sitemap(outputs, site.config.base_url, site.newest))
        staging.write("robots.txt", robots(site.config.base_url))
        staging.write(urls.WEB_MANIFEST, web_manifest(env, site.config))
        for data in sets:
            table, document = render_data(data, site)
            staging.write(data.path + ".csv", table)
            staging.write(data.path + ".json", document)
        for path, text in sms_files(site):
            staging.write(path, text)
        files = _copy_static(root, staging)
        for asset in site.assets:
            staging.copy(root / asset, urls.media(asset))
        files += write_images(images, [o.meta for o in outputs], root, staging)
        if site.config.search:  # last: it indexes the finished pages
            files += build_index(staging.root, problems)
            _raise_if(problems)
        staging.write(MANIFEST, manifest(staging.root, site.history, site.as_of.isoformat(), (MARKER,)))
        staging.publish()
    except BaseException:
        staging.discard()
        raise
    files += len(outputs) + len(site.assets) + 3 * len(feeds) + 2 * len(sets) + len(site.bulletins) + 5
    return BuildReport(len(outputs), files, time.perf_counter() - started, out.resolve(), problems.warnings)
