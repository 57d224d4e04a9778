"""Front-matter images that are symbolic links: a link is followed, and what it points to
must be a file inside content/ (validate.py works out each folder's real path once and
looks at each image with one lstat; these tests hold it to what `Path.resolve` says)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import errors_of, write

from generator.build import build
from generator.errors import BuildFailed


def photo_news(site: Path, *sources: str) -> None:
    images = "".join(f"  - {{src: '{src}', caption: 图}}\n" for src in sources)
    write(site, "content/news/photo.md",
          f"---\ntitle: 图片新闻\ndate: 2014-06-02\ncolumn: news\nunit: edu\nimages:\n{images}---\n正文\n")


def codes(site: Path) -> list[tuple[str, int | None, str]]:
    return [(e.file, e.line, e.code) for e in errors_of(site)]


def test_a_link_to_a_file_outside_content_is_refused(small_site: Path) -> None:
    (small_site.parent / "secret.jpg").write_bytes(b"not for the public")
    (small_site / "content/news/leak.jpg").symlink_to(small_site.parent / "secret.jpg")
    photo_news(small_site, "leak.jpg")
    assert codes(small_site) == [("content/news/photo.md", 7, "E053")]


def test_a_linked_folder_outside_content_is_refused(small_site: Path) -> None:
    outside = small_site.parent / "elsewhere"
    outside.mkdir()
    (outside / "a.jpg").write_bytes(b"x")
    (small_site / "content/news/pics").symlink_to(outside, target_is_directory=True)
    photo_news(small_site, "pics/a.jpg", "pics/none.jpg")
    assert codes(small_site) == [("content/news/pics", None, "E005"),  # the loader's: a link out of content/
                                 ("content/news/photo.md", 7, "E053"), ("content/news/photo.md", 8, "E053")]


def test_a_link_inside_content_is_published(small_site: Path, tmp_path: Path) -> None:
    write(small_site, "content/media/team.jpg", "jpeg bytes")
    (small_site / "content/news/team.jpg").symlink_to(small_site / "content/media/team.jpg")
    (small_site / "content/news/broken.jpg").symlink_to(small_site / "content/media/gone.jpg")
    photo_news(small_site, "team.jpg", "broken.jpg", "../media/team.jpg")
    assert codes(small_site) == [("content/news/photo.md", 8, "E051")]  # the link that leads nowhere
    photo_news(small_site, "team.jpg", "../media/team.jpg")
    build(small_site, tmp_path / "out")
    page = (tmp_path / "out/news/photo/index.html").read_text(encoding="utf-8")
    assert page.count("<img") >= 2


def test_a_folder_or_a_missing_file_is_not_an_image(small_site: Path) -> None:
    (small_site / "content/news/folder.jpg").mkdir()
    photo_news(small_site, "folder.jpg", "../news/missing.jpg", "../../content/news/folder.jpg")
    assert codes(small_site) == [("content/news/photo.md", line, "E051") for line in (7, 8, 9)]


def test_a_body_whose_image_was_missing_is_published_once_the_image_is_there(small_site: Path,
                                                                             tmp_path: Path) -> None:
    """The failed build cached the file's records, which a build reads without their text
    (only the HTML of a body is needed, and it is cached): a body whose HTML the cache does
    not have is made from the text of the cache's full copy."""
    write(small_site, "content/news/scene.md",
          "---\ntitle: 现场新闻\ndate: 2014-06-02\ncolumn: news\n---\n整改现场一角。\n\n![现场](scene.jpg)\n")
    assert codes(small_site) == [("content/news/scene.md", 8, "E051")]
    with pytest.raises(BuildFailed):
        build(small_site, tmp_path / "out")
    write(small_site, "content/news/scene.jpg", "jpeg bytes")
    build(small_site, tmp_path / "out")
    page = (tmp_path / "out/news/scene/index.html").read_text(encoding="utf-8")
    assert "整改现场一角。" in page and "scene.jpg" in page
