"""The change log (更正与变更记录) against a small git history, and its feed.

On top of tests/test_history.py's four commits (r02's deadline moved later, r04 done, r03
withdrawn) this adds:
  5  2014-07-09  the title of news 2014-07-01-first corrected
  6  2014-07-10  the text of document city-notice corrected, with `updated: 2014-07-10`
  7  2014-07-11  commitment item edu-2014/c02's deadline moved
  8  2014-07-12  news 2014-06-01-second gets `updated: 2014-06-05`, a correction git never saw
"""

from __future__ import annotations

import html
from pathlib import Path

import feedparser
from test_history import edit, git, history_site  # noqa: F401  (history_site is a fixture)

from generator.build import build, prepare
from generator.changelog import LogEntry
from generator.errors import Problems


def entries_of(site: Path) -> list[LogEntry]:
    return prepare(site, Problems()).changelog


def more_history(site: Path) -> Path:
    edit(site, "content/news/2014-07-01-first.md", "title: 区教育局公布整改清单", "title: 区教育局公布第一批整改清单")
    git(site, "commit", "-qam", "更正标题", date="2014-07-09T09:00:00+08:00")
    edit(site, "content/documents/city-notice.md", "现将有关事项通知如下。", "现将第二环节有关事项通知如下。")
    edit(site, "content/documents/city-notice.md", "written: 2014-05-08\n", "written: 2014-05-08\nupdated: 2014-07-10\n")
    git(site, "commit", "-qam", "更正正文", date="2014-07-10T09:00:00+08:00")
    edit(site, "content/commitments/edu-2014.yml", "deadline: 2014-06-30", "deadline: 2014-07-31")
    git(site, "commit", "-qam", "承诺延期", date="2014-07-11T09:00:00+08:00")
    edit(site, "content/news/2014-06-01-second.md", "unit: street\n", "unit: street\nupdated: 2014-06-05\n")
    git(site, "commit", "-qam", "注明更正日期", date="2014-07-12T09:00:00+08:00")
    return site


def test_every_change_newest_first_linked_to_its_record(history_site: Path) -> None:  # noqa: F811
    log = entries_of(more_history(history_site))
    rows = [(e.date.isoformat(), e.record.what, e.record.path, e.record.anchor, e.text) for e in log]
    assert rows == [
        ("2014-07-11", "承诺事项", "commitments/edu-2014/", "c02", "时限由“2014-06-30”改为“2014-07-31”（时限推迟）"),
        ("2014-07-10", "文件", "documents/city-notice/", "", "正文有修改"),
        ("2014-07-09", "新闻", "news/2014-07-01-first/", "", "标题由“区教育局公布整改清单”改为“区教育局公布第一批整改清单”"),
        ("2014-07-08", "整改事项", "rectification/edu/r03/", "", "撤销。撤销原因：与 r02 重复"),
        ("2014-07-06", "整改事项", "rectification/edu/r04/", "", "状态由“整改中”改为“已完成”"),
        ("2014-07-02", "整改事项", "rectification/edu/r02/", "", "时限由“2014-07-10”改为“2014-07-31”（时限推迟）"),
        ("2014-06-05", "新闻", "news/2014-06-01-second/", "", "内容更正（更正日期由编辑注明）"),
    ]
    # adding only `updated` (or `withdrawn`) is not an edit of the text; city-notice's declared
    # correction is the same day as its git edit: listed once
    assert [e.kind for e in log if e.record.path == "documents/city-notice/"] == ["change"]


def test_the_page_and_its_feed(history_site: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "out"
    build(more_history(history_site), out)
    page = html.unescape((out / "changes/index.html").read_text(encoding="utf-8"))
    assert page.index("2014年7月11日") < page.index("2014年7月9日") < page.index("2014年7月2日")
    assert '<a href="../commitments/edu-2014/#c02">六月底前完成收费清理</a>' in page
    assert '<a href="../rectification/edu/r03/">' in page and "版本记录（git）" in page
    feed = feedparser.parse((out / "feeds/changes.xml").read_bytes())
    assert feed.feed.title.endswith("更正与变更记录")
    assert len(feed.entries) == 7 and len({e.id for e in feed.entries}) == 7
    moved = next(e for e in feed.entries if "c02" in e.id)
    assert moved.link == "https://example.gov.cn/qzlx/commitments/edu-2014/#c02"
    assert moved.published.startswith("Fri, 11 Jul 2014")
    assert "2014-07-31" in moved.summary
    atom = feedparser.parse((out / "feeds/changes.atom").read_bytes())
    assert [e.id for e in atom.entries] == [e.id for e in feed.entries]
    subscribe = (out / "feeds/index.html").read_text(encoding="utf-8")
    assert "changes.xml" in subscribe and "changes.xml" in (out / "feeds/all.opml").read_text(encoding="utf-8")


def test_without_git_only_withdrawals_and_declared_corrections(small_site: Path, tmp_path: Path) -> None:
    edit(small_site, "content/news/2014-06-01-second.md", "unit: street\n",
         "unit: street\nwithdrawn: {date: 2014-07-03, reason: 重复发布}\n")
    edit(small_site, "content/news/2014-07-01-first.md", "author: 张记者\n", "author: 张记者\nupdated: 2014-07-02\n")
    log = entries_of(small_site)
    assert [(e.date.isoformat(), e.kind, e.record.title) for e in log] == [
        ("2014-07-03", "withdrawn", "东街街道召开座谈会"), ("2014-07-02", "corrected", "区教育局公布整改清单")]
    build(small_site, tmp_path / "out")
    page = (tmp_path / "out/changes/index.html").read_text(encoding="utf-8")
    assert "暂时无法读取网站内容的版本记录（站点目录不在 git 仓库中）" in page
    assert "重复发布" in page
