"""What every public website needs, checked on the built output: the sitemap lists every page
once with a valid date, canonical URLs respect a base_url with a path, every page has a
description and Open Graph tags whose image exists, the web app manifest parses and its
icons exist at the sizes it says."""

from __future__ import annotations

import datetime as dt
import html.parser
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from generator.build import build

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(html.parser.HTMLParser):
    """The <meta> and <link> elements of a page, by name/property and rel."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        if tag == "link" and "rel" in a:
            self.links.setdefault(a["rel"], []).append(a.get("href", ""))


def head(path: Path) -> Head:
    parsed = Head()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def pages(out: Path) -> dict[str, Path]:
    """Every HTML page by its public path ('' for the home page)."""
    found = {}
    for path in sorted(out.rglob("*.html")):
        relative = path.relative_to(out).as_posix()
        found[relative.removesuffix("index.html")] = path
    return found


def with_base_url(site: Path, base_url: str) -> None:
    """The small site published at `base_url`: its one link into itself (a ledger's evidence,
    `/qzlx/news/…`) moves with it, or it would name a page the site does not have (E056)."""
    config = site / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("base_url: https://example.gov.cn/qzlx/", f"base_url: {base_url}"),
                      encoding="utf-8")
    ledger = site / "content/rectification/edu.yml"
    path = urlsplit(base_url).path.rstrip("/") + "/"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("url: /qzlx/", f"url: {path}"), encoding="utf-8")


def test_sitemap_lists_every_page_once_with_a_valid_date(built_small: Path) -> None:
    root = ET.parse(built_small / "sitemap.xml").getroot()
    entries = [(u.findtext(f"{SITEMAP}loc"), u.findtext(f"{SITEMAP}lastmod")) for u in root]
    locs = [loc for loc, _ in entries]
    assert len(locs) == len(set(locs))
    expected = {"https://example.gov.cn/qzlx/" + p for p in pages(built_small) if p != "404.html"}
    assert set(locs) == expected
    for loc, lastmod in entries:
        assert lastmod and dt.date.fromisoformat(lastmod) <= dt.date(2014, 7, 15), (loc, lastmod)
    robots = (built_small / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.gov.cn/qzlx/sitemap.xml" in robots


@pytest.mark.parametrize("base_url", ["https://www.example.gov.cn/qzlx/", "https://example.gov.cn/a/b",
                                      "http://localhost:8000/"])
def test_canonical_urls_respect_the_base_url(small_site: Path, tmp_path: Path, base_url: str) -> None:
    with_base_url(small_site, base_url)
    out = tmp_path / "out"
    build(small_site, out)
    base = base_url.rstrip("/") + "/"
    for public, path in pages(out).items():
        tags = head(path)
        if public == "404.html":  # served at any address: no canonical, not indexed
            assert "canonical" not in tags.links and tags.meta["robots"] == ["noindex"]
            continue
        assert tags.links["canonical"] == [base + public], public
        assert tags.meta["og:url"] == [base + public]
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    assert all(u.findtext(f"{SITEMAP}loc").startswith(base) for u in sitemap)


def test_every_page_has_a_description_and_open_graph_tags(built_small: Path) -> None:
    for public, path in pages(built_small).items():
        tags = head(path)
        (description,) = tags.meta["description"]
        assert 0 < len(description) <= 120, public
        assert tags.meta["og:description"] == [description]
        (title,) = tags.meta["og:title"]
        assert title and title in path.read_text(encoding="utf-8").split("<title>")[1], public
        assert tags.meta["og:type"] in (["article"], ["website"])
        assert tags.meta["og:site_name"] == ["测试区群众路线网"]
        (image,) = tags.meta["og:image"]
        assert image.startswith("https://example.gov.cn/qzlx/")
        assert (built_small / image.removeprefix("https://example.gov.cn/qzlx/")).is_file(), public
        assert tags.meta["twitter:card"] == ["summary_large_image"]


def test_descriptions_say_what_the_page_is(built_small: Path) -> None:
    def description(public: str) -> str:
        return head(pages(built_small)[public]).meta["description"][0]

    item = description("rectification/edu/r01/")
    assert item.startswith("区教育局整改事项：") and "已完成" in item
    assert description("news/2014-07-01-first/").startswith("区教育局今天公布了整改清单")  # first text
    ledger = description("rectification/edu/")
    assert ledger.startswith("区教育局整改清单：共 ") and "已完成" in ledger
    assert "区教育局（区直单位）" in description("units/edu/")


def test_the_web_manifest_parses_and_its_icons_exist(built_small: Path) -> None:
    home = head(built_small / "index.html")
    (href,) = home.links["manifest"]
    assert href == "site.webmanifest"
    manifest = json.loads((built_small / href).read_text(encoding="utf-8"))
    url = "https://example.gov.cn/qzlx/site.webmanifest"
    assert manifest["name"] == manifest["short_name"] == "测试区群众路线网"
    assert urljoin(url, manifest["start_url"]) == urljoin(url, manifest["scope"]) == "https://example.gov.cn/qzlx/"
    assert manifest["theme_color"] == home.meta["theme-color"][0]
    sizes = set()
    for icon in manifest["icons"]:
        path = built_small / urlsplit(urljoin(url, icon["src"])).path.removeprefix("/qzlx/")
        assert path.is_file(), icon
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"
            sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert any(i.get("purpose") == "maskable" for i in manifest["icons"])
    (touch,) = home.links["apple-touch-icon"]
    with Image.open(built_small / touch) as image:
        assert image.size == (180, 180) and image.mode == "RGB"  # opaque: iOS shows alpha as black


def test_short_name_from_the_config(small_site: Path, tmp_path: Path) -> None:
    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "short_name: 测试区公示\n", encoding="utf-8")
    build(small_site, tmp_path / "out")
    manifest = json.loads((tmp_path / "out/site.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["short_name"]) == ("测试区群众路线网", "测试区公示")
