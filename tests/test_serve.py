"""`gongshi serve`: edits show up within two seconds; a broken file shows an overlay, fixed, the page."""

from __future__ import annotations

import contextlib
import html
import http.client
import itertools
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator import serve
from generator.serve import decorate

NEWS = "content/news/2014-07-01-first.md"
ARTICLE = "news/2014-07-01-first/"


class Served:
    """A `gongshi serve` process and the address it serves the site at."""

    def __init__(self, process: subprocess.Popen[str], url: str, lines: queue.Queue[str]):
        self.process, self.url, self.lines = process, url, lines

    def get(self, path: str = "") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def wait_for(self, check: Callable[[str], bool], path: str = "", seconds: float = 2.0) -> str:
        """The page once `check` holds for it; fails if that takes longer than `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            page = self.get(path)[1]
            if check(page):
                return page
            if time.monotonic() > deadline:
                pytest.fail(f"not served within {seconds} s; last page ends: {page[-400:]}")
            time.sleep(0.05)


def _read_lines(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


@pytest.fixture
def served(small_site: Path, tmp_path: Path) -> Iterator[Served]:
    out = tmp_path / "preview"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(small_site), "--port", "0", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    url = ""
    try:
        deadline = time.monotonic() + 30
        while not url:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith("正在预览："):
                url = line.split("：", 1)[1].split("（", 1)[0]
        yield Served(process, url, lines)
    finally:
        process.terminate()
        process.wait(timeout=10)


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_serves_at_the_base_path_only_on_localhost(served: Served) -> None:
    assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/qzlx/")
    status, page = served.get()
    assert status == 200 and "测试区群众路线网" in page
    assert "/__gongshi/version" in page  # the reload script, in served pages only
    host = served.url.split("/")[2]
    connection = http.client.HTTPConnection(host, timeout=5)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 302 and response.getheader("Location") == "/qzlx/"
    connection.close()
    assert served.get("no/such/page/")[0] == 404


def test_the_built_files_have_no_reload_script(served: Served, tmp_path: Path) -> None:
    index = tmp_path / "preview" / "index.html"
    assert index.is_file()
    assert "__gongshi" not in index.read_text(encoding="utf-8")


def test_an_edit_is_served_within_two_seconds(served: Served, small_site: Path) -> None:
    assert "区教育局公布整改清单" in served.get(ARTICLE)[1]
    edit(small_site, NEWS, "title: 区教育局公布整改清单", "title: 区教育局公布第二批整改清单")
    page = served.wait_for(lambda page: "区教育局公布第二批整改清单" in page, ARTICLE)
    assert "gongshi-overlay" not in page


def test_a_broken_file_shows_an_overlay_then_the_page_again(served: Served, small_site: Path) -> None:
    edit(small_site, "content/rectification/edu.yml", "    deadline: 2014-06-30", "    deadlin: 2014-06-30")
    page = served.wait_for(lambda page: "gongshi-overlay" in page, ARTICLE)
    assert "content/rectification/edu.yml" in page and "E031" in page and "deadlin" in page
    assert "区教育局公布整改清单" in page  # the last good build is still there behind it
    edit(small_site, "content/rectification/edu.yml", "    deadlin: 2014-06-30", "    deadline: 2014-06-30")
    served.wait_for(lambda page: "gongshi-overlay" not in page and "区教育局公布整改清单" in page, ARTICLE)


def test_the_terminal_shows_the_same_message(served: Served, small_site: Path) -> None:
    edit(small_site, NEWS, "date: 2014-07-01", "date: 2014-07-41")
    page = served.wait_for(lambda page: "gongshi-overlay" in page)
    deadline, output = time.monotonic() + 5, ""
    while "E034" not in output and time.monotonic() < deadline:
        with contextlib.suppress(queue.Empty):
            output += served.lines.get(timeout=0.2)
    message = next(line for line in output.splitlines() if "E034" in line)
    assert message.startswith(f"{NEWS}:")
    assert html.escape(message) in page


def test_decorate_puts_script_and_overlay_before_the_end_of_body() -> None:
    page = decorate("<html><body><p>页面</p></body></html>", 3, "a.yml:1: 错误 E031: <x>", True)
    assert page.endswith("</body></html>")
    assert "a.yml:1: 错误 E031: &lt;x&gt;" in page
    assert "var seen = 3;" in page
    assert "gongshi-overlay" not in decorate("<p>x</p>", 1, None, True)


def test_the_watcher_waits_longer_when_a_look_takes_long(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a large site a look at every file takes a while: the watcher waits three times as
    long between looks, so it does not keep a core busy (nor the interpreter's lock)."""
    looks: list[float] = []

    def slow_snapshot(root: Path) -> dict[str, tuple[int, int]]:
        looks.append(time.monotonic())
        time.sleep(0.2)
        return {}

    monkeypatch.setattr(serve, "snapshot", slow_snapshot)
    preview = serve.Preview(tmp_path, tmp_path / "out", report=str)
    stop = threading.Event()
    watcher = threading.Thread(target=serve.watch, args=(preview, {}, stop, 0.01))
    watcher.start()
    time.sleep(2.0)
    stop.set()
    watcher.join()
    gaps = [later - earlier for earlier, later in itertools.pairwise(looks)]
    assert 2 <= len(looks) <= 3 and min(gaps) >= 0.75  # the look, then three times its length
