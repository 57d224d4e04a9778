"""Browser tests: the demo site built once, served locally under its base path, and opened
in Debian's headless Chromium through Playwright.

Chromium comes from the system (Playwright cannot download browsers here). Without it the
browser tests are skipped, except in CI (the CI variable set), where they must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator import urls
from generator.build import build, prepare
from generator.render import cn_date
from generator.site import Site

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "tests" / "screenshots"
CHROMIUM = os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium")
# No background connections: the machine's network is closed, and nothing but the page may load.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = (375, 1280)


def require_chromium() -> None:
    """Skip (or, in CI, fail) when there is no browser to drive."""
    missing = []
    if not Path(CHROMIUM).is_file():
        missing.append(f"{CHROMIUM} 不存在")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("未安装 playwright")
    if missing:
        message = "浏览器测试无法运行：" + "，".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + "（CI 中必须运行）")
        pytest.skip(message)


def tool_file(env: str, *candidates: Path) -> Path | None:
    """An external checker's file: from the environment variable, else the first that exists."""
    named = os.environ.get(env)
    if named:
        return Path(named) if Path(named).is_file() else None
    return next((c for c in candidates if c.is_file()), None)


@dataclass(frozen=True)
class Visit:
    """One page the tests open, and what must be visible on it."""

    name: str
    path: str  # site-relative public path
    texts: tuple[str, ...]  # shown somewhere on the page
    heading: str = ""  # the h1 contains this


@dataclass
class Served:
    site: Site
    out: Path
    base: str  # http://127.0.0.1:port/qzlx/
    visits: dict[str, Visit] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        return self.base + path


def _visits(site: Site) -> dict[str, Visit]:
    config = site.config
    records = [r for rs in site.columns.values() for r in rs]
    column = next(c for c in config.columns if len(site.columns[c.id]) > 20)
    listed = site.columns[column.id]
    article = next(r for r in records if r.kind == "news" and r.images and r.images[0].caption)
    document = next(r for r in records if r.kind == "document" and r.doc_number)
    unit_id = max(site.rect.by_unit, key=lambda u: len(site.rect.by_unit[u]))
    unit = site.units[unit_id]
    first_item = next(s for s in site.rect.by_unit[unit_id] if not s.withdrawn)
    headline = max(records, key=lambda r: (r.date, r.id))
    visits = [
        Visit("home", urls.HOME, (config.campaign.name, config.title, "整改落实进度", headline.title)),
        Visit("column", urls.column(column.id), (listed[0].title, "按月归档", "下一页"), column.name),
        Visit("column-page-2", urls.column(column.id, 2), (listed[20].title, "上一页"), "第2页"),
        Visit("article", urls.article(article), (article.images[0].caption, cn_date(article.date)),
              article.title),
        Visit("document", urls.article(document), (document.doc_number, document.issuer, "发文字号"),
              document.title),
        Visit("unit", urls.unit(unit_id), ("整改清单", "公开承诺", "会议通报"), unit.name),
        Visit("ledger", urls.ledger(unit_id), (first_item.item.problem, "整改措施"), unit.name),
        Visit("dashboard", urls.DASHBOARD, ("各单位整改情况", unit.name, "逾期未完成"), "整改落实"),
    ]
    if site.bulletins:  # the site's own compilations: 简报 and 更正与变更记录
        latest = site.bulletins[0]
        visits += [Visit("bulletins", urls.BULLETINS, (f"第{latest.number}期", latest.period.label), "简报"),
                   Visit("bulletin", urls.bulletin(latest.number), (latest.period.label, "整改落实", "短信版"),
                         f"第{latest.number}期")]
    if site.changelog:
        visits.append(Visit("changes", urls.CHANGES, (site.changelog[0].record.title,), "更正与变更记录"))
    return {v.name: v for v in visits}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path, Path]:
    """The demo site (repository root) built under <root>/<base path>; (site, root, output)."""
    site = prepare(REPO)
    root = tmp_path_factory.mktemp("served")
    out = root / site.config.base_path.strip("/")
    build(REPO, out)
    return site, root, out


@pytest.fixture(scope="session")
def served(demo_build: tuple[Site, Path, Path]) -> Iterator[Served]:
    """The built demo on a local threaded HTTP server, on a free port."""
    site, root, out = demo_build
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}{site.config.base_path}"
    try:
        yield Served(site, out, base, _visits(site))
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A page in a fresh browser context that logs what could go wrong."""

    page: Any
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    foreign: list[str] = field(default_factory=list)  # requests to any other host (blocked)
    responses: list[Any] = field(default_factory=list)


@pytest.fixture
def open_tab(chromium: Any, served: Served) -> Iterator[Any]:
    """open_tab(width, javascript=True) → Tab; contexts are closed after the test."""
    contexts: list[Any] = []

    def opener(width: int, javascript: bool = True) -> Tab:
        context = chromium.new_context(viewport={"width": width, "height": 900},
                                       java_script_enabled=javascript, device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page)

        def route(r: Any) -> None:
            if r.request.url.startswith(served.origin + "/"):
                r.continue_()
            else:
                tab.foreign.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: tab.errors.append(str(e)))
        page.on("response", lambda r: tab.responses.append(r))
        return tab

    yield opener
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in tests/screenshots/ (ignored by git), lazy images loaded."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("""Promise.all([...document.images].map(i => { i.loading = 'eager';
        return i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; }); }))""")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def java() -> str | None:
    return shutil.which("java")
