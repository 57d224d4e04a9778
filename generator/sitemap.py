"""sitemap.xml and robots.txt from the plan: every page once, dated by its content."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from . import urls
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
        ET.SubElement(entry, "loc").text = urljoin(base_url, output.path)
        ET.SubElement(entry, "lastmod").text = (output.date or fallback).isoformat()
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urljoin(base_url, 'sitemap.xml')}\n".encode()
