"""History from git: a small site committed over several commits.

Commits (dated by GIT_COMMITTER_DATE, China time):
  1  2014-05-01  the small fixture as it is (edu r02: deadline 2014-07-10, 整改中)
  2  2014-07-02  r02's deadline moved later to 2014-07-31
  3  2014-07-06  r04's status 整改中 → 已完成 (completed 2014-07-05)
  4  2014-07-08  r03 withdrawn (withdrawn: {date, reason}), news 2014-06-01-second deleted
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from conftest import errors_of, planned_stages, write

from generator.build import build, prepare
from generator.errors import Problems
from generator.history import CACHE_DIR, CACHE_FILE, REPLAY_FILE, STATE_FILE, History, read_history
from generator.incremental import Fingerprints

LEDGER = "content/rectification/edu.yml"


def git(site: Path, *args: str, date: str = "2014-05-01T10:00:00+08:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.gov.cn",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.gov.cn"}
    subprocess.run(["git", "-C", str(site), *args], check=True, env=env, capture_output=True)


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def history_site(small_site: Path) -> Path:
    git(small_site, "init", "-q")
    git(small_site, "add", "-A")
    git(small_site, "commit", "-qm", "初始内容")
    edit(small_site, LEDGER, "deadline: 2014-07-10", "deadline: 2014-07-31")
    git(small_site, "commit", "-qam", "r02 延期", date="2014-07-02T09:00:00+08:00")
    edit(small_site, LEDGER, "deadline: 立行立改\n    status: 整改中",
         "deadline: 立行立改\n    status: 已完成\n    completed: 2014-07-05")
    git(small_site, "commit", "-qam", "r04 完成", date="2014-07-06T09:00:00+08:00")
    edit(small_site, LEDGER, "    status: 未启动\n", "    status: 未启动\n    withdrawn: {date: 2014-07-08, reason: 与 r02 重复}\n")
    git(small_site, "commit", "-qam", "r03 撤销", date="2014-07-08T09:00:00+08:00")
    return small_site


def test_the_history_is_replayed_again_only_after_a_commit(history_site: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Between two commits the history is the one replayed last (history.REPLAY_FILE), with
    its fingerprint; uncommitted edits only mark it dirty; a commit replays it again."""
    import generator.history as history_module

    afresh = read_history(history_site)
    replayed: list[int] = []
    replay = history_module._replay
    monkeypatch.setattr(history_module, "_replay", lambda *a: replayed.append(1) or replay(*a))
    edit(history_site, LEDGER, "measures: 精简会议", "measures: 精简会议和文件")
    kept = read_history(history_site)
    assert replayed == [] and kept.dirty and not afresh.dirty
    assert Fingerprints().of(dataclasses.replace(kept, dirty=False)) == Fingerprints().of(afresh)
    git(history_site, "commit", "-qam", "r02 措施", date="2014-07-09T09:00:00+08:00")
    again = read_history(history_site)
    assert replayed == [1] and not again.dirty and again.commit != afresh.commit
    assert any(c.field == "measures" for c in again.of("item", "edu", "r02"))


def _afresh(site: Path) -> History:
    """The history as a first build reads it: every commit replayed."""
    for name in (REPLAY_FILE, STATE_FILE):
        (site / CACHE_DIR / name).unlink(missing_ok=True)
    return read_history(site)


def test_a_new_commit_is_replayed_on_what_was_replayed_before(history_site: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """After a commit only the commits since the last replay are replayed (history.STATE_FILE),
    and the history is the one a replay of every commit gives: the same changes, the same
    first publication of each record (documents' 索引号 go by its order)."""
    import generator.history as history_module

    read_history(history_site)
    logged: list[str] = []
    log = history_module._log
    monkeypatch.setattr(history_module, "_log", lambda repo, prefix, since="": logged.append(since) or log(repo, prefix, since))
    edit(history_site, LEDGER, "measures: 精简会议", "measures: 精简会议和文件")
    git(history_site, "commit", "-qam", "r02 措施", date="2014-07-09T09:00:00+08:00")
    write(history_site, "content/documents/2014-07-10-late.md",
          "---\ntitle: 补发的文件\ndate: 2014-05-02\ncolumn: policy\n---\n正文\n")
    edit(history_site, "content/news/2014-07-01-first.md", "---\n", "---\nupdated: 2014-07-10\n")
    git(history_site, "add", "-A")
    git(history_site, "commit", "-qm", "补发文件", date="2014-07-10T09:00:00+08:00")
    went_on = read_history(history_site)
    assert len(logged) == 1 and logged[0]  # since the last commit replayed
    assert any(c.field == "measures" for c in went_on.of("item", "edu", "r02"))
    afresh = _afresh(history_site)
    assert logged[1:] == [""]
    assert went_on == afresh
    assert went_on.first[("document", "2014-07-10-late")].order == 5 == afresh.first[("document", "2014-07-10-late")].order


def test_a_rewritten_history_is_replayed_whole(history_site: Path) -> None:
    """A commit replayed before and then amended is not in the history any more: the
    replay starts again from the first commit."""
    edit(history_site, LEDGER, "measures: 精简会议", "measures: 精简会议和文件")
    git(history_site, "commit", "-qam", "r02 措施", date="2014-07-09T09:00:00+08:00")
    read_history(history_site)
    edit(history_site, LEDGER, "measures: 精简会议和文件", "measures: 精简会议")
    edit(history_site, LEDGER, "measures: 精简会议\n    owner: 办公室", "measures: 精简会议\n    owner: 督查室")
    git(history_site, "commit", "-q", "--amend", "-am", "r02 责任人", date="2014-07-09T09:00:00+08:00")
    amended = read_history(history_site)
    assert amended == _afresh(history_site)
    assert [c.field for c in amended.of("item", "edu", "r02")] == ["deadline", "owner"]


def test_changes_are_read_with_their_dates(history_site: Path) -> None:
    history = read_history(history_site)
    assert history.available and not history.dirty
    [moved] = history.of("item", "edu", "r02")
    assert (moved.field, moved.old, moved.new, moved.date) == ("deadline", "2014-07-10", "2014-07-31",
                                                               dt.date(2014, 7, 2))
    assert moved.later
    [done] = history.of("item", "edu", "r04")
    assert (done.field, done.old, done.new) == ("status", "整改中", "已完成")
    assert not done.later
    assert history.of("item", "edu", "r01") == []


def test_dashboard_counts_moved_deadlines_and_feed_has_changes(history_site: Path, tmp_path: Path) -> None:
    site = prepare(history_site, Problems())
    assert [s.item.id for s in site.deadline_moved] == ["r02"]
    build(history_site, tmp_path / "out")
    feed = feedparser.parse((tmp_path / "out/feeds/rectification.xml").read_bytes())
    changes = [e for e in feed.entries if "#change-" in e.id]
    assert sorted(e.id.rsplit("-", 1)[1] for e in changes) == ["deadline", "status"]
    deadline = next(e for e in changes if e.id.endswith("deadline"))
    assert "2014-07-10" in deadline.summary and "2014-07-31" in deadline.summary
    assert deadline.published.startswith("Wed, 02 Jul 2014")


def test_deleting_a_published_record_stops_the_build(history_site: Path, tmp_path: Path) -> None:
    (history_site / "content/news/2014-06-01-second.md").unlink()
    ledger = (history_site / LEDGER).read_text(encoding="utf-8")
    start = ledger.index("  - id: r04")
    (history_site / LEDGER).write_text(ledger[:start], encoding="utf-8")
    errors = [e for e in errors_of(history_site) if e.code == "E070"]
    assert sorted(e.file for e in errors) == ["content/news/2014-06-01-second.md", LEDGER]
    item = next(e for e in errors if e.file == LEDGER)
    assert "edu/r04" in item.message and "withdrawn" in item.hint and "--accept-removals" in item.hint
    last = subprocess.run(["git", "-C", str(history_site), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert last[:10] in item.message
    # a maintainer may accept it knowingly
    build(history_site, tmp_path / "out", accept_removals=True)
    assert (tmp_path / "out/index.html").is_file()


def test_an_unreadable_item_is_not_taken_for_a_deleted_one(history_site: Path) -> None:
    edit(history_site, LEDGER, "category: 奢靡之风", "category: 奢靡")
    assert [e.code for e in errors_of(history_site)] == ["E033"]


def test_withdrawn_record_keeps_its_page_and_leaves_the_counts(history_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(history_site, out)
    page = (out / "rectification/edu/r03/index.html").read_text(encoding="utf-8")
    assert "撤销" in page and "与 r02 重复" in page
    site = prepare(history_site, Problems())
    assert site.rect.overall.withdrawn == 1 and site.rect.overall.total == 3


def test_without_git_history_is_unavailable(small_site: Path) -> None:
    history = read_history(small_site)
    assert not history.available and history.reason


def test_shallow_clone_builds_without_history(history_site: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_site}", str(clone)], check=True)
    history = read_history(clone)
    assert not history.available and "浅克隆" in history.reason
    build(clone, tmp_path / "out")


def test_history_cache_is_only_a_speedup(history_site: Path, tmp_path: Path) -> None:
    first = read_history(history_site)
    assert (history_site / ".gongshi-cache").is_dir()
    shutil.rmtree(history_site / ".gongshi-cache")
    assert read_history(history_site).changes == first.changes


def test_item_page_shows_its_changes_and_feeds_announce_withdrawals(history_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(history_site, out)
    page = (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")
    changes = page[page.index("变更记录"):]
    assert "2014-07-10" in changes and "2014-07-31" in changes and "时限推迟" in changes
    assert "2014年7月2日" in changes
    # no section of its own (the footer links the site-wide 更正与变更记录 on every page)
    assert "<h2>变更记录</h2>" not in (out / "rectification/edu/r01/index.html").read_text(encoding="utf-8")
    feed = feedparser.parse((out / "feeds/rectification.xml").read_bytes())
    [withdrawal] = [e for e in feed.entries if e.id.endswith("#withdrawn")]
    assert "r03" in withdrawal.link and "与 r02 重复" in withdrawal.summary


def test_pages_name_the_content_commit(history_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(history_site, out)
    head = subprocess.run(["git", "-C", str(history_site), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert head[:12] in (out / "index.html").read_text(encoding="utf-8")
    assert head in (out / "data/index.html").read_text(encoding="utf-8")
    assert '"commit": "' + head in (out / "manifest.json").read_text(encoding="utf-8")
    # other pages link to the verification section instead, so a commit rewrites no other page
    item = (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")
    assert head[:12] not in item and "#verify" in item


def test_pages_say_when_history_is_unavailable(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    page = (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")
    assert "无法读取内容的修改历史" in page
    assert "不可用" in (out / "data/index.html").read_text(encoding="utf-8")


def test_the_history_is_the_same_read_afresh_or_from_its_cache(history_site: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The history goes into what decides that nothing changed: read from the blob cache it
    must fingerprint as it did when the blobs were parsed, or the build after a new commit
    would be a full one a second time."""
    afresh = read_history(history_site)
    assert (history_site / CACHE_DIR / CACHE_FILE).is_file()
    assert Fingerprints().of(read_history(history_site)) == Fingerprints().of(afresh)

    (history_site / CACHE_DIR / CACHE_FILE).unlink()
    out = tmp_path / "out"
    build(history_site, out)  # parses the blobs afresh
    planned = planned_stages(monkeypatch)
    report = build(history_site, out)  # reads them from the cache: nothing changed
    assert planned == [] and report.written == 0
