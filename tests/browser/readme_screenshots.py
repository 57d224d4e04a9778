"""Write the README's two screenshots of the demo's home page: docs/screenshots/home-phone.png
(375 px wide) and home-desktop.png (1280 px), each cropped to the top of the page and, when
pngquant or optipng is installed, made smaller.

    python tests/browser/readme_screenshots.py
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from generator.build import build, prepare  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = {  # name: (width, height in CSS pixels, device scale)
    "home-phone": (375, 1400, 2),
    "home-desktop": (1280, 1600, 1),
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _shrink(path: Path) -> None:
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "70-95",
                        "--output", str(path), str(path)], check=False)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", str(path)], check=False)


def main() -> None:
    from playwright.sync_api import sync_playwright

    base_path = prepare(REPO).config.base_path
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(REPO, root / base_path.strip("/"))
        handler = functools.partial(_Quiet, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}{base_path}"
        out = REPO / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, (width, height, scale) in SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height},
                                        device_scale_factor=scale)
                page.goto(url, wait_until="networkidle")
                path = out / f"{name}.png"
                page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": width, "height": height})
                _shrink(path)
                print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
