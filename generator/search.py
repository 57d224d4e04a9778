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

The index is in shards. Pagefind holds everything it indexes in memory (about 0.45 MB a
page of the bench site: 2 GB for 4,250 pages) and has no incremental mode, so one index of
a large site took gigabytes and re-indexed every page after any edit. Each page goes to
one of the shards by a hash of its name (a unit's page and its items' pages: of the unit),
which depends on nothing else, so an edit or a new page changes one shard (how many
shards: `shard_count`, from the site's size and its setting `search_shard_pages`, default
600 pages, about 320 MB for Pagefind); each shard is a Pagefind bundle of its own
(pagefind/<shard>/, listed in pagefind/shards.json), made by its own process, one at a
time, and kept while its pages read the same. The search page merges the shards
(Pagefind's mergeIndex): the same results and filter counts as one index. Even buckets
keep every shard's ranking statistics alike. The index reads of each page only what
Pagefind indexes (`indexed_part`), which gives the same bundle, so navigation or footer
changes do not touch the index. A query downloads the word chunk of each of its characters
from every shard; Pagefind's chunks (about 28 KB) would make that several times what one
index cost, so they are cut to CHUNK_BYTES (pagefind_order.smaller_chunks), which brings
it back to about what one index cost.

The binary runs as its documented command line, not through the package's service API:
that API waits forever for an answer when the binary dies halfway, a command line
reports through its exit status. The build fails when search cannot be built (a portal
whose search box leads to a broken page is worse than no build); a site that cannot run the
binary sets `search: false` and is built without search.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import urls
from .errors import Problems, Source
from .load.site import CONFIG_FILE
from .pagefind_order import ENTRY, canonical_filters, smaller_chunks

TIMEOUT = 1800  # seconds, for one shard
CHUNK_BYTES = 4096  # word index chunks (generator/pagefind_order.py)
SHARD_LIST = "shards.json"  # the shards' folder names, for theme/static/search.js
# Pagefind's ready-made search interfaces and its highlighter; the theme has its own.
UNUSED = re.compile(r"pagefind-(?:[a-z]+-)?ui\.(?:js|css)$|pagefind-highlight\.js$")
OPT_IN = "data-pagefind-body"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
BETWEEN_HAN = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
# A tag and the text after it; the text of a search record's meta, filter or sort elements
# is shown as written, so it is left alone.
TAG_TEXT = re.compile(r"(<[^>]*>)([^<]*)")
ALT = re.compile(r'(\salt=")([^"]*)(")')
KEEP = re.compile(r"data-pagefind-(meta|filter|sort)\b")
# The elements Pagefind reads of a page that opts in: its body, and meta, filter and sort
# values wherever they stand.
READ = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\sdata-pagefind-(?:body|meta|filter|sort)\b[^>]*>")
IGNORED = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>")
HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


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


def indexed_part(html: str) -> str:
    """The parts of a page that opts in that Pagefind reads: its <html> tag (the language),
    the element marked data-pagefind-body and the meta, filter and sort elements outside it.
    The index made from them is the same as from the whole page, and an edit to what it
    does not read (navigation, footer, neighbours' links) leaves the page's shard as it was."""
    pieces, end = [], 0
    for found in READ.finditer(html):
        if found.start() < end:
            continue  # inside an element already taken
        name = found[1].lower()
        if name in ("html", "body"):
            return html
        end = found.end() if name in VOID else _closing(html, name, found.end())
        pieces.append(_without_ignored(html[found.start() : end]))
    opening = HTML_TAG.search(html)
    return f"<!doctype html>\n{opening[0] if opening else '<html>'}<body>{''.join(pieces)}</body></html>\n"


def _without_ignored(html: str) -> str:
    """`html` without its data-pagefind-ignore elements that hold nothing Pagefind reads."""
    kept, at = [], 0
    for found in IGNORED.finditer(html):
        if found.start() < at:
            continue
        name = found[1].lower()
        end = found.end() if name in VOID else _closing(html, name, found.end())
        if "data-pagefind-" not in html[found.end() : end]:
            kept.append(html[at : found.start()])
            at = end
    return "".join(kept) + html[at:]


def _closing(html: str, name: str, start: int) -> int:
    """Where the element `name` whose start tag ends at `start` ends (its end tag included)."""
    depth = 1
    for tag in re.finditer(rf"<(/?){name}\b[^>]*>", html[start:], re.I):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return start + tag.end()
    return len(html)


def shard_count(pages: int, most: int) -> int:
    """How many shards an index of `pages` pages has: the smallest power of two that leaves
    at most `most` pages to a shard on average (site_config `search_shard_pages`; 0: one
    index). A power of two, so that a growing site changes its shards, and indexes every
    page again, only when it has doubled."""
    count = 1
    while most and pages > count * most:
        count *= 2
    return count


def shard_of(name: str, count: int) -> str:
    """The shard, among `count`, of the page published as `name`: a hash of its name, so it
    never depends on the other pages; a unit's page and its ledger's item pages (units/<unit>/,
    rectification/<unit>/…) hash the unit's id instead, so that a change of an item, which
    changes both, indexes one shard again, not two. The name says how many shards there are,
    so a bundle made for another count is never taken for this one."""
    parts = name.split("/")
    key = f"unit:{parts[1]}" if len(parts) > 2 and parts[0] + "/" in (urls.UNITS, urls.DASHBOARD) else name
    bucket = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big") % count
    return f"{count}-{bucket:02x}"


def by_shard(names: Iterable[str], count: int) -> dict[str, list[str]]:
    """Page names (sorted) by shard, in shard order."""
    shards: dict[str, list[str]] = {}
    for name in sorted(names):
        shards.setdefault(shard_of(name, count), []).append(name)
    return dict(sorted(shards.items()))


def opts_in(pages: dict[str, Path]) -> bool:
    """Whether any page marks its body for the index; when none does, all pages are indexed
    whole (as Pagefind does)."""
    return any(OPT_IN in path.read_text(encoding="utf-8") for path in pages.values())


def copies(pages: dict[str, Path], opt_in: bool) -> dict[str, str]:
    """The pages as the index reads them (those that opt in, when `opt_in`), by public name.
    `pages`: each page's public file name → where its HTML is now."""
    found = {}
    for name, path in sorted(pages.items()):
        html = path.read_text(encoding="utf-8")
        if not opt_in:
            found[name] = spaced(html)
        elif OPT_IN in html:
            found[name] = spaced(indexed_part(html))
    return found


def signature(pages: dict[str, str]) -> bytes:
    """What a shard's bundle is made from: its pages as the index reads them and the program."""
    digest = hashlib.sha256(f"{_program()}\0{CHUNK_BYTES}".encode())
    for name, text in sorted(pages.items()):
        digest.update(f"\0{name}\0{len(text)}\0{text}".encode())
    return b"search:" + digest.digest()


def _program() -> str:
    binary, _ = executable()
    return f"{binary}:{binary.stat().st_size}" if binary else ""


def build_index(pages: dict[str, str], bundle: Path, problems: Problems) -> None:
    """Index `pages` (public name → the text to index) into the folder `bundle`."""
    where = Source(CONFIG_FILE)
    binary, reason = executable()
    if binary is None:
        problems.add("E090", where, reason=reason)
        return
    # PAGEFIND_* variables and a pagefind.yml in the working folder configure the command;
    # neither may change what a build writes, so it runs in a fresh folder without them.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="gongshi-search-") as temp:
        site = Path(temp) / "site"
        for name, text in pages.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text, encoding="utf-8")
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--quiet"]
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
    for path in bundle.iterdir():
        if UNUSED.match(path.name):
            path.unlink()
    smaller_chunks(bundle, CHUNK_BYTES)
    canonical_filters(bundle)
