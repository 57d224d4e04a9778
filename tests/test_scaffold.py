"""`gongshi init` and `gongshi new`: what they write builds, passes the check and names every field."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import errors_of

from generator.build import build
from generator.cli import main
from generator.errors import Problems, Source
from generator.fields import editor_fields
from generator.load.yamlpos import parse_yaml
from generator.model import (
    Article,
    Commitment,
    CommitmentItem,
    Document,
    Ledger,
    LedgerItem,
    Meeting,
)
from generator.scaffold import scalar
from generator.schema import FILE_TYPES, file_type_of

TODAY = dt.date.today().isoformat()


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "新站点"
    assert main(["init", str(site)]) == 0
    return site


def test_init_then_build_from_an_empty_folder(tmp_path: Path) -> None:
    site = tmp_path / "empty"
    site.mkdir()
    assert main(["init", str(site), "--title", "测试区群众路线网"]) == 0
    assert errors_of(site) == []
    report = build(site, site / "site")
    assert (report.out / "index.html").is_file()
    assert "测试区群众路线网" in (report.out / "index.html").read_text(encoding="utf-8")
    assert (report.out / "rectification" / "hebin-jd" / "r01" / "index.html").is_file()
    assert main(["build", str(site)]) == 0  # and once more through the command


def test_init_writes_one_record_of_each_kind(new_site: Path) -> None:
    files = [p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file()]
    kinds = {t.name for f in files if (t := file_type_of(f)) is not None}
    assert kinds == {t.name for t in FILE_TYPES}


def test_init_refuses_a_folder_with_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("x")
    assert main(["init", str(tmp_path)]) == 1
    assert "不是空目录" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_init_sets_up_editors_schemas(new_site: Path) -> None:
    settings = json.loads((new_site / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema, globs in settings["yaml.schemas"].items():
        assert (new_site / schema).is_file()
        assert globs
    for path in [new_site / "site_config.yml", *(new_site / "content").rglob("*.yml")]:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        target = (path.parent / match.group(1)).resolve()
        kind = file_type_of(path.relative_to(new_site).as_posix())
        assert kind is not None and target == (new_site / "schemas" / kind.file_name).resolve()


def _field_named(text: str, name: str) -> bool:
    """`name:` written as a field (maybe commented out, maybe a list entry's first key)."""
    return re.search(rf"^[ #-]*(?:- )?\{{?{name}:", text, re.MULTILINE) is not None


NEW = [
    ("news", ["--title", "区委召开动员大会", "--unit", "qwbgs"], (Article,)),
    ("document", ["--title", "关于进一步改进作风的通知", "--column", "docs"], (Document,)),
    ("ledger", ["--unit", "qwbgs", "--title", "会议多、文件多"], (Ledger, LedgerItem)),
    ("item", ["--unit", "hebin-jd", "--title", "路灯不亮: 三个月没人修"], (LedgerItem,)),
    ("commitment", ["--unit", "qwbgs"], (Commitment, CommitmentItem)),
    ("meeting", ["--unit", "qwbgs", "--title", "区委办公室专题民主生活会情况通报"], (Meeting,)),
]


@pytest.mark.parametrize("kind, options, records", NEW, ids=[n[0] for n in NEW])
def test_new_writes_a_file_that_passes_the_check(new_site: Path, kind: str, options: list[str],
                                                 records: tuple[type, ...],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", kind, str(new_site), *options]) == 0
    out = capsys.readouterr().out
    path = Path(re.search(r"(?:已创建|已添加事项到) (\S+)", out).group(1))  # type: ignore[union-attr]
    text = path.read_text(encoding="utf-8")
    assert TODAY in text
    for record in records:
        for f in editor_fields(record):
            assert _field_named(text, f.name), f"{kind}: {f.name} missing"
    assert main(["check", str(new_site)]) == 0, capsys.readouterr().err
    if "--title" in options:
        title = options[options.index("--title") + 1]
        assert title in text


def test_new_item_appends_to_the_ledger(new_site: Path) -> None:
    ledger = new_site / "content" / "rectification" / "hebin-jd.yml"
    for _ in range(2):
        assert main(["new", "item", str(new_site), "--unit", "hebin-jd"]) == 0
    data = parse_yaml(ledger.read_text(encoding="utf-8"), Source("x"), Problems())
    assert [item["id"] for item in data["items"]] == ["r01", "r02", "r03"]
    assert ledger.read_text(encoding="utf-8").endswith("\n")
    assert errors_of(new_site) == []


def test_new_item_in_a_demo_style_ledger(small_site: Path) -> None:
    """The fixture's ledger uses flow lists and a last item without optional fields."""
    assert main(["new", "item", str(small_site), "--unit", "edu", "--title", "食堂饭菜贵"]) == 0
    data = parse_yaml((small_site / "content/rectification/edu.yml").read_text(encoding="utf-8"),
                      Source("x"), Problems())
    assert data["items"][-1]["problem"] == "食堂饭菜贵"
    assert data["items"][-1]["id"] == f"r{len(data['items']):02d}"
    assert errors_of(small_site) == []


def test_new_item_with_an_indentless_list(small_site: Path) -> None:
    ledger = small_site / "content/rectification/edu.yml"
    ledger.write_text("unit: edu\nitems:\n- id: r01\n  problem: 问题\n  category: 其他\n  measures: 措施\n"
                      "  owner: 办公室\n  deadline: 立行立改\n  status: 未启动\n# 结尾的说明\n",
                      encoding="utf-8")
    assert main(["new", "item", str(small_site), "--unit", "edu"]) == 0
    assert errors_of(small_site) == []
    assert ledger.read_text(encoding="utf-8").rstrip().endswith("# 结尾的说明")


@pytest.mark.parametrize("argv, message", [
    (["new", "item", "--unit", "qwbgs"], "还没有整改台账"),
    (["new", "ledger", "--unit", "hebin-jd"], "已存在"),
    (["new", "meeting"], "请用 --unit 指定单位"),
    (["new", "news", "--unit", "jiaoyuju"], "没有单位“jiaoyuju”"),
    (["new", "news", "--column", "nope"], "没有栏目“nope”"),
    (["new", "news", "--id", "Bad Id"], "只能由小写英文字母"),
])
def test_new_says_what_to_do_instead(new_site: Path, argv: list[str], message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv[:2], str(new_site), *argv[2:]]) == 1
    assert message in capsys.readouterr().err


def test_new_outside_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "news", str(tmp_path)]) == 1
    assert "gongshi init" in capsys.readouterr().err


@pytest.mark.parametrize("text, plain", [
    ("区委召开动员大会", True), ("路灯不亮: 三个月", False), ("2014", False), ("#1 问题", False),
    ("[转发] 通知", False), ("是", True), ("yes", False),
])
def test_scalar_quotes_what_yaml_would_misread(text: str, plain: bool) -> None:
    written = scalar(text)
    assert (written == text) is plain
    assert parse_yaml(f"k: {written}\n", Source("x"), Problems()) == {"k": text}


def test_schemas_command(tmp_path: Path) -> None:
    assert main(["schemas", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(t.file_name for t in FILE_TYPES)
