"""The disclosure core against numbers worked out by hand for tests/fixtures/small.

The fixture's edu ledger (as_of 2014-07-15):
  r01 已完成, completed 06-20, deadline 06-30             → done
  r02 整改中, deadline 07-10                               → overdue by 15 - 10 = 5 days
  r03 未启动, deadline 07-20                               → due soon: 20 - 15 = 5 days ≤ 7
  r04 整改中, deadline 立行立改                            → in progress
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

from generator.build import build, prepare
from generator.compute import evaluate, item_state
from generator.errors import Problems
from generator.markdown import plain_text
from generator.model import Evaluation


def text(out: Path, page: str) -> str:
    return plain_text((out / page / "index.html").read_text(encoding="utf-8"))


def set_as_of(site: Path, day: str) -> None:
    config = site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2014-07-15", f"as_of: {day}"),
                      encoding="utf-8")


def test_item_states_at_as_of(small_site: Path) -> None:
    site = prepare(small_site, Problems())
    states = {s.item.id: s for s in site.rect.by_unit["edu"]}
    assert states["r01"].state == "done"
    assert (states["r02"].state, states["r02"].overdue_days) == ("overdue", 15 - 10)
    assert (states["r03"].state, states["r03"].days_left) == ("due_soon", 20 - 15)
    assert (states["r04"].state, states["r04"].deadline_kind) == ("in_progress", "immediate")
    t = site.rect.overall
    # 4 items: 1 done (r01), 2 整改中 (r02, r04), 1 未启动 (r03); overdue r02; due soon r03
    assert (t.total, t.done, t.in_progress, t.not_started, t.overdue, t.due_soon) == (4, 1, 2, 1, 1, 1)
    assert t.rate == "25%"  # 1 / 4
    assert site.rect.category_tallies["官僚主义"].done == 1
    assert site.rect.kind_tallies["区直单位"].total == 4


def test_moving_as_of_moves_overdue(small_site: Path) -> None:
    item = prepare(small_site, Problems()).content.ledgers[0].items[1]  # r02, deadline 07-10
    assert item_state(item, 2, dt.date(2014, 7, 5)).state == "due_soon"  # 10 - 5 = 5 days left
    assert item_state(item, 2, dt.date(2014, 7, 10)).state == "due_soon"  # due today is not late
    late = item_state(item, 2, dt.date(2014, 7, 25))
    assert (late.state, late.overdue_days) == ("overdue", 25 - 10)

    set_as_of(small_site, "2014-07-25")
    site = prepare(small_site, Problems())
    # r02 (07-10) and r03 (07-20) are both past on 07-25
    assert [s.item.id for s in site.rect.overdue] == ["r02", "r03"]  # longest overdue first: 15 > 5 days
    assert site.rect.overall.overdue == 2


def test_satisfaction_and_two_thirds_rule() -> None:
    under = evaluate(Evaluation(participants=60, satisfied=24, basically_satisfied=14, dissatisfied=22))
    assert under is not None and under.percent == "63.3%"  # (24 + 14) / 60 = 0.6333
    assert under.under_two_thirds  # 3 × 38 = 114 < 2 × 60 = 120
    edge = evaluate(Evaluation(participants=30, satisfied=15, basically_satisfied=5, dissatisfied=10))
    assert edge is not None and edge.percent == "66.7%" and not edge.under_two_thirds  # exactly 2/3 passes


def test_commitment_tallies(small_site: Path) -> None:
    site = prepare(small_site, Problems())
    t = site.commitment_tally
    # edu-2014: c01 兑现中 (长期坚持), c02 未兑现 past 06-30 → overdue, c03 已兑现; wang: c01 兑现中
    assert (t.total, t.kept, t.in_progress, t.pending, t.overdue) == (4, 1, 2, 0, 1)
    assert t.rate == "25%"
    assert site.commitment_by_unit["edu"].total == 3
    assert site.commitment_by_leader["王某（局长）"].in_progress == 1


def test_pages_show_the_numbers(small_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    dashboard = text(out, "rectification")
    assert "4整改事项 1已完成 2整改中 1未启动 1逾期 25%完成率" in dashboard
    # by unit: 事项 已完成 整改中 未启动 逾期 完成率
    assert "区教育局 4 1 2 1 1 25%" in dashboard
    assert "官僚主义 1 1 0 0 0 100%" in dashboard and "形式主义 1 0 1 0 1 0%" in dashboard
    assert "逾期未完成（1）" in dashboard and "会议文件过多" in dashboard
    ledger = (out / "rectification/edu/index.html").read_text(encoding="utf-8")
    assert ledger.count('class="row-overdue"') == 1
    assert "已逾期 5 天" in ledger and "还剩 5 天" in ledger
    overdue_only = text(out, "rectification/edu/status/overdue")
    assert "会议文件过多" in overdue_only and "学校乱收费" not in overdue_only
    item = text(out, "rectification/edu/r01")
    assert "2014年6月20日" in item and "预约系统上线" in item
    assert "86.7%" in item  # (20 + 6) / 30
    commitments = text(out, "commitments")
    assert "共 4 项承诺：已兑现 1，兑现中 2，未兑现 0，逾期未兑现 1；兑现率 25%" in commitments
    meeting = text(out, "meetings/edu-life")
    assert "63.3%" in meeting and "须返工补课" in meeting
    assert "须返工补课" not in text(out, "meetings/street-talk")

    set_as_of(small_site, "2014-07-25")
    build(small_site, out)
    assert "逾期未完成（2）" in text(out, "rectification")


def test_open_data_files(built_small: Path) -> None:
    with (built_small / "data/rectification/edu.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["事项标识"] for r in rows] == ["r01", "r02", "r03", "r04"]
    assert rows[1]["截至日状态"] == "逾期" and rows[1]["逾期天数"] == "5"
    assert rows[0]["整改措施"] == "增设窗口；推行预约"
    assert rows[0]["群众满意率"] == "86.7%"
    assert (built_small / "data/rectification/edu.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    data = json.loads((built_small / "data/rectification/all.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2014-07-15" and data["count"] == 4
    assert [r["id"] for r in data["records"]] == ["r01", "r02", "r03", "r04"]
    assert data["records"][3]["deadline"] == "立行立改"

    evaluations = json.loads((built_small / "data/evaluations.json").read_text(encoding="utf-8"))
    redo = {r["meeting"]: r["redo"] for r in evaluations["records"]}
    assert redo == {"street-talk": "否", "edu-life": "是"}
    with (built_small / "data/commitments.csv").open(encoding="utf-8-sig", newline="") as f:
        states = [r["截至日状态"] for r in csv.DictReader(f)]
    assert sorted(states) == sorted(["兑现中", "逾期未兑现", "已兑现", "兑现中"])


def test_the_lists_of_data_sets_and_feeds(built_small: Path) -> None:
    """The data page counts each set's rows, the feeds page links every feed (both are made
    from summaries of the sets and feeds: plan.data_output, plan.subscribe_output)."""
    data = text(built_small, "data")
    assert "全部整改事项 4 CSV" in data and "会议群众评议结果 2 CSV" in data and "文件目录 1 CSV" in data
    linked = set(re.findall(r'href="([^"]+\.xml)"', (built_small / "feeds/index.html").read_text(encoding="utf-8")))
    written = {p.relative_to(built_small / "feeds").as_posix() for p in (built_small / "feeds").rglob("*.xml")}
    assert len(written) > 5 and linked == written
