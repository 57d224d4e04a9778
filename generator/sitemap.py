"""The files that describe the whole site: sitemap.xml and robots.txt for crawlers (every
page once, dated by its content), site.webmanifest for phones that pin the portal."""

from __future__ import annotations

import datetime as dt
import functools
import html
from collections.abc import Iterable

import jinja2

from . import urls
from .model import SiteConfig
from .plan import Output, Planned

# &, < and > as XML writes them (xml.sax.saxutils.escape, whose module imports urllib.request: 12 ms)
escape = functools.partial(html.escape, quote=False)

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


UNDATED = "\0"  # the lastmod, in `entries`, of a page without a date of its own (no path holds a NUL)


def entries(pages: Iterable[Output | Planned], base_url: str) -> str:
    """The sitemap's <url> elements for `pages` (but the 404 page), each path once, laid out
    as ElementTree's indent() would; a page without a date of its own has UNDATED for
    `sitemap` to fill in. Written as text (a tree of 60,000 elements for 20,000 pages took
    five times as long)."""
    listed: dict[str, dt.date | None] = {}
    for page in pages:
        if page.path != urls.NOT_FOUND:
            listed.setdefault(page.path, page.date)
    base = escape(urls.absolute(base_url, ""))  # escaped a character at a time
    paths = escape("\0".join(listed)).split("\0") if listed else []  # escaped at once (no path holds a NUL)
    return "".join(f"  <url>\n    <loc>{base}{path}</loc>\n    <lastmod>{date.isoformat() if date else UNDATED}"
                   "</lastmod>\n  </url>\n" for path, date in zip(paths, listed.values(), strict=True))


def sitemap(parts: Iterable[str], fallback: dt.date) -> bytes:
    """sitemap.xml from the `entries` of the site's pages, a family of pages at a time (the
    build cache keeps each family's: families.py; a path is in one family, as each kind of
    page has its folder). Pages without a date of their own (lists, dashboards) carry
    `fallback`: the newest content date of the site, so an unchanged site gives an
    unchanged sitemap."""
    listed = "".join(parts).replace(UNDATED, fallback.isoformat())
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}"'
    text = head + (">\n" + listed + "</urlset>\n" if listed else " />\n")
    return text.encode("utf-8")


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base_url, 'sitemap.xml')}\n".encode()


def web_manifest(env: jinja2.Environment, config: SiteConfig) -> str:
    """The theme's site.webmanifest (its colours and icons), for this site's names.

    Its addresses are relative to the manifest, which sits at the base path: start_url and
    scope are the base path wherever the site is published."""
    return env.get_template(urls.WEB_MANIFEST).render(config=config, urls=urls)
