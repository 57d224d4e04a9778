from pathlib import Path

from conftest import errors_of


def test_small_fixture_is_valid(small_site: Path) -> None:
    assert errors_of(small_site) == []


def test_small_fixture_builds(built_small: Path) -> None:
    assert (built_small / "index.html").is_file()
    assert (built_small / "rectification" / "edu" / "r01" / "index.html").is_file()


def test_the_command_runs_with_the_collector_on(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`start` loads the modules with the collector off, and turns it on again before the
    command runs (`gongshi serve` runs for hours)."""
    import gc

    from generator import __main__ as entry
    from generator import cli

    seen: list[bool] = []
    monkeypatch.setattr(cli, "run", lambda: seen.append(gc.isenabled()))
    was = gc.isenabled()
    try:
        gc.enable()
        entry.start()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [True]
