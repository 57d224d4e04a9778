"""Search index: Pagefind run over the finished pages of the staging folder.

Pagefind (PyPI `pagefind[extended]`) writes a chunked index under pagefind/: a query
downloads the index chunks of its words and the fragments of the results it shows, never
the whole index. Pages opt in with `data-pagefind-body` (record pages only); their type,
unit, column and date come from theme/templates/_search_record.html.

Chinese is indexed character by character. Pagefind's extended binary would cut the text
into words with a dictionary (jieba), but the browser cuts the query with its own
segmenter (Intl.Segmenter, whose dictionary differs between browsers, and which some
phones lack), and the two disagree: 渣土车 is indexed as 渣土 + 车, so typing 渣土车 or 渣土
found nothing in Chromium, and 低保审核 found 226 of the 747 pages that contain it. So the
index reads a copy of each page with a zero-width space between Chinese characters, and the
search page (theme/static/search.js) looks for the typed characters as a phrase: every page
containing the words as typed, as Chinese readers expect. The price, measured in bench
sites, is index chunks about twice the size per query.

The binary runs as its documented command line, not through the package's service API:
that API waits forever for an answer when the binary dies halfway, a command line
reports through its exit status. The build fails when search cannot be built (a portal
whose search box leads to a broken page is worse than no build); a site that cannot run the
binary sets `search: false` and is built without search.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from . import urls
from .errors import Problems, Source
from .load.site import CONFIG_FILE
from .pagefind_order import ENTRY, canonical_filters

TIMEOUT = 1800  # seconds; 5,000 pages take about 30
OPT_IN = "data-pagefind-body"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
BETWEEN_HAN = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
# A tag and the text after it; the text of a search record's meta, filter or sort elements
# is shown as written, so it is left alone.
TAG_TEXT = re.compile(r"(<[^>]*>)([^<]*)")
ALT = re.compile(r'(\salt=")([^"]*)(")')
KEEP = re.compile(r"data-pagefind-(meta|filter|sort)\b")


def executable() -> tuple[Path | None, str]:
    """The Pagefind binary to run, or None and the reason in Chinese.

    PAGEFIND_BINARY_PATH (the package's own setting) names one explicitly; otherwise it is
    the extended build that `pagefind[extended]` installs.
    """
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None, "没有安装 Python 包 pagefind"
    found = get_executable()
    if found is None or not found.is_file():
        return None, f"没有安装 Pagefind 程序{f'（{found} 不存在）' if found else ''}"
    if not os.environ.get("PAGEFIND_BINARY_PATH") and "extended" not in found.name:
        return None, f"找到的 {found.name} 不是扩展版（extended）"
    return found, ""


def spaced(html: str) -> str:
    """The page as the index reads it: Chinese characters apart (U+200B between them) in
    its text and image descriptions."""
    def tag_and_text(match: re.Match[str]) -> str:
        tag, text = match.groups()
        tag = ALT.sub(lambda a: a[1] + BETWEEN_HAN.sub("\u200b", a[2]) + a[3], tag)
        return tag + (text if KEEP.search(tag) else BETWEEN_HAN.sub("\u200b", text))

    return TAG_TEXT.sub(tag_and_text, html)


def _copy_for_index(pages: dict[str, Path], copy: Path) -> None:
    """The pages that opt in (all pages when none does), as the index reads them.
    `pages`: each page's public file name → where its HTML is now."""
    texts = {name: path.read_text(encoding="utf-8") for name, path in sorted(pages.items())}
    chosen = [name for name, html in texts.items() if OPT_IN in html] or list(texts)
    for name in chosen:
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spaced(texts[name]), encoding="utf-8")


def build_index(pages: dict[str, Path], bundle: Path, problems: Problems) -> None:
    """Index the HTML `pages` (public name → file) into the folder `bundle`."""
    where = Source(CONFIG_FILE)
    binary, reason = executable()
    if binary is None:
        problems.add("E090", where, reason=reason)
        return
    # PAGEFIND_* variables and a pagefind.yml in the working folder configure the command;
    # neither may change what a build writes, so it runs in a fresh folder without them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="gongshi-search-") as temp:
        copy = Path(temp) / "site"
        _copy_for_index(pages, copy)
        command = [str(binary), "--site", str(copy), "--output-path", str(bundle), "--quiet"]
        try:
            run = subprocess.run(command, cwd=temp, env=env, capture_output=True, text=True,
                                 errors="replace", timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.add("E091", where, reason=str(exc) or type(exc).__name__)
            return
    if run.returncode != 0 or not (bundle / ENTRY).is_file():
        said = (run.stderr + run.stdout).strip().splitlines()
        problems.add("E091", where,
                     reason=f"退出码 {run.returncode}：{' '.join(said[-3:]) or '没有输出'}")
        return
    canonical_filters(bundle)
