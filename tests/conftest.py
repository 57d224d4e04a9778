"""Shared fixtures: a small valid site copied to a temporary folder for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build, prepare
from generator.errors import BuildFailed, Problems

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/small that a test may change."""
    site = tmp_path / "site-src"
    shutil.copytree(FIXTURES / "small", site)
    return site


def replace(site: Path, relative: str, old: str, new: str) -> None:
    """Change one exact piece of a fixture file (which must be there once)."""
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def where(site: Path) -> list[tuple[str, int | None, str]]:
    """(file, line, code) of every error, sorted."""
    return sorted((e.file, e.line, e.code) for e in errors_of(site))


def only_error(site: Path):
    errors = errors_of(site)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def errors_of(site: Path) -> list:
    """Every SourceError the site produces (empty if it is valid)."""
    try:
        prepare(site, Problems())
    except BuildFailed as failed:
        return failed.problems.errors
    return []


def write(site: Path, relative: str, text: str, encoding: str = "utf-8") -> Path:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def built_small(small_site: Path, tmp_path: Path) -> Path:
    """The small site built; returns the output folder."""
    out = tmp_path / "out"
    build(small_site, out)
    return out


@pytest.fixture(scope="session")
def demo_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo site (repository root) built twice into two folders; read-only for tests."""
    first, second = tmp_path_factory.mktemp("a") / "out", tmp_path_factory.mktemp("b") / "out"
    build(REPO, first)
    build(REPO, second)
    return first, second


def planned_stages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the stages of the plan, pages and feeds (generator/families.py), that run from
    now on, in order."""
    from generator import families
    from generator.plan import Parted

    calls: list[str] = []

    def noted(name, stage):  # type: ignore[no-untyped-def]
        if isinstance(stage, Parted):  # noted once for each part planned
            return Parted(stage.parts, lambda part, site: (calls.append(name), stage.make(part, site))[1])
        return lambda site: (calls.append(name), stage(site))[1]

    for stages in ("FAMILIES", "FEED_FAMILIES"):
        monkeypatch.setattr(families, stages, tuple((name, noted(name, stage))
                                                    for name, stage in getattr(families, stages)))
    return calls
