"""The same content and SOURCE_DATE_EPOCH give byte-identical output, whatever the folder
or the clock; the manifest lists every file with its SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from generator import compute
from generator.build import build


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


class _OtherClock(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=tz)


def test_two_folders_two_clocks_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sites = []
    for name in ("one", "two/deeper"):
        site = tmp_path / name / "site"
        shutil.copytree(REPO / "content", site / "content")
        config = (REPO / "site_config.yml").read_text(encoding="utf-8")
        (site / "site_config.yml").write_text(config.replace("as_of: 2014-07-15\n", ""), encoding="utf-8")
        sites.append(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2014, 7, 15, 12, tzinfo=dt.UTC).timestamp())))
    build(sites[0], tmp_path / "out-one")
    monkeypatch.setattr(compute.dt, "datetime", _OtherClock)
    build(sites[1], tmp_path / "out-two")
    first, second = tree(tmp_path / "out-one"), tree(tmp_path / "out-two")
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert b"2014" in first["index.html"] and b"2031" not in first["index.html"]


def test_manifest_lists_every_file(built_small: Path) -> None:
    manifest = json.loads((built_small / "manifest.json").read_text(encoding="utf-8"))
    files = {p.relative_to(built_small).as_posix() for p in built_small.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == files - {"manifest.json", ".gongshi-output"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((built_small / name).read_bytes()).hexdigest() == digest
    assert manifest["as_of"] == "2014-07-15"
