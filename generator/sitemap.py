"""The files that describe the whole site: sitemap.xml and robots.txt for crawlers (every
page once, dated by its content), site.webmanifest for phones that pin the portal."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import jinja2

from . import urls
from .model import SiteConfig
from .plan import Output

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(outputs: list[Output], base_url: str, fallback: dt.date) -> bytes:
    """Pages without a date of their own (lists, dashboards) carry `fallback`: the newest
    content date of the site, so an unchanged site gives an unchanged sitemap."""
    root = ET.Element("urlset", xmlns=NS)
    seen: set[str] = set()
    for output in outputs:
        if output.path == urls.NOT_FOUND or output.path in seen:
            continue
        seen.add(output.path)
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = urls.absolute(base_url, output.path)
        ET.SubElement(entry, "lastmod").text = (output.date or fallback).isoformat()
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base_url, 'sitemap.xml')}\n".encode()


def web_manifest(env: jinja2.Environment, config: SiteConfig) -> str:
    """The theme's site.webmanifest (its colours and icons), for this site's names.

    Its addresses are relative to the manifest, which sits at the base path: start_url and
    scope are the base path wherever the site is published."""
    return env.get_template(urls.WEB_MANIFEST).render(config=config, urls=urls)
