"""Open Graph images: an article's own first (raster) image, else a card drawn with the site's
font, else the site's image; cards are byte-identical from build to build, cached, and
renamed when what they show changes."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import errors_of, write
from PIL import Image

from generator.build import build

SITE = "https://example.gov.cn/qzlx/"
FONTS = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
         Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")]


def og_image(out: Path, public: str) -> tuple[str, str]:
    page = (out / public / "index.html").read_text(encoding="utf-8")
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    alt = re.search(r'<meta property="og:image:alt" content="([^"]*)">', page)
    assert image and alt
    return image[1].removeprefix(SITE), alt[1]


def add_config(site: Path, line: str) -> None:
    config = site / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def picture(path: Path, size: tuple[int, int] = (640, 360), kind: str = "PNG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (30, 90, 60)).save(path, kind)


@pytest.fixture
def font(small_site: Path) -> str:
    """A Chinese font copied into the site (Debian's fonts-noto-cjk, which CI installs)."""
    found = next((f for f in FONTS if f.is_file()), None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("没有中文字体（apt-get install fonts-noto-cjk）")
        pytest.skip("没有中文字体（apt-get install fonts-noto-cjk）")
    (small_site / "fonts").mkdir()
    shutil.copyfile(found, small_site / "fonts" / found.name)
    return f"fonts/{found.name}"


def test_an_article_shares_its_first_raster_image(small_site: Path, tmp_path: Path) -> None:
    picture(small_site / "content/news/photo.png")
    picture(small_site / "content/news/body.jpg", kind="JPEG")
    write(small_site, "content/news/2014-07-02-photo.md",
          "---\ntitle: 图片新闻\ndate: 2014-07-02\ncolumn: news\n"
          "images: [{src: photo.png, caption: 干部走访居民}]\n---\n正文。\n")
    write(small_site, "content/news/2014-07-03-inline.md",
          "---\ntitle: 正文配图\ndate: 2014-07-03\ncolumn: news\n---\n正文。\n\n![社区座谈](body.jpg)\n")
    write(small_site, "content/news/vector.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    write(small_site, "content/news/2014-07-04-vector.md",
          "---\ntitle: 矢量图\ndate: 2014-07-04\ncolumn: news\nimages: [{src: vector.svg}]\n---\n正文。\n")
    out = tmp_path / "out"
    build(small_site, out)
    assert og_image(out, "news/2014-07-02-photo") == ("media/news/photo.png", "干部走访居民")
    assert og_image(out, "news/2014-07-03-inline") == ("media/news/body.jpg", "正文配图")
    assert og_image(out, "news/2014-07-04-vector") == ("static/og-default.png", "测试区群众路线网")  # SVG: chat apps do not show it
    assert og_image(out, "rectification/edu/r01") == ("static/og-default.png", "测试区群众路线网")


def test_a_configured_site_image(small_site: Path, tmp_path: Path) -> None:
    picture(small_site / "theme/static/share.jpg", (1000, 500), "JPEG")
    add_config(small_site, "og_image: theme/static/share.jpg")
    build(small_site, tmp_path / "out")
    assert og_image(tmp_path / "out", "units/edu")[0] == "og/site.jpg"
    assert (tmp_path / "out/og/site.jpg").read_bytes() == (small_site / "theme/static/share.jpg").read_bytes()
    page = (tmp_path / "out/units/edu/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image:width" content="1000">' in page


def test_cards_for_shared_pages_with_the_site_font(small_site: Path, tmp_path: Path, font: str) -> None:
    add_config(small_site, f"og_card_font: {font}")
    out = tmp_path / "out"
    build(small_site, out)
    item, item_alt = og_image(out, "rectification/edu/r01")
    article, _ = og_image(out, "news/2014-07-01-first")
    meeting, _ = og_image(out, "meetings/edu-life")
    site_card, _ = og_image(out, "units/edu")
    assert item.startswith("og/") and item_alt == "办事窗口排队时间长"  # the item's problem
    assert len({item, article, meeting, site_card}) == 4
    assert og_image(out, "")[0] == og_image(out, "rectification")[0] == site_card  # one card for the site
    for card in (item, article, meeting, site_card):
        with Image.open(out / card) as image:
            assert image.size == (1200, 630) and image.format == "PNG"
            assert len(image.getcolors(256) or []) > 16  # text was drawn, smoothly
    cards = sorted((out / "og").glob("*.png"))
    assert len(cards) == len(list((small_site / ".gongshi-cache/cards").glob("*.png")))


def test_cards_are_the_same_bytes_and_come_from_the_cache(small_site: Path, tmp_path: Path, font: str) -> None:
    add_config(small_site, f"og_card_font: {font}")
    other = tmp_path / "elsewhere" / "site"
    shutil.copytree(small_site, other)
    build(small_site, tmp_path / "one")
    build(other, tmp_path / "two")
    one = {p.name: p.read_bytes() for p in (tmp_path / "one/og").iterdir()}
    assert one == {p.name: p.read_bytes() for p in (tmp_path / "two/og").iterdir()}
    # a second build takes what the cache holds, without drawing again
    cached = next((small_site / ".gongshi-cache/cards").iterdir())
    cached.write_bytes(b"from the cache")
    build(small_site, tmp_path / "three")
    assert b"from the cache" in {p.read_bytes() for p in (tmp_path / "three/og").iterdir()}


def test_a_corrected_title_gets_a_new_card(small_site: Path, tmp_path: Path, font: str) -> None:
    add_config(small_site, f"og_card_font: {font}")
    build(small_site, tmp_path / "before")
    ledger = small_site / "content/rectification/edu.yml"
    text = ledger.read_text(encoding="utf-8")
    problem = re.search(r"problem: (.+)", text)
    assert problem
    ledger.write_text(text.replace(problem[1], problem[1] + "（更正）", 1), encoding="utf-8")
    build(small_site, tmp_path / "after")
    assert og_image(tmp_path / "before", "rectification/edu/r01") != og_image(tmp_path / "after", "rectification/edu/r01")
    assert og_image(tmp_path / "before", "units/edu") == og_image(tmp_path / "after", "units/edu")


@pytest.mark.parametrize(("line", "files", "problem"), [
    ("og_image: share.png", {}, "不存在"),
    ("og_image: share.png", {"share.png": "not an image"}, "不是能读取的"),
    ("og_image: ../outside.png", {}, "不存在，或不在站点目录里"),
    ("og_card_font: fonts/x.ttf", {"fonts/x.ttf": "not a font"}, "不是能读取的字体文件"),
])
def test_unusable_share_files_are_named(small_site: Path, line: str, files: dict[str, str],
                                        problem: str) -> None:
    picture(small_site.parent / "outside.png")
    for name, text in files.items():
        write(small_site, name, text)
    add_config(small_site, line)
    (error,) = errors_of(small_site)
    key, value = line.split(": ")
    assert error.code == "E092" and error.file == "site_config.yml" and error.line
    assert key in error.message and value in error.message and problem in error.message
