"""`gongshi serve`: build, serve on localhost, rebuild on every save, reload the browser.

The built files stay exactly what `gongshi build` writes; only the HTML pages *served*
get a small script that polls `/__gongshi/version` and reloads when a build finished.
When a build fails, the last good build keeps being served with an overlay that shows
the same file:line messages as the terminal. Standard library only: http.server in the
main thread, a thread that polls modification times.
"""

from __future__ import annotations

import html
import json
import mimetypes
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import unquote, urlsplit

from .build import BuildReport, build
from .errors import BuildFailed, Problems, report_warnings
from .incremental import Stamps, input_files
from .load.site import SiteFiles, load_config
from .render import theme_dirs

VERSION_PATH = "/__gongshi/version"
TYPES = {".atom": "application/atom+xml", ".opml": "text/x-opml", ".csv": "text/csv",
         ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml"}
POLL_SECONDS = 0.25

Report = Callable[[Problems], str]
Summary = Callable[[BuildReport], str]


def snapshot(root: Path) -> Stamps:
    """The size and mtime of every file a build reads (`input_files`: the configuration,
    the content, the themes): a change in any of them means rebuild."""
    return input_files(root, theme_dirs(root))


@dataclass
class Preview:
    """The state shared by the builder and the request handlers."""

    root: Path
    out: Path
    report: Report
    log: Callable[[str], None] = print
    summary: Summary = lambda result: f"已生成 {result.pages} 个页面，用时 {result.seconds:.1f} 秒。"
    version: int = 0
    error: str | None = None
    built: bool = False  # a good build exists in `out`
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        try:
            result = build(self.root, self.out)
        except BuildFailed as failed:
            error: str | None = self.report(failed.problems)
            message = error
        except Exception:  # a bug must not stop the preview: show it like a content error
            error = "生成网站时程序出错（请把下面的信息报告给技术人员）：\n" + traceback.format_exc()
            message = error
        else:
            error = None
            message = self.summary(result)
            if result.warnings:
                message = f"{message}\n{report_warnings(result.warnings)}"
        with self.lock:
            self.error = error
            self.built = self.built or error is None
            self.version += 1
        self.log(message or "")

    def state(self) -> tuple[int, str | None, bool]:
        with self.lock:
            return self.version, self.error, self.built


def watch(preview: Preview, seen: Stamps, stop: threading.Event,
          interval: float = POLL_SECONDS) -> None:
    """Rebuild whenever a file a build reads differs from `seen`, until `stop` is set.

    A look at every file takes a while on a large site (70 ms at 20,000 pages): between
    two looks the watcher waits `interval` or three times as long as the last look took,
    so it never keeps more than a quarter of a core busy."""
    wait = interval
    while not stop.wait(wait):
        started = time.perf_counter()
        current = snapshot(preview.root)
        wait = max(interval, 3 * (time.perf_counter() - started))
        if current == seen:
            continue
        time.sleep(0.05)  # let an editor finish writing the file it is saving
        seen = snapshot(preview.root)
        preview.rebuild()


# ---- what the browser gets ---------------------------------------------------------------

RELOAD_SCRIPT = """<script>(function () {
  var seen = %d;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (d) {
      if (d.version !== seen) { location.reload(); } else { setTimeout(poll, 400); }
    }).catch(function () { setTimeout(poll, 1500); });
  }
  setTimeout(poll, 400);
})();</script>"""

OVERLAY = """<div id="gongshi-overlay" role="alertdialog" aria-modal="true" aria-labelledby="gongshi-overlay-title"
 style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(0,0,0,.55);padding:1.5em">
<div style="max-width:60em;margin:0 auto;background:#fff;color:#1a1a1a;border-top:.4em solid #b3261e;
 padding:1.2em 1.5em;font:16px/1.6 system-ui,'PingFang SC','Microsoft YaHei',sans-serif">
<h2 id="gongshi-overlay-title" style="margin:0 0 .4em;color:#b3261e;font-size:1.3em">内容有错误，网站没有更新</h2>
<p style="margin:0 0 .8em">%s改正下面的错误并保存，页面会自动刷新。</p>
<pre style="white-space:pre-wrap;overflow-wrap:anywhere;background:#fdf3f2;padding:1em;margin:0;
 font:15px/1.6 ui-monospace,Menlo,Consolas,monospace">%s</pre>
<p style="margin:.8em 0 0"><button type="button" onclick="document.getElementById('gongshi-overlay').remove()"
 style="font:inherit;padding:.3em 1em">暂时关闭</button></p>
</div></div>"""

NO_BUILD_YET = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>gongshi 预览</title></head>
<body><p>还没有生成过网站。</p></body></html>"""


def decorate(page: str, version: int, error: str | None, built: bool) -> str:
    """A served HTML page: the reload script, and the error overlay when the last build failed."""
    extra = RELOAD_SCRIPT % (version, VERSION_PATH)
    if error is not None:
        behind = "后面显示的是最后一次成功生成的网站。" if built else ""
        extra = OVERLAY % (behind, html.escape(error)) + extra
    at = page.lower().rfind("</body>")
    return page + extra if at < 0 else page[:at] + extra + page[at:]


def make_handler(preview: Preview, base_path: str) -> type[BaseHTTPRequestHandler]:
    """A request handler that serves `preview.out` at `base_path` (e.g. `/qzlx/`)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "gongshi-serve"

        def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows builds
            pass

        def do_HEAD(self) -> None:
            self.respond(head=True)

        def do_GET(self) -> None:
            self.respond(head=False)

        def respond(self, head: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == VERSION_PATH:
                version, error, _ = preview.state()
                body = json.dumps({"version": version, "ok": error is None}).encode()
                return self.send(HTTPStatus.OK, "application/json", body, head)
            if path + "/" == base_path or not path.startswith(base_path):
                if path in ("/", "/index.html") or path + "/" == base_path:
                    return self.redirect(base_path)
                return self.not_found(head)
            target = self.locate(path[len(base_path):])
            if target is None:
                return self.not_found(head)
            if target.is_dir():
                return self.redirect(path + "/")
            self.send_file(target, HTTPStatus.OK, head)

        def locate(self, relative: str) -> Path | None:
            out = preview.out.resolve()
            candidate = (out / relative).resolve()
            if candidate != out and out not in candidate.parents:
                return None
            if candidate.is_dir() and (relative == "" or relative.endswith("/")):
                candidate = candidate / "index.html"
            return candidate if candidate.exists() else None

        def not_found(self, head: bool) -> None:
            page = preview.out / "404.html"
            if page.is_file():
                return self.send_file(page, HTTPStatus.NOT_FOUND, head)
            self.send_html(NO_BUILD_YET, HTTPStatus.NOT_FOUND, head)

        def send_file(self, path: Path, status: HTTPStatus, head: bool) -> None:
            try:
                data = path.read_bytes()
            except OSError:  # swapped away by a build finishing right now
                return self.send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                                 "正在重新生成，请刷新。".encode(), head)
            if path.suffix == ".html":
                return self.send_html(data.decode("utf-8", "replace"), status, head)
            kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith(("json", "xml")):
                kind += "; charset=utf-8"
            self.send(status, kind, data, head)

        def send_html(self, page: str, status: HTTPStatus, head: bool) -> None:
            version, error, built = preview.state()
            body = decorate(page, version, error, built).encode("utf-8")
            self.send(status, "text/html; charset=utf-8", body, head)

        def redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


# ---- the command -------------------------------------------------------------------------


def base_path_of(root: Path) -> str:
    """The path part of the site's base_url ('/' when the configuration cannot be read)."""
    config = load_config(SiteFiles(root, Problems()))
    return config.base_path if config is not None else "/"


def _stop_on_sigterm() -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, out: Path | None = None,
          report: Report = lambda problems: problems.report(), summary: Summary | None = None) -> int:
    """Build, serve and watch until Ctrl+C (or SIGTERM); the exit status."""
    root = root.resolve()
    temporary = None if out is not None else Path(tempfile.mkdtemp(prefix="gongshi-serve-"))
    target = out if out is not None else Path(str(temporary)) / "site"
    preview = Preview(root, target, report, log=lambda text: print(text, flush=True),
                      **({"summary": summary} if summary else {}))
    try:
        seen = snapshot(root)  # before building: a save during the first build is not missed
        preview.rebuild()
        base = base_path_of(root)
        try:
            server = ThreadingHTTPServer((host, port), make_handler(preview, base))
        except OSError as exc:
            print(f"无法在 {host}:{port} 上启动预览：{exc.strerror or exc}。换一个端口：--port 8001",
                  file=sys.stderr)
            return 1
        server.daemon_threads = True
        shown = f"[{host}]" if ":" in host else host
        print(f"正在预览：http://{shown}:{server.server_address[1]}{base}（按 Ctrl+C 停止）", flush=True)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print("注意：预览服务对其他电脑也可见；只在需要时使用 --host。", flush=True)
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(preview, seen, stop), daemon=True)
        watcher.start()
        _stop_on_sigterm()
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            print("已停止预览。", flush=True)
        finally:
            stop.set()
            server.server_close()
        return 0
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
