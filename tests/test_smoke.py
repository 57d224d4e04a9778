from pathlib import Path

from conftest import errors_of


def test_small_fixture_is_valid(small_site: Path) -> None:
    assert errors_of(small_site) == []


def test_small_fixture_builds(built_small: Path) -> None:
    assert (built_small / "index.html").is_file()
    assert (built_small / "rectification" / "edu" / "r01" / "index.html").is_file()
