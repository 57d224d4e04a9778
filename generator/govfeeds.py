"""The feeds of the change log and of the bulletins, made with feeds.py's machinery.

Kept apart from feeds.py's feeds because these records are the site's own compilations
(changelog.py, bulletins.py), not editor content; the plan adds them to the list of feeds
(plan.FEED_FAMILIES), so the subscription page, the OPML file and the page links have them
like any other.
"""

from __future__ import annotations

import html

from . import urls
from .bulletins import bulletin_name
from .changelog import LogEntry
from .feeds import Absolute, Entry, Feed
from .site import Site


def _change_entry(e: LogEntry, absolute: Absolute) -> Entry:
    page = absolute.page(e.record.path if e.record.path is not None else urls.CHANGES)
    link = f"{page}#{e.record.anchor}" if e.record.anchor and e.record.path is not None else page
    about = f"{e.record.what}：{e.record.title}" + (f"（{e.record.unit}）" if e.record.unit else "")
    content = f"<p>{html.escape(e.text)}</p><p>{html.escape(about)}</p>"
    return Entry(guid=f"{page}#{e.fragment}", title=f"{e.label}：{e.record.title}", link=link, date=e.date,
                 summary=e.text, content=content, author=e.record.unit,
                 categories=tuple(c for c in ("更正与变更", e.record.what, e.record.unit) if c))


def changelog_feed(site: Site) -> Feed:
    absolute = Absolute(site.config.base_url)
    entries = tuple(_change_entry(e, absolute) for e in site.changelog[: site.config.feed_size])
    return Feed("changes", f"{site.config.title} · 更正与变更记录",
                "已公开内容的每一次更正和变更：时限、状态、文字的调整和撤销", urls.CHANGES, entries, "全站")


# a bulletin's entry in its feed lists at most this many of the period's articles (its page
# lists them all): a busy period of a large site has hundreds, which made each entry 100 KB
# and the feed megabytes, more than a reader on a phone wants to fetch every time
FEED_HEADLINES = 20


def bulletin_feed(site: Site) -> Feed:
    absolute = Absolute(site.config.base_url)
    name = bulletin_name(site)
    entries = []
    for b in site.bulletins[: site.config.feed_size]:
        link = absolute.page(urls.bulletin(b.number))
        headlines = "".join(f'<li><a href="{html.escape(absolute.page(urls.article(a)))}">{html.escape(a.title)}</a></li>'
                            for a in b.articles[:FEED_HEADLINES])
        more = len(b.articles) - FEED_HEADLINES
        content = f"<p>{html.escape(b.sms)}</p>" + (f"<ul>{headlines}</ul>" if headlines else "") \
            + (f'<p>本期另有{more}篇，见<a href="{html.escape(link)}">本期简报</a>。</p>' if more > 0 else "")
        entries.append(Entry(guid=link, title=f"{name}第{b.number}期（{b.period.label}）", link=link,
                             date=b.period.end, summary=b.sms, content=content,
                             author=site.config.footer.host or site.config.organiser, categories=("简报",)))
    return Feed("bulletins", f"{site.config.title} · {name}", "按期汇总本站发布的内容和整改进展",
                urls.BULLETINS, tuple(entries), "全站")


def record_feeds(site: Site) -> list[Feed]:
    """The feeds of the site's own compilations."""
    return [changelog_feed(site), bulletin_feed(site)]
