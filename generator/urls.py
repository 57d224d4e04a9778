"""Every public path of the site, in one place.

Paths are relative to the site root and end with '/' for pages (served as index.html).
Ids are part of these paths and never change once published.
"""

from __future__ import annotations

import posixpath

from .model import Article, Commitment, Meeting, Page

HOME = ""
UNITS = "units/"
DASHBOARD = "rectification/"
COMMITMENTS = "commitments/"
MEETINGS = "meetings/"
OPINIONS = "opinions/"
RULES = "rules/"
DATA = "data/"
FEEDS = "feeds/"
CHANGES = "changes/"
BULLETINS = "bulletins/"
NOT_FOUND = "404.html"
SEARCH = "search/"
PAGEFIND = "pagefind/"  # the search index and its script, written by Pagefind
WEB_MANIFEST = "site.webmanifest"
SHARE_IMAGES = "og/"  # Open Graph images: share cards and the site's default image


def article(record: Article) -> str:
    return f"{'documents' if record.kind == 'document' else 'news'}/{record.id}/"


def column(column_id: str, page: int = 1) -> str:
    return f"{column_id}/" if page == 1 else f"{column_id}/page/{page}/"


def archive(column_id: str, month: str) -> str:
    return f"{column_id}/archive/{month}/"


def unit(unit_id: str) -> str:
    return f"units/{unit_id}/"


def ledger(unit_id: str, status: str = "", category: str = "") -> str:
    if status:
        return f"rectification/{unit_id}/status/{status}/"
    if category:
        return f"rectification/{unit_id}/category/{category}/"
    return f"rectification/{unit_id}/"


def item(unit_id: str, item_id: str) -> str:
    return f"rectification/{unit_id}/{item_id}/"


def commitment(record: Commitment) -> str:
    return f"commitments/{record.id}/"


def meeting(record: Meeting) -> str:
    return f"meetings/{record.id}/"


def page(record: Page) -> str:
    return f"pages/{record.id}/"


def bulletin(number: int) -> str:
    return f"{BULLETINS}{number}/"


def bulletin_text(number: int) -> str:
    """The plain-text (SMS) version of a bulletin."""
    return f"{BULLETINS}{number}.txt"


def media(site_relative: str) -> str:
    """Images and files beside content: content/news/a/b.jpg → media/news/a/b.jpg."""
    return "media/" + site_relative.split("/", 1)[1]


def feed(slug: str, ext: str = "xml") -> str:
    """feeds/<slug>.xml (RSS 2.0), feeds/<slug>.atom (Atom) or feeds/<slug>.json (JSON Feed)."""
    return f"{FEEDS}{slug}.{ext}"


def json_feed(rss_path: str) -> str:
    """The JSON Feed beside an RSS feed: feeds/<slug>.xml → feeds/<slug>.json."""
    return rss_path.removesuffix(".xml") + ".json"


OPML = "feeds/all.opml"
MANIFEST = "manifest.json"  # every output file with its SHA-256 and the content commit


def static(name: str) -> str:
    return f"static/{name}"


def relative(target: str, current: str) -> str:
    """The link from the page at public path `current` to public path `target`.

    Relative links make the output work under any base path and from a plain local server.
    Pure string work (what posixpath.relpath gives, without its getcwd per call): every
    page calls this for each of its links.
    """
    depth = current.count("/")
    if depth and not current.startswith("/"):  # the usual case first: nothing in common
        top = current[: current.index("/")]
        if not target.startswith(top) or target[len(top) : len(top) + 1] not in ("/", ""):
            return "../" * depth + target
    here = current.rsplit("/", 1)[0].split("/") if "/" in current else []
    if not here or here == [""]:
        return target or "./"
    wanted = target.split("/") if target else []
    folder = target == "" or target.endswith("/")
    if folder:
        wanted = wanted[:-1] if wanted else []
    common = 0
    for mine, theirs in zip(here, wanted, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(here) - common) + wanted[common:]
    if not parts:
        return "./" if folder else "."
    link = "/".join(parts)
    return link + "/" if folder else link


def absolute(base_url: str, path: str) -> str:
    """The full URL of a public path: base_url may have a path, with or without its last '/'."""
    return base_url.rstrip("/") + "/" + path


def file_for(path: str) -> str:
    """The output file that serves a public path."""
    return path + "index.html" if path == "" or path.endswith("/") else path


CATEGORY_SLUGS = {
    "形式主义": "formalism", "官僚主义": "bureaucratism", "享乐主义": "hedonism",
    "奢靡之风": "extravagance", "群众切身利益": "livelihood", "最后一公里": "last-mile",
    "专项整治": "special", "其他": "other",
}


def content_file(record_file: str, src: str) -> str:
    """A path written relative to a content file (an image) → its site-relative path."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(record_file), src))
