"""Bulletins (简报): periods numbered from the campaign start, a chosen period's contents,
the SMS-length text, and the pages, text files and feed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest
from conftest import write
from test_history import edit

from generator import govfeeds, jobs
from generator.build import build, prepare
from generator.bulletins import Bulletin, periods, sms_text
from generator.errors import Problems

D = dt.date


def test_weekly_periods_count_from_the_campaign_start() -> None:
    found = periods(D(2014, 3, 9), D(2014, 9, 30), D(2014, 3, 23), "每周")
    assert [(p.number, p.start, p.end) for p in found] == [
        (1, D(2014, 3, 9), D(2014, 3, 15)), (2, D(2014, 3, 16), D(2014, 3, 22))]
    # a period is out once it is over: not on its last day
    assert len(periods(D(2014, 3, 9), D(2014, 9, 30), D(2014, 3, 22), "每周")) == 1
    assert periods(D(2014, 3, 9), D(2014, 9, 30), D(2014, 3, 9), "每周") == []


def test_monthly_periods_and_the_campaign_end() -> None:
    found = periods(D(2014, 3, 9), D(2014, 4, 10), D(2015, 1, 1), "每月")
    assert [(p.start, p.end) for p in found] == [(D(2014, 3, 9), D(2014, 3, 31)), (D(2014, 4, 1), D(2014, 4, 10))]
    december = periods(D(2014, 12, 1), D(2015, 2, 1), D(2015, 3, 1), "每月")
    assert [p.label for p in december] == ["12月1日至12月31日", "1月1日至1月31日", "2月1日至2月1日"]
    assert periods(D(2014, 12, 29), D(2015, 1, 9), D(2015, 2, 1), "每周")[0].label == "2014年12月29日至2015年1月4日"


@pytest.fixture
def busy_week(small_site: Path) -> Path:
    """The week of 2014-06-29 to 07-05 (第17期) made eventful: see the test below."""
    ledger = "content/rectification/edu.yml"
    edit(small_site, ledger, "unit: edu\n", "unit: edu\npublished: 2014-05-15\n")
    edit(small_site, ledger, "    deadline: 2014-07-10\n    status: 整改中\n    progress:\n      - {date: 2014-06-01, text: 制定精简方案}",
         "    deadline: 2014-07-10\n    status: 已完成\n    completed: 2014-07-03\n    progress:\n"
         "      - {date: 2014-06-01, text: 制定精简方案}\n      - {date: 2014-07-03, text: 会议文件减少四成}")
    edit(small_site, ledger, "    deadline: 2014-07-20\n    status: 未启动", "    deadline: 2014-07-04\n    status: 未启动")
    edit(small_site, ledger, "    deadline: 立行立改\n    status: 整改中", "    deadline: 立行立改\n    status: 整改中\n    added: 2014-07-02")
    return small_site


def week_17(site: Path) -> Bulletin:
    found = {b.number: b for b in prepare(site, Problems()).bulletins}
    assert sorted(found) == list(range(1, 19))  # every week up to as_of 2014-07-15, empty ones too
    return found[17]


def test_a_weeks_contents(busy_week: Path) -> None:
    b = week_17(busy_week)
    assert (b.period.start, b.period.end) == (D(2014, 6, 29), D(2014, 7, 5))
    assert [a.id for a in b.articles] == ["2014-07-01-first"]
    assert [(m.id, r.percent if r else None) for m, r in b.meetings] == [("edu-life", "63.3%")]
    assert [f.id for f in b.listed] == ["r04"]  # its own `added` date; the others the ledger's
    assert [d.item.id for d in b.done] == ["r02"]
    assert [(d.item.id, d.label) for d in b.due] == [("r01", "按期完成"), ("r03", "到期未完成")]
    assert [(f.id, p.text) for f, p in b.progress] == [("r02", "会议文件减少四成")]
    assert b.commitments == [] and b.rules == []
    assert b.done_by_end == 2  # r01 (6月20日) and r02
    assert b.sms == ("【测试区群众路线网简报第17期】6月29日至7月5日：发布新闻1篇；召开会议1场，其中1场开展群众评议，"
                     "1场满意率低于三分之二须返工补课；新列入整改事项1项；完成整改1项；到期未完成1项；累计完成整改2项。"
                     "完成：区教育局“会议文件过多”。详见https://example.gov.cn/qzlx/bulletins/17/")


def test_the_sms_text_keeps_to_its_length(busy_week: Path) -> None:
    b = week_17(busy_week)
    url = "https://example.gov.cn/qzlx/bulletins/17/"
    for limit in (300, 120, 70, 20):
        text = sms_text(b, "测试区群众路线网简报", url, limit, {"edu": "区教育局"})
        assert len(text) <= limit
        assert text.startswith("【测试区群众路线网简报第17期】"[:limit])
    # the counts first, then the link, then the items completed; cut only when the counts do not fit
    units = {"edu": "区教育局"}
    full = sms_text(b, "简报", url, 300, units)
    assert full.endswith("累计完成整改2项。完成：区教育局“会议文件过多”。详见" + url)
    assert sms_text(b, "简报", url, len(full) - 1, units).endswith("累计完成整改2项。详见" + url)
    counts = full.split("完成：区教育局")[0]
    assert sms_text(b, "简报", url, len(counts), units) == counts
    cut = sms_text(b, "简报", url, len(counts) - 1, units)
    assert cut == counts[:-2] + "…"


def test_pages_text_files_and_feed(busy_week: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(busy_week, out)
    site = prepare(busy_week, Problems())
    b = next(b for b in site.bulletins if b.number == 17)
    page = (out / "bulletins/17/index.html").read_text(encoding="utf-8")
    for text in ("第17期", "6月29日至7月5日", "到期未完成", "会议文件减少四成", "群众评议满意率 63.3%",
                 "须返工补课", '<meta name="PubDate" content="2014-07-05 00:00">', b.sms):
        assert text in page, text
    assert 'href="../16/" rel="prev"' in page and 'href="../18/" rel="next"' in page
    assert (out / "bulletins/17.txt").read_text(encoding="utf-8") == b.sms + "\n"
    listing = (out / "bulletins/index.html").read_text(encoding="utf-8")
    assert listing.index('href="17/"') < listing.index('href="16/"')  # newest first
    feed = feedparser.parse((out / "feeds/bulletins.xml").read_bytes())
    assert [e.link for e in feed.entries][:2] == ["https://example.gov.cn/qzlx/bulletins/18/",
                                                   "https://example.gov.cn/qzlx/bulletins/17/"]
    entry = feed.entries[1]
    assert entry.title == "测试区群众路线网简报第17期（6月29日至7月5日）"
    assert entry.summary == b.sms and entry.published.startswith("Sat, 05 Jul 2014")



def test_a_busy_periods_feed_entry_lists_the_first_headlines_and_links_the_rest(small_site: Path,
                                                                               tmp_path: Path) -> None:
    """The page lists every article of the period; its feed entry the first FEED_HEADLINES
    and how many more, with the page's link (an entry of hundreds made the feed megabytes)."""
    for n in range(govfeeds.FEED_HEADLINES + 3):
        write(small_site, f"content/news/2014-07-0{1 + n % 5}-busy-{n:02d}.md",
              f"---\ntitle: 忙碌的一周{n:02d}\ndate: 2014-07-0{1 + n % 5}\ncolumn: news\n---\n正文\n")
    out = tmp_path / "out"
    build(small_site, out)
    week = next(b for b in prepare(small_site, Problems()).bulletins if b.number == 17)
    assert len(week.articles) >= govfeeds.FEED_HEADLINES + 3
    page = (out / "bulletins/17/index.html").read_text(encoding="utf-8")
    assert all(a.title in page for a in week.articles)
    entry = next(e for e in feedparser.parse((out / "feeds/bulletins.xml").read_bytes()).entries
                 if e.link.endswith("/bulletins/17/"))
    content = entry.content[0].value
    assert content.count("<li>") == govfeeds.FEED_HEADLINES
    assert all(a.title in content for a in week.articles[:govfeeds.FEED_HEADLINES])
    assert week.articles[govfeeds.FEED_HEADLINES].title not in content
    more = len(week.articles) - govfeeds.FEED_HEADLINES
    assert f'本期另有{more}篇，见<a href="https://example.gov.cn/qzlx/bulletins/17/">本期简报</a>' in content
    quiet = next(e for e in feedparser.parse((out / "feeds/bulletins.xml").read_bytes()).entries
                 if e.link.endswith("/bulletins/16/"))
    assert "本期另有" not in quiet.content[0].value

def test_monthly_bulletins(small_site: Path) -> None:
    config = small_site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "bulletin: {period: 每月, name: 测试简报, sms_length: 100}\n",
                      encoding="utf-8")
    write(small_site, "content/news/2014-06-30-last.md", "---\ntitle: 六月最后一天\ndate: 2014-06-30\ncolumn: news\n---\n正文\n")
    found = prepare(small_site, Problems()).bulletins
    assert [(b.number, b.period.label) for b in found] == [
        (4, "6月1日至6月30日"), (3, "5月1日至5月31日"), (2, "4月1日至4月30日"), (1, "3月9日至3月31日")]
    june = found[0]
    assert [a.id for a in june.articles] == ["2014-06-01-second", "2014-06-30-last"]
    assert (june.news_count, june.document_count) == (2, 0) and "发布新闻2篇" in june.sms
    assert june.sms.startswith("【测试简报第4期】") and len(june.sms) <= 100


def test_each_record_is_in_the_bulletin_of_its_day(small_site: Path) -> None:
    """Periods' first and last days, the days before the campaign and after the last
    finished period (as_of 2014-07-15: 第18期 ends 7月12日): each news item is in exactly
    the bulletin whose period holds its date, or in none."""
    days = [D(2014, 3, 8), D(2014, 3, 9), D(2014, 3, 15), D(2014, 3, 16), D(2014, 6, 28), D(2014, 7, 12),
            D(2014, 7, 13), D(2014, 7, 14)]
    for day in days:
        write(small_site, f"content/news/{day}-edge.md",
              f"---\ntitle: 边界{day}\ndate: {day}\ncolumn: news\n---\n正文\n")
    found = prepare(small_site, Problems()).bulletins
    for day in days:
        holding = [b.number for b in found if f"{day}-edge" in [a.id for a in b.articles]]
        expected = [b.number for b in found if b.period.start <= day <= b.period.end]
        assert holding == expected, day
    assert [len([b for b in found if b.period.start <= day <= b.period.end]) for day in days] == [0, 1, 1, 1, 1, 1, 0, 0]


def test_a_status_change_makes_again_only_the_bulletins_that_name_the_item(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulletin holds what it shows of an item, not the item (known by its file's
    fingerprint, which any edit of the ledger changes): those naming other items of the
    same ledger are kept as they are."""
    out = tmp_path / "out"
    build(small_site, out)
    made: list[str] = []
    real = jobs.render_output
    monkeypatch.setattr(jobs, "render_output", lambda env, site, o: (made.append(o.file), real(env, site, o))[1])
    monkeypatch.setenv("GONGSHI_JOBS", "1")  # rendered in this process, where the spy is
    edit(small_site, "content/rectification/edu.yml", "    status: 整改中\n    progress:\n      - {date: 2014-06-01",
         "    status: 已完成\n    completed: 2014-07-08\n    progress:\n      - {date: 2014-06-01")
    build(small_site, out)
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.glob("bulletins/*/index.html")}
    rendered = {name for name in made if name in pages}
    others = {name for name, text in pages.items()  # naming other items of the ledger, not this one
              if ("办事窗口排队时间长" in text or "学校乱收费" in text) and "会议文件过多" not in text}
    assert others and not others & rendered
    assert any("完成整改（1 项）" in pages[name] and "会议文件过多" in pages[name] for name in rendered)
