"""Every internal link of the output (href and src in every HTML file) resolves to a file, for a
site whose base_url has a path (https://example.gov.cn/qzlx/): served under that path, and served
from the output folder's root as well (there only the links the generator writes, which are
relative, and not the 404 page, which links from the base path since it is served at any depth).

Links an editor wrote as absolute URLs into the site's own base path count as internal too."""

from __future__ import annotations

import html.parser
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import REPO

from generator.build import build, prepare

EXTERNAL = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name in ("id", "name") and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(out: Path, base_url: str, mount: str) -> list[str]:
    """Links that do not resolve, as 'page → link', for the output served at `mount` ('/x/')."""
    own = urlsplit(base_url)
    pages = {p: _parse(p) for p in sorted(out.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        relative = page.relative_to(out).as_posix()
        if mount == "/" and relative == "404.html":
            continue  # served at any depth, it links from the base path
        page_url = mount + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)
        for written in parsed.links:
            link = written
            if mount == "/" and link.startswith(("/", *EXTERNAL)):
                continue  # written by an editor for the real base path: it can only work there
            if link.startswith(EXTERNAL):
                target = urlsplit(link)
                if (target.netloc, True) != (own.netloc, target.path.startswith(own.path)):
                    continue  # another site, or another site on the same host
                link = mount + link.split(own.path, 1)[1]
            parts = urlsplit(urljoin(page_url, link))
            path = posixpath.normpath(unquote(parts.path))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            if not path.startswith(mount):
                broken.append(f"{relative} → {written}（在站点之外）")
                continue
            file = out / path[len(mount):]
            if path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{relative} → {written}")
            elif parts.fragment and file.suffix == ".html" and parts.fragment not in pages[file].ids:
                broken.append(f"{relative} → {written}（没有 #{parts.fragment}）")
    return broken


def _check(site: Path, out: Path) -> int:
    base_url = prepare(site).config.base_url
    assert urlsplit(base_url).path.strip("/"), "the test needs a base_url with a path"
    build(site, out)
    base_path = urlsplit(base_url).path
    assert broken_links(out, base_url, base_path if base_path.endswith("/") else base_path + "/") == []
    assert broken_links(out, base_url, "/") == []
    return sum(len(_parse(p).links) for p in out.rglob("*.html"))


def test_small_site_links_resolve(small_site: Path, tmp_path: Path) -> None:
    assert _check(small_site, tmp_path / "out") > 100


def test_demo_site_links_resolve(tmp_path: Path) -> None:
    if not (REPO / "content").is_dir():
        pytest.skip("no demo content")
    assert _check(REPO, tmp_path / "out") > 1000


def test_the_checker_finds_a_broken_link(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    (out / "units" / "index.html").unlink()
    broken = broken_links(out, "https://example.gov.cn/qzlx/", "/qzlx/")
    assert broken and all("units/" in b for b in broken)
