"""Families of pages (generator/families.py): a stage of the plan whose reads of the site
did not change is not planned again, and the output is still that of a clean build."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import planned_stages
from test_history import git
from test_incremental import ARTICLE_PAGE, CHANGES, NEWS, replace, tree

from generator import families
from generator.build import build
from generator.plan import page_outputs


def clean(site: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    build(site, out, use_cache=False)
    return tree(out)


def test_a_ledger_edit_plans_only_the_families_that_read_the_ledgers(small_site: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    calls = planned_stages(monkeypatch)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    assert {"home", "units", "rectification", "bulletins"} <= set(calls)
    assert "articles" not in calls and "columns" not in calls and "pages" not in calls
    assert tree(out) == clean(small_site, tmp_path)


def pickled_by_families(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every value families.py pickles from now on (records, and pages apart)."""
    pickled: list[object] = []
    real = families.pickle
    monkeypatch.setattr(families, "pickle", SimpleNamespace(
        loads=real.loads, HIGHEST_PROTOCOL=real.HIGHEST_PROTOCOL,
        dumps=lambda value, **kw: pickled.append(value) or real.dumps(value, **kw)))
    return pickled


def test_the_records_of_families_kept_as_they_were_are_not_pickled_again(small_site: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps each family's record pickled: after a ledger edit, only the records
    of the families planned again are pickled, the others are written back as read."""
    out = tmp_path / "out"
    build(small_site, out)
    calls = planned_stages(monkeypatch)
    pickled = pickled_by_families(monkeypatch)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    records = [value for value in pickled if isinstance(value, families.Recorded)]
    assert records and len(records) == len(calls)  # each family planned once, with a key of its own
    assert len(pickled) == 2 * len(calls)  # and its pages, apart
    assert tree(out) == clean(small_site, tmp_path)
    build(small_site, tmp_path / "again")  # what it wrote back is what the next build reads
    assert tree(tmp_path / "again") == tree(out)


def test_after_a_quick_build_the_records_it_changed_are_written_without_pickling_their_pages(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quick build (a news body) changes the key of the families that show bodies and the
    signatures of the files it wrote: the next full or ledger build writes their records
    again, and their pages as the cache holds them, not pickled again (the article pages:
    14,000)."""
    out = tmp_path / "out"
    build(small_site, out)
    replace(small_site, NEWS, "听取居民意见。", "听取居民意见。会后逐条答复。")
    assert build(small_site, out).quick
    calls = planned_stages(monkeypatch)
    pickled = pickled_by_families(monkeypatch)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    records = {value.key for value in pickled if isinstance(value, families.Recorded)}
    pages = [value for value in pickled if not isinstance(value, families.Recorded)]
    assert "articles" not in calls and len(pages) == len(calls) < len(records)  # the articles' record, not its pages
    assert tree(out) == clean(small_site, tmp_path)
    build(small_site, tmp_path / "again")
    assert tree(tmp_path / "again") == tree(out)


def test_a_front_matter_edit_plans_the_article_pages_again(small_site: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    calls = planned_stages(monkeypatch)
    replace(small_site, NEWS, "title: ", "title: （更新）")
    build(small_site, out)
    assert "articles" in calls and "columns" in calls
    assert "rectification" not in calls
    assert tree(out) == clean(small_site, tmp_path)


def test_a_page_of_a_kept_family_removed_by_hand_is_made_again(small_site: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(small_site, out)
    (out / ARTICLE_PAGE).unlink()
    calls = planned_stages(monkeypatch)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    assert "articles" in calls
    assert tree(out) == clean(small_site, tmp_path)


def test_a_body_edit_undone_with_another_change_after_a_quick_build(small_site: Path, tmp_path: Path) -> None:
    """The quick build wrote the article page with a signature of its own: when the body is
    back as the last full build knew it, the article family's key is that build's again,
    and the page must still be made again."""
    out = tmp_path / "out"
    build(small_site, out)
    original = (small_site / NEWS).read_text(encoding="utf-8")
    CHANGES["news body"](small_site)
    assert build(small_site, out).quick
    (small_site / NEWS).write_text(original, encoding="utf-8")
    CHANGES["ledger status"](small_site)
    assert not build(small_site, out).quick
    assert tree(out) == clean(small_site, tmp_path)
    assert "会后逐条答复" not in (out / ARTICLE_PAGE).read_text(encoding="utf-8")


def test_a_new_commit_plans_again_only_what_shows_the_history(small_site: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page's footer template reads the git history only on the home and data pages
    (the commit they were built from): a commit elsewhere in the site leaves the article
    pages as they were, as CI, which builds every commit, needs."""
    git(small_site, "init", "-q")
    git(small_site, "add", "content", "site_config.yml")
    git(small_site, "commit", "-qm", "初始内容")
    out = tmp_path / "out"
    build(small_site, out)
    CHANGES["ledger status"](small_site)
    git(small_site, "commit", "-qam", "r02 完成", date="2014-07-02T09:00:00+08:00")
    calls = planned_stages(monkeypatch)
    build(small_site, out)
    assert "articles" not in calls and "rectification" in calls
    assert tree(out) == clean(small_site, tmp_path)


def test_a_family_whose_pages_hold_the_content_itself_is_planned_at_every_build(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template could read anything of it while rendering, after the family's key is made."""
    def holding(site):  # type: ignore[no-untyped-def]
        outputs = list(page_outputs(site))
        outputs[0].context["content"] = site.content
        return outputs

    monkeypatch.setattr(families, "FAMILIES", tuple((name, holding if name == "pages" else stage)
                                                    for name, stage in families.FAMILIES))
    out = tmp_path / "out"
    build(small_site, out)
    calls = planned_stages(monkeypatch)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    assert "pages" in calls and "articles" not in calls


def test_reads_notes_what_is_read_of_the_site_and_of_its_content() -> None:
    content = SimpleNamespace(ledgers=("a ledger",), meetings=())
    reads = families.Reads(SimpleNamespace(units={"edu": "区教育局"}, as_of="2014-07-15", content=content))
    assert reads.units == {"edu": "区教育局"} and reads.content.ledgers == ("a ledger",)
    assert reads.units and reads.content.ledgers  # a second read: the same values, nothing new to note
    assert reads._seen == {"units", "content.ledgers"}


def test_an_edit_of_one_ledger_plans_again_that_ledgers_and_units_pages_only(small_site: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unit's ledger pages, and each unit's page, are a family of their own
    (plan.Parted): the other units' pages are kept, and the output is still that of a
    clean build."""
    (small_site / "content/rectification/street.yml").write_text(
        "unit: street\nitems:\n  - id: s01\n    problem: 背街小巷路灯不亮\n    category: 最后一公里\n"
        "    measures: [更换路灯]\n    owner: 城管科\n    deadline: 2014-08-30\n    status: 整改中\n",
        encoding="utf-8")
    out = tmp_path / "out"
    build(small_site, out)
    calls = planned_stages(monkeypatch)
    CHANGES["ledger status"](small_site)  # the edu ledger
    build(small_site, out)
    assert calls.count("ledger") == 1 and calls.count("unit") == 1 and "rectification" in calls
    assert tree(out) == clean(small_site, tmp_path)
    assert "背街小巷路灯不亮" in (out / "rectification/street/s01/index.html").read_text(encoding="utf-8")


def test_a_commit_that_changes_one_ledger_plans_again_that_ledgers_pages_only(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a site tracked in git, each commit changes the history the item and commitment
    pages show: a page is given its own changes and whether the history could be read
    (`Site.history_status`), not the whole history, so the other ledgers' pages and the
    commitments' are kept."""
    (small_site / "content/rectification/street.yml").write_text(
        "unit: street\nitems:\n  - id: s01\n    problem: 背街小巷路灯不亮\n    category: 最后一公里\n"
        "    measures: [更换路灯]\n    owner: 城管科\n    deadline: 2014-08-30\n    status: 整改中\n",
        encoding="utf-8")
    git(small_site, "init", "-q")
    git(small_site, "add", "-A")
    git(small_site, "commit", "-qm", "初始内容")
    out = tmp_path / "out"
    build(small_site, out)
    calls = planned_stages(monkeypatch)
    CHANGES["ledger status"](small_site)  # the edu ledger
    git(small_site, "commit", "-qam", "r02 完成", date="2014-07-12T09:00:00+08:00")
    build(small_site, out)
    assert calls.count("ledger") == 1 and "disclosure" not in calls
    assert tree(out) == clean(small_site, tmp_path)
    item = (out / "rectification/edu/r02/index.html").read_text(encoding="utf-8")
    assert "<h2>变更记录</h2>" in item and 'data-label="原为">整改中<' in item  # the commit's change shows


def test_a_ledger_edit_after_quick_builds_keeps_the_article_pages(small_site: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A quick build changes bodies only: records are known by all but their bodies, and
    the families' record learns the bodies and the files it wrote (families.after_quick),
    so the next full build plans again only what reads the ledger."""
    out = tmp_path / "out"
    build(small_site, out)
    CHANGES["news body"](small_site)
    assert build(small_site, out).quick
    replace(small_site, NEWS, "会后逐条答复。", "会后逐条答复，一周内办结。")
    assert build(small_site, out).quick
    calls = planned_stages(monkeypatch)
    CHANGES["ledger status"](small_site)
    assert not build(small_site, out).quick
    assert "articles" not in calls and "columns" not in calls and "ledger" in calls
    assert tree(out) == clean(small_site, tmp_path)
    assert "一周内办结" in (out / ARTICLE_PAGE).read_text(encoding="utf-8")


def test_the_cache_rewrites_the_records_of_the_families_that_changed_alone(small_site: Path, tmp_path: Path) -> None:
    """Each family's record is a row of its own: a build writes those that changed and drops
    those of families gone (a ledger's), and the next build reads them back."""
    from generator.cache import BuildCache

    out = tmp_path / "out"

    def rows(prefix: str = "families") -> dict[str, bytes]:
        cache = BuildCache(small_site)
        try:
            return cache.memo_rows(f"{prefix}:{out.resolve()}:")
        finally:
            cache.close()

    street = small_site / "content/rectification/street.yml"
    street.write_text((small_site / "content/rectification/edu.yml").read_text(encoding="utf-8")
                      .replace("unit: edu", "unit: street"), encoding="utf-8")
    build(small_site, out)
    first, first_pages = rows(), rows("family-pages")
    assert {"articles", "ledger:edu", "ledger:street"} <= set(first) and set(first_pages) == set(first)
    CHANGES["ledger status"](small_site)
    street.unlink()
    build(small_site, out)
    second, second_pages = rows(), rows("family-pages")
    assert "ledger:street" not in second and second["ledger:edu"] != first["ledger:edu"]
    assert second["articles"] == first["articles"] and set(second) == set(first) - {"ledger:street"}
    assert second_pages["articles"] == first_pages["articles"] and set(second_pages) == set(second)
    assert tree(out) == clean(small_site, tmp_path)


def test_the_files_of_kept_families_are_checked_at_once_when_the_folder_is_as_left(tmp_path: Path) -> None:
    """`Staging.all_unchanged` answers as `unchanged` file by file, whether the output folder
    was found as the last build left it (checked at once) or not (one by one)."""
    from generator.cache import Written
    from generator.output import AsLeft, Staging

    previous = {"a.html": Written(b"sa", 1, 10, ""), "b.html": Written(b"sb", 2, 20, "")}
    as_recorded = {name: (w.size, w.mtime_ns) for name, w in previous.items()}
    assert dict(AsLeft(previous)) == as_recorded and AsLeft(previous).get("gone.html") is None
    cases = [{"a.html": b"sa", "b.html": b"sb"}, {"a.html": b"sa"}, {"a.html": b"sa", "b.html": b"new"},
             {"a.html": b"sa", "gone.html": b"sg"}, {}]
    for as_left in (True, False):
        staging = Staging(tmp_path / "out", previous, AsLeft(previous) if as_left else dict(as_recorded), {}, as_left)
        try:
            for signatures in cases:
                one_by_one = all(staging.unchanged(n, s) is not None for n, s in signatures.items())
                assert staging.all_unchanged(signatures) == one_by_one, (as_left, signatures)
            assert [staging.all_unchanged(c) for c in cases] == [True, True, False, False, True]
        finally:
            staging.discard()
    touched = Staging(tmp_path / "out", previous, {**as_recorded, "b.html": (2, 99)}, {}, False)
    assert touched.all_unchanged({"a.html": b"sa"}) and not touched.all_unchanged({"b.html": b"sb"})
    touched.discard()


def test_the_output_folder_is_looked_at_once_when_first_needed_never_in_a_forked_helper(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging's `look` (a helper's look at the output folder) is asked once, when a file's
    state is first needed, and by jobs.run before it forks the helpers that render."""
    import os

    from generator import jobs
    from generator.errors import Problems
    from generator.output import Staging
    from generator.progress import Progress

    asked = tmp_path / "asked"

    def look():  # type: ignore[no-untyped-def]
        with open(asked, "a") as f:
            f.write(f"{os.getpid()}\n")
        return {}, {}, False

    staging = Staging(tmp_path / "out", {}, look=look)
    assert not asked.exists()
    assert staging.unchanged("a.html", b"s") is None and staging.existing == {}
    assert asked.read_text().split() == [str(os.getpid())]
    staging.discard()

    asked.unlink()
    monkeypatch.setenv("GONGSHI_JOBS", "2")
    staging = Staging(tmp_path / "out", {}, look=look)
    work = [jobs.Job((f"p{i}.html",), lambda: b"s", lambda i=i: (f"page {i}",)) for i in range(80)]
    _, staged, _ = jobs.run(work, staging, Problems(), Progress())
    assert len(staged) == 80 and (staging.root / "p79.html").read_text() == "page 79"
    assert asked.read_text().split() == [str(os.getpid())]
    staging.discard()


def test_the_sitemap_takes_the_entries_of_the_families_kept_from_their_record(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A family's sitemap entries are kept with its record: after a ledger edit only the
    families planned again write theirs (not the article pages'), and the sitemap is the
    clean build's."""
    from generator import sitemap

    out = tmp_path / "out"
    build(small_site, out)
    listed: list[str] = []
    real = sitemap.entries

    def entries(pages, base_url):  # type: ignore[no-untyped-def]
        pages = list(pages)
        listed.extend(p.path for p in pages)
        return real(pages, base_url)

    monkeypatch.setattr(families, "sitemap_entries", entries)
    CHANGES["ledger status"](small_site)
    build(small_site, out)
    assert "rectification/edu/" in listed and not [p for p in listed if p.startswith("news/2014")]
    assert tree(out) == clean(small_site, tmp_path)
