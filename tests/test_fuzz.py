"""Hostile and broken input: whatever an editor (or an attacker) commits, the build ends
in a clear error report — never a traceback, a hang or unbounded memory."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from generator.build import prepare
from generator.errors import BuildFailed, Problems
from generator.load.frontmatter import split_front_matter
from generator.load.text import decode
from generator.load.yamlpos import parse_yaml
from generator.errors import Source

FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
WHERE = Source("content/units.yml")

TARGETS = ("site_config.yml", "content/units.yml", "content/rectification/edu.yml",
           "content/news/2014-07-01-first.md", "content/meetings/edu-life.md", "content/opinions.yml")


def outcome(site: Path) -> str:
    """'ok' or 'errors'; anything else (an exception of another kind) fails the test."""
    try:
        prepare(site, Problems())
    except BuildFailed as failed:
        assert failed.problems.errors
        for error in failed.problems.errors:
            assert error.file and error.message and error.hint
        return "errors"
    return "ok"


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    site = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(FIXTURES / "small", site)
    return site


@FUZZ
@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_report(fuzz_site: Path, target: str, data: bytes) -> None:
    path = fuzz_site / target
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        outcome(fuzz_site)
    finally:
        path.write_bytes(original)


@FUZZ
@given(text=st.text(max_size=500))
def test_arbitrary_yaml_text(text: str) -> None:
    problems = Problems()
    parse_yaml(text, WHERE, problems)
    for error in problems.errors:
        assert error.code.startswith("E0")


@FUZZ
@given(text=st.text(max_size=300))
def test_arbitrary_front_matter(text: str) -> None:
    problems = Problems()
    split_front_matter("---\n" + text, WHERE, problems)
    split_front_matter(text, WHERE, problems)


@FUZZ
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_decode(data: bytes) -> None:
    problems = Problems()
    text = decode(data, WHERE, problems)
    assert (text is None) == bool(problems.errors)


def _limit_memory() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (min(hard, 4 * 1024**3) if hard > 0 else 4 * 1024**3, hard))


@pytest.mark.parametrize("name, text", [
    ("alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n"),
    ("deep nesting", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
    ("deep mappings", "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n"),
    ("python tag", "!!python/object/apply:os.system ['echo hacked']\n"),
    ("custom tag", "- !unit {id: x}\n"),
    ("very long line", "- {id: a, name: " + "长" * 200_000 + ", kind: 街道}\n"),
    ("huge list", "".join(f"- {{id: u{i}, name: 单位{i}, kind: 街道}}\n" for i in range(20_000))),
    ("tabs", "- {id: a,\n\tname: b}\n"),
    ("not a list", "just text\n"),
    ("binary zeros", "\x00\x00\x00"),
])
def test_hostile_yaml_ends_in_a_report(small_site: Path, name: str, text: str) -> None:
    (small_site / "content/units.yml").write_text(text, encoding="utf-8")
    assert outcome(small_site) in ("ok", "errors"), name


def test_front_matter_without_end(small_site: Path) -> None:
    (small_site / "content/news/open.md").write_text("---\ntitle: 没有结尾\ndate: 2014-07-01\n正文", encoding="utf-8")
    assert outcome(small_site) == "errors"


@pytest.mark.parametrize("name", ["空 格.md", "中文文件名.md", "a'b\"c.md", "-dash.md", "x;rm -rf.md"])
def test_odd_file_names_give_a_report(small_site: Path, name: str) -> None:
    (small_site / "content/news" / name).write_text(
        "---\ntitle: 文件名奇怪\ndate: 2014-07-01\ncolumn: news\n---\n正文\n", encoding="utf-8")
    assert outcome(small_site) == "errors"  # the id comes from the file name and is not a valid slug
    (small_site / "content/news" / name).write_text(
        "---\ntitle: 文件名奇怪\ndate: 2014-07-01\ncolumn: news\nid: odd-name\n---\n正文\n", encoding="utf-8")
    assert outcome(small_site) == "ok"  # with an explicit id it is fine


def test_symlink_outside_the_site_is_refused(small_site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 外部\ndate: 2014-07-01\ncolumn: news\n---\n", encoding="utf-8")
    os.symlink(secret, small_site / "content/news/link.md")
    try:
        prepare(small_site, Problems())
    except BuildFailed as failed:
        assert any(e.code == "E005" for e in failed.problems.errors)
    else:
        pytest.fail("a link leaving the site was followed")
