"""Builds after an edit of ledgers alone (generator/sitestate.py): the site the last full
build worked out is kept, only the ledgers are read again, and the output is byte for byte
that of a clean build. Any other change goes the full way; a mistake in a ledger is
reported as always, and nothing is published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import planned_stages, write
from test_history import git, history_site  # noqa: F401  (history_site is a fixture)
from test_incremental import CHANGES, LEDGER, NEWS, clean_tree, override_template, replace, tree

from generator import build as build_module
from generator import families, incremental
from generator.build import build
from generator.errors import BuildFailed

STREET_LEDGER = """unit: street
items:
  - id: s01
    problem: 路灯损坏报修慢
    category: 群众切身利益
    measures: [设立报修热线]
    owner: 城管科
    deadline: 2014-07-30
    status: 整改中
    progress:
      - {date: 2014-07-05, text: 热线开通}
"""

EDITS: dict[str, Callable[[Path], None]] = {
    "status": CHANGES["ledger status"],
    "progress": lambda site: replace(site, LEDGER, "      - {date: 2014-06-01, text: 制定精简方案}\n",
                                     "      - {date: 2014-06-01, text: 制定精简方案}\n"
                                     "      - {date: 2014-07-12, text: 会议减少三成}\n"),
    "deadline": lambda site: replace(site, LEDGER, "deadline: 2014-07-20", "deadline: 2014-07-01"),
    "new item": lambda site: (site / LEDGER).write_text(
        (site / LEDGER).read_text(encoding="utf-8")
        + "  - id: r05\n    problem: 节日送礼\n    category: 奢靡之风\n    measures: [专项检查]\n"
          "    owner: 纪检组\n    deadline: 长期坚持\n    status: 整改中\n", encoding="utf-8"),
    "new ledger": lambda site: write(site, "content/rectification/street.yml", STREET_LEDGER),
}


def built(site: Path, tmp_path: Path) -> Path:
    """The output folder of a first build of `site` (which keeps the site)."""
    out = tmp_path / "out"
    build(site, out)
    return out


def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the steps of a full read (every file, every body, the whole site) as
    builds call them."""
    calls: list[str] = []

    def counting(name: str, real: Callable[..., object]) -> Callable[..., object]:
        def counted(*args: object, **kwargs: object) -> object:
            calls.append(name)
            return real(*args, **kwargs)
        return counted

    for name in ("load_site", "render_bodies", "build_site"):
        monkeypatch.setattr(build_module, name, counting(name, getattr(build_module, name)))
    return calls


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_ledger_edit_reads_the_ledgers_alone(edit: str, small_site: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = built(small_site, tmp_path)
    calls = full_reads(monkeypatch)
    EDITS[edit](small_site)
    report = build(small_site, out)
    assert calls == [] and 0 < report.written < report.files
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_edits_of_ledgers_one_after_another_compare_with_the_kept_site(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site is kept by full builds only: a second ledger edit reads again the ledgers
    changed since that build, the first one's too."""
    out = built(small_site, tmp_path)
    calls = full_reads(monkeypatch)
    EDITS["status"](small_site)
    build(small_site, out)
    EDITS["new ledger"](small_site)
    build(small_site, out)
    assert calls == []
    assert tree(out) == clean_tree(small_site, tmp_path)
    text = (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")
    assert "已完成" in text


def test_a_ledger_edit_with_the_output_folder_touched_reads_the_ledgers_alone(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept site comes from the sources: a page changed or deleted by hand in the output
    folder, or a file put there, is put right without reading the rest of the site again."""
    out = built(small_site, tmp_path)
    calls = full_reads(monkeypatch)
    EDITS["status"](small_site)
    (out / "news/2014-06-01-second/index.html").write_text("改过", encoding="utf-8")
    (out / "pages/about/index.html").unlink()
    (out / "stray.html").write_text("多出来的", encoding="utf-8")
    build(small_site, out)
    assert calls == []
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_ledger_edit_with_another_file_changed_is_a_full_build(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = built(small_site, tmp_path)
    calls = full_reads(monkeypatch)
    EDITS["status"](small_site)
    CHANGES["news body"](small_site)
    build(small_site, out)
    assert calls == ["load_site", "render_bodies", "build_site"]
    assert tree(out) == clean_tree(small_site, tmp_path)
    assert "会后逐条答复" in (out / "news/2014-06-01-second/index.html").read_text(encoding="utf-8")


def test_a_mistake_in_a_ledger_is_reported_and_nothing_is_published(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = built(small_site, tmp_path)
    published = tree(out)
    calls = full_reads(monkeypatch)
    replace(small_site, LEDGER, "    status: 未启动\n", "    status: 没开始\n")
    replace(small_site, LEDGER, "    owner: 后勤科\n", "")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    found = sorted((e.file, e.line, e.code) for e in failed.value.problems.errors)
    assert found == [(LEDGER, 32, "E033"), (LEDGER, 33, "E030")], found  # the status; r04 has no owner
    assert calls == []
    assert tree(out) == published
    with pytest.raises(BuildFailed) as full:
        build(small_site, tmp_path / "clean", use_cache=False)
    assert [str(e) for e in failed.value.problems.errors] == [str(e) for e in full.value.problems.errors]
    calls.clear()
    replace(small_site, LEDGER, "    status: 没开始\n", "    status: 未启动\n")
    replace(small_site, LEDGER, "    deadline: 立行立改\n", "    owner: 后勤科\n    deadline: 立行立改\n")
    build(small_site, out)
    assert calls == []
    assert tree(out) == published  # the ledger is as it was: so is every page


def test_a_ledger_edit_checks_the_ledgers_against_the_rest_as_a_full_build_does(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the ledgers are checked again (the rest was checked when the site was kept): a
    ledger's mistakes that only the site as a whole shows are each reported, as in full."""
    out = built(small_site, tmp_path)
    published = tree(out)
    calls = full_reads(monkeypatch)
    replace(small_site, LEDGER, "    completed: 2014-06-20\n", "")  # 已完成 without a date
    replace(small_site, LEDGER, "  - id: r03\n", "  - id: r02\n")  # an id twice
    replace(small_site, LEDGER, "      - {date: 2014-06-01, text: 制定精简方案}\n",
            "      - {date: 2014-06-01, text: 制定精简方案}\n      - {date: 2014-05-01, text: 更早}\n")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert calls == [] and tree(out) == published
    with pytest.raises(BuildFailed) as full:
        build(small_site, tmp_path / "clean", use_cache=False)
    codes = sorted(e.code for e in failed.value.problems.errors)
    assert codes == sorted(e.code for e in full.value.problems.errors) and len(codes) == 3, codes
    assert [str(e) for e in failed.value.problems.errors] == [str(e) for e in full.value.problems.errors]


def pickled_instances(monkeypatch: pytest.MonkeyPatch, *kinds: type) -> list[object]:
    """Every instance of `kinds` pickled from now on, in order (fingerprints are pickles)."""
    pickled: list[object] = []
    for kind in kinds:
        def counted(self: object, protocol: int, real: Callable[..., object] = kind.__reduce_ex__) -> object:
            pickled.append(self)
            return real(self, protocol)
        monkeypatch.setattr(kind, "__reduce_ex__", counted)
    return pickled


def test_a_ledger_edit_does_not_fingerprint_the_units_indexes_nor_the_periods_articles_again(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What each unit published (its index) and each period's articles are known by the
    fingerprints the kept site holds: the unit pages' and feeds' parts and the bulletins are
    fingerprinted without pickling the indexes or going through the articles again."""
    from generator.incremental import Fingerprints
    from generator.model import Article
    from generator.site import UnitIndex

    pickled = pickled_instances(monkeypatch, UnitIndex)
    articles: list[object] = []  # what a period's articles are fingerprinted from, one by one
    real_of = Fingerprints.of

    def of(self: Fingerprints, value: object) -> bytes:
        if isinstance(value, Article):
            articles.append(value)
        return real_of(self, value)

    monkeypatch.setattr(Fingerprints, "of", of)
    out = built(small_site, tmp_path)
    assert pickled and articles  # a full build fingerprints them (to know and to keep them)
    pickled.clear()
    articles.clear()
    calls = full_reads(monkeypatch)
    EDITS["status"](small_site)
    build(small_site, out)
    assert calls == [] and pickled == [] and articles == []
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_ledger_edit_fingerprints_each_bulletin_once_and_no_item_state(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulletin is in its page and in the list of bulletins: it is pickled once, then known
    by its fingerprint. An item's state (in its unit's page, the data files and the figures)
    is known by what it is worked out from, its item's record, number and date: never pickled."""
    from generator.bulletins import Bulletin
    from generator.compute import ItemState

    out = built(small_site, tmp_path)
    pickled = pickled_instances(monkeypatch, Bulletin, ItemState)
    EDITS["status"](small_site)
    build(small_site, out)
    bulletins = [b for b in pickled if isinstance(b, Bulletin)]
    states = [s for s in pickled if isinstance(s, ItemState)]
    assert bulletins and not states
    assert len({id(b) for b in bulletins}) == len(bulletins)
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_ledger_edit_fingerprints_each_row_of_the_open_data_once(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An item's row is in its ledger's data set and in the all-items set, which is signed by
    its parts (the ledgers' sets): each row is pickled once."""
    from generator.opendata import Row

    out = built(small_site, tmp_path)
    pickled = pickled_instances(monkeypatch, Row)
    EDITS["status"](small_site)
    build(small_site, out)
    assert pickled and len({id(r) for r in pickled}) == len(pickled)
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_ledger_edit_looks_at_the_bodies_links_again_only_when_a_file_is_gone(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bodies are those the last build checked against its files: their links are looked
    at again when one of those files is gone (an item taken out), not after a step of progress,
    and only those that may lead to it (the last segment of their path is the gone page's)."""
    from generator import links

    out = built(small_site, tmp_path)
    looked: list[object] = []
    real = links.body_links

    def counted(site: object, ending: frozenset[str] | None = None) -> object:
        looked.append(ending)
        return real(site, ending)  # type: ignore[arg-type]

    monkeypatch.setattr(links, "body_links", counted)
    EDITS["progress"](small_site)
    build(small_site, out)
    assert looked == []
    text = (small_site / LEDGER).read_text(encoding="utf-8")
    (small_site / LEDGER).write_text(text[: text.index("  - id: r04\n")], encoding="utf-8")  # r04's page is gone
    build(small_site, out)
    assert len(looked) == 1 and looked[0] is not None and "r04" in looked[0]  # type: ignore[operator]
    assert tree(out) == clean_tree(small_site, tmp_path)


@pytest.mark.parametrize("link", ["/qzlx/rectification/edu/r04/", "../../rectification/edu/r04/",
                                  "https://example.gov.cn/qzlx/rectification/edu/r04/index.html#进展",
                                  "../../rectification/edu/r04/../r04/.", "../../rectification/edu/r0%34/"])
def test_a_body_link_to_a_page_a_ledger_edit_takes_away_is_reported(small_site: Path, tmp_path: Path,
                                                                     link: str) -> None:
    """However the link to the page is written, the build that takes the page away finds it."""
    replace(small_site, NEWS, "听取居民意见。", f"听取居民意见，[公车私用]({link})。")
    out = built(small_site, tmp_path)
    text = (small_site / LEDGER).read_text(encoding="utf-8")
    (small_site / LEDGER).write_text(text[: text.index("  - id: r04\n")], encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert [(e.file, e.code) for e in failed.value.problems.errors] == [(NEWS, "E056")]


def test_the_news_quick_build_still_follows_a_ledger_build(small_site: Path, tmp_path: Path) -> None:
    out = built(small_site, tmp_path)
    EDITS["status"](small_site)
    build(small_site, out)
    replace(small_site, NEWS, "听取居民意见。", "听取居民意见。会后逐条答复。")
    assert build(small_site, out).quick
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_ledger_edit_after_quick_builds_reads_the_ledgers_alone(small_site: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept site follows the bodies quick builds made again (their keys in the build
    cache, their links): a ledger edit after them is not a full build, and its pages show
    the new bodies."""
    out = built(small_site, tmp_path)
    calls = full_reads(monkeypatch)
    replace(small_site, NEWS, "听取居民意见。", "听取居民意见。会后逐条答复。")
    assert build(small_site, out).quick
    replace(small_site, NEWS, "会后逐条答复。", "会后逐条答复，[公车私用](/qzlx/rectification/edu/r04/)。")
    assert build(small_site, out).quick
    EDITS["status"](small_site)
    assert not build(small_site, out).quick
    assert calls == []
    assert tree(out) == clean_tree(small_site, tmp_path)
    text = (out / "news/2014-06-01-second/index.html").read_text(encoding="utf-8")
    assert "会后逐条答复，" in text and "已完成" in (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")
    # the links checked are those of the new body: one to the page of an item taken out of its ledger is reported
    published = tree(out)
    calls.clear()  # of the clean build
    text = (small_site / LEDGER).read_text(encoding="utf-8")
    (small_site / LEDGER).write_text(text[: text.index("  - id: r04\n")], encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(small_site, out)
    assert [(e.file, e.code) for e in failed.value.problems.errors] == [(NEWS, "E056")]
    assert calls == [] and tree(out) == published


def keyed_families(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The families whose keys builds work out (families._key)."""
    names: list[str] = []
    real = families._key

    def key(name: str, *args: object) -> object:
        names.append(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(families, "_key", key)
    return names


def test_only_the_families_that_read_what_the_ledgers_feed_are_keyed(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The others read nothing that changed (`Site.changed`): their keys are the recorded ones."""
    out = built(small_site, tmp_path)
    keyed = keyed_families(monkeypatch)
    EDITS["status"](small_site)
    build(small_site, out)
    assert {"home", "rectification", "units", "bulletins", "changes", "ledger:edu", "unit:edu"} <= set(keyed)
    assert not {"articles", "columns", "disclosure", "pages", "unit:street", "unit:leaders"} & set(keyed), keyed
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_template_that_reads_the_figures_makes_its_pages_again(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A family's key covers what its templates read of the site: the article pages, whose
    template now shows how many items are done, follow a status change."""
    override_template(small_site, "article.html", "</article>", "<p>已完成 {{ site.rect.overall.done }} 项</p>\n</article>")
    out = built(small_site, tmp_path)
    keyed = keyed_families(monkeypatch)
    page = out / "news/2014-06-01-second/index.html"
    assert "已完成 1 项" in page.read_text(encoding="utf-8")
    EDITS["status"](small_site)
    build(small_site, out)
    assert "articles" in keyed
    assert "已完成 2 项" in page.read_text(encoding="utf-8")
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_a_ledger_edit_plans_the_feeds_that_carry_it_and_no_other(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds are families too (plan.FEED_FAMILIES): the site's (the progress of every
    item), the edited unit's and the compilations' are planned again, not the columns' or
    the other units'; and the fingerprint of every body is not worked out again."""
    out = built(small_site, tmp_path)
    planned = planned_stages(monkeypatch)
    bodies: list[object] = []
    real = incremental.Signatures.bodies
    monkeypatch.setattr(incremental.Signatures, "bodies", lambda sig: (bodies.append(sig), real(sig))[1])
    EDITS["status"](small_site)
    build(small_site, out)
    assert sorted(name for name in planned if "feed" in name) == ["feeds", "record-feeds", "unit-feed"], planned
    assert bodies == []
    assert tree(out) == clean_tree(small_site, tmp_path)
    CHANGES["news body"](small_site)
    CHANGES["unit name"](small_site)  # not a quick build: the column's feed shows the unit's name
    build(small_site, out)
    assert "column-feeds" in planned and planned.count("unit-feed") > 1
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_ledger_edits_in_a_site_tracked_in_git_uncommitted_and_committed(
        history_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The history changes with them (uncommitted changes, then a new commit): what it gives
    (the change log, the item's changes, the commit the pages name) is worked out again on
    the kept site."""
    out = built(history_site, tmp_path)
    calls = full_reads(monkeypatch)
    replace(history_site, LEDGER, "deadline: 2014-07-31", "deadline: 2014-08-15")
    build(history_site, out)
    assert calls == []
    assert tree(out) == clean_tree(history_site, tmp_path)
    assert "含未提交的修改" in (out / "index.html").read_text(encoding="utf-8")
    calls.clear()  # the clean build's
    git(history_site, "commit", "-qam", "r02 再次延期", date="2014-07-12T09:00:00+08:00")
    build(history_site, out)
    assert calls == []
    assert tree(out) == clean_tree(history_site, tmp_path)
    changes = (out / "changes/index.html").read_text(encoding="utf-8")
    assert "2014-08-15" in changes or "8月15日" in changes


@pytest.mark.parametrize("edit", ["completion", "line above"])
def test_a_ledger_edit_makes_again_no_bulletin_whose_content_it_leaves(
        edit: str, small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulletin holds what it shows of the items, nothing more. An item completed in the
    period under way (r02, 7月14日) is in no bulletin yet: those that name it for its
    progress (第13期) or its deadline (第18期, still missed) are not made again, as they were
    when every mention held the completion date. A line added at the top of a ledger moves
    the place of every step's evidence in the file, which no bulletin shows (第15期 names
    r01's step with evidence)."""
    from generator import jobs

    out = built(small_site, tmp_path)
    monkeypatch.setenv("GONGSHI_JOBS", "1")  # rendered in this process, where the spy is
    made: list[str] = []
    real = jobs.render_output

    def render(env: object, site: object, output: jobs.Output) -> str:
        made.append(output.path)
        return real(env, site, output)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "render_output", render)
    if edit == "completion":
        replace(small_site, LEDGER, "    deadline: 2014-07-10\n    status: 整改中\n",
                "    deadline: 2014-07-10\n    status: 已完成\n    completed: 2014-07-14\n")
    else:
        replace(small_site, LEDGER, "unit: edu\n", "# 教育局整改台账\nunit: edu\n")
    build(small_site, out)
    assert "rectification/edu/r02/" in made  # the ledger's pages are made again
    assert [path for path in made if path.startswith("bulletins/")] == []
    assert tree(out) == clean_tree(small_site, tmp_path)


def test_the_all_items_files_take_the_ledgers_not_edited_from_their_files(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit of one ledger, the all-items CSV and JSON take the rows of the others
    from their files, kept as they are, and work out only the edited ledger's again."""
    from generator import jobs, opendata

    write(small_site, "content/rectification/street.yml", STREET_LEDGER)
    out = built(small_site, tmp_path)
    monkeypatch.setenv("GONGSHI_JOBS", "1")  # rendered in this process, where the spy is
    rendered: list[str] = []
    real = opendata.render_data

    def render_data(data: opendata.DataSet, *args: object) -> tuple[bytes, bytes]:
        rendered.append(data.path)
        return real(data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(opendata, "render_data", render_data)
    monkeypatch.setattr(jobs, "render_data", render_data)
    EDITS["status"](small_site)
    build(small_site, out)
    assert sorted(rendered) == ["data/rectification/all", "data/rectification/edu", "data/rectification/edu"]
    assert tree(out) == clean_tree(small_site, tmp_path)
    all_csv = (out / "data/rectification/all.csv").read_bytes()
    assert all_csv.count(b"\r\n") == 1 + 5 and "路灯损坏报修慢".encode() in all_csv  # the header, 4 + 1 items


def test_the_kept_site_is_read_back_without_a_call_for_each_source(small_site: Path, tmp_path: Path) -> None:
    """The kept site is one pickle: its records' Sources are read back as plain objects, not
    through errors._source (a call for each of 15,000), and still share their key lines."""
    import pickle

    from generator import errors, sitestate
    from generator.cache import BuildCache

    for name in ("a", "b"):  # laid out alike: the same key lines
        write(small_site, f"content/news/2014-06-02-{name}.md",
              f"---\ntitle: 同样排版的新闻{name}\ndate: 2014-06-02\ncolumn: news\n---\n正文\n")
    out = built(small_site, tmp_path)
    cache = BuildCache(small_site)
    try:
        kept = cache.memo(f"site:{out.resolve()}")
    finally:
        cache.close()
    assert isinstance(kept, sitestate.Kept)
    assert b"_source" in pickle.dumps(errors.Source("a.md", 1)) and b"_source" not in kept.data
    site, _, _ = pickle.loads(kept.data)
    origins = [a.origin for a in site.content.articles]
    assert all(type(o) is errors.Source and o.file.startswith("content/news/") and o.line for o in origins)
    alike = [o for o in origins if o.file.startswith("content/news/2014-06-02-")]
    assert len(alike) == 2 and alike[0].keys and alike[0].keys is alike[1].keys
