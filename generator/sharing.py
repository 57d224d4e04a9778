"""Share images (Open Graph): the picture a chat app shows beside a shared link.

An article, document or meeting with a PNG, JPEG, GIF or WebP image of its own shares its
first one (SVG is not shown by chat apps). Every other page shares a card when the site
names a Chinese font in `og_card_font`: a 1200×630 PNG with the page title, what the page
is and the site name. Without that font the site shares one image: `og_image`, or the
theme's static/og-default.png.

Reproducible: the font is a file inside the site, versioned with the content, and cards
are drawn by Pillow (whose wheels carry their own FreeType and zlib), so the same content
and the same Pillow build give the same bytes on any machine. A card is named by a hash of what
it shows: a corrected title gets a new address, which chat apps fetch afresh.

Cheap: cards are only drawn for pages people share one by one (articles, documents, ledger
items, meetings), plus one for the whole site; as palette images (16 shades between each
background and its text) they take a few milliseconds each, and they are kept in
.gongshi-cache/cards/ so a rebuild draws only new titles.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .errors import Problems
from .history import CACHE_DIR
from .model import SiteConfig

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from .pagemeta import PageMeta

# Pillow is imported where an image is read or drawn: most builds do neither, and it takes
# 15 ms to import.

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
DEFAULT_IMAGE = urls.static("og-default.png")
CARD_VERSION = "1"  # change when the drawing changes: old cached cards are not reused
CARD_DIR = "cards"
WIDTH, HEIGHT, MARGIN = 1200, 630, 64
CARD_SIZE = (WIDTH, HEIGHT)
BAND = 112  # height of the red bands at the top and bottom
TITLE_SIZE, TITLE_LINE, TITLE_LINES = 64, 92, 3
SMALL_SIZE = 34
# Each region is drawn with gray levels that are palette indices: 16 steps from the
# region's background to its text colour, so antialiased text stays smooth in a small
# palette PNG.
PAPER, INK = (255, 250, 240), (31, 31, 31)
RED, WHITE, GOLD = (164, 22, 26), (255, 255, 255), (255, 216, 94)
RAMPS = ((PAPER, INK), (RED, WHITE), (RED, GOLD))
NO_LINE_START = "，。、；：？！）》」』”’…%"


@dataclass(frozen=True)
class Card:
    title: str
    kicker: str  # what the page is: 整改事项 · 区教育局
    site: str


def card_path(font_digest: str, card: Card) -> str:
    """The public path of a card: a hash of the font and of what the card shows."""
    key = "\n".join((CARD_VERSION, font_digest, card.title, card.kicker, card.site))
    return f"{urls.SHARE_IMAGES}{hashlib.sha256(key.encode()).hexdigest()[:20]}.png"


@dataclass(frozen=True)
class ShareImages:
    """The site's share-image settings, read once per build."""

    font: Path | None  # the card font; None: no cards
    font_digest: str
    default: str  # public path of the image of pages without one of their own
    default_file: Path | None  # copied to `default`; None when the theme provides it
    default_size: tuple[int, int] | None  # (width, height) of the default image
    site_card: Card | None  # drawn as `default` when there is a font

    def card_path(self, card: Card) -> str:
        return card_path(self.font_digest, card)


def _inside(root: Path, name: str) -> Path | None:
    path = (root / name).resolve()
    return path if path.is_file() and root.resolve() in path.parents else None


def check_files(config: SiteConfig, root: Path, problems: Problems) -> None:
    """`og_image` and `og_card_font` must be usable files inside the site folder."""
    for key, value, hint in (
        ("og_image", config.og_image, "写站点目录里一个 PNG 或 JPEG 图片的路径，例如 theme/static/share.png；"
                                      "建议 1200×630 像素"),
        ("og_card_font", config.og_card_font, "写站点目录里一个中文字体文件（.ttf、.otf 或 .ttc）的路径，"
                                              "例如 fonts/NotoSansSC-Bold.otf；不需要分享卡片的，删除这一行"),
    ):
        if not value:
            continue
        where = config.origin.key(key)
        path = _inside(root, value)
        if path is None:
            problems.add("E092", where, key=key, value=value, problem="不存在，或不在站点目录里", hint=hint)
        elif key == "og_image" and (path.suffix.lower() not in RASTER or not _loads_as_image(path)):
            problems.add("E092", where, key=key, value=value, problem="不是能读取的 PNG、JPEG、GIF 或 WebP 图片",
                         hint=hint)
        elif key == "og_card_font" and not _loads_as_font(path):
            problems.add("E092", where, key=key, value=value, problem="不是能读取的字体文件", hint=hint)


def _loads_as_image(path: Path) -> bool:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError):
        return False
    return True


def _loads_as_font(path: Path) -> bool:
    from PIL import ImageFont

    try:
        ImageFont.truetype(str(path), SMALL_SIZE, index=_face(path))
    except OSError:
        return False
    return True


def _face(path: Path) -> int:
    """In a font collection (.ttc), the Simplified Chinese face; else the first."""
    from PIL import ImageFont

    index = 0
    while path.suffix.lower() in (".ttc", ".otc"):
        try:
            family, _ = ImageFont.truetype(str(path), SMALL_SIZE, index=index).getname()
        except OSError:
            return 0
        if family and (family.endswith(" SC") or " SC " in family):
            return index
        index += 1
    return 0


def share_images(config: SiteConfig, root: Path) -> ShareImages:
    """Assumes `check_files` found no problem."""
    font = _inside(root, config.og_card_font) if config.og_card_font else None
    digest = hashlib.sha256(font.read_bytes()).hexdigest() if font else ""
    if font:
        card = Card(config.title, config.campaign.name, config.organiser)
        return ShareImages(font, digest, card_path(digest, card), None, CARD_SIZE, card)
    if config.og_image:
        own = _inside(root, config.og_image)
        assert own is not None
        from PIL import Image

        with Image.open(own) as image:
            size = image.size
        return ShareImages(None, "", f"{urls.SHARE_IMAGES}site{own.suffix.lower()}", own, size, None)
    return ShareImages(None, "", DEFAULT_IMAGE, None, CARD_SIZE, None)


class CardPainter:
    """Draws cards in one font, through the cache in .gongshi-cache/cards/."""

    def __init__(self, images: ShareImages, site_root: Path):
        from PIL import Image, ImageFont

        assert images.font is not None
        self.images = images
        face = _face(images.font)
        self.title_font = ImageFont.truetype(str(images.font), TITLE_SIZE, index=face)
        self.small_font = ImageFont.truetype(str(images.font), SMALL_SIZE, index=face)
        self.palette = [channel for a, b in RAMPS for i in range(16)
                        for channel in (round(a[k] + (b[k] - a[k]) * i / 15) for k in range(3))]
        self.blank = Image.new("L", (WIDTH, HEIGHT), 0)  # index 0: paper
        self.bands: dict[tuple[str, int], Image.Image] = {}
        self.cache = site_root / CACHE_DIR / CARD_DIR
        self.widths: dict[tuple[float, str], float] = {}

    def png(self, card: Card) -> bytes:
        import PIL

        # Another Pillow may draw other bytes: the cache keeps each version's own.
        name = hashlib.sha256(f"{PIL.__version__}\n{self.images.card_path(card)}".encode()).hexdigest()
        cached = self.cache / f"{name}.png"
        if cached.is_file():
            return cached.read_bytes()
        data = self.draw(card)
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(data)
        except OSError:
            pass  # the cache is an optimisation: a read-only site folder still builds
        return data

    def draw(self, card: Card) -> bytes:
        from PIL import Image, ImageDraw

        canvas = self.blank.copy()
        canvas.paste(self._band(card.kicker, 31), (0, 0))
        canvas.paste(self._band(card.site, 47), (0, HEIGHT - BAND))
        draw = ImageDraw.Draw(canvas)
        lines = self._fit(card.title, self.title_font, WIDTH - 2 * MARGIN, TITLE_LINES)
        top = BAND + (HEIGHT - 2 * BAND - TITLE_LINE * len(lines)) // 2
        for n, line in enumerate(lines):
            draw.text((MARGIN, top + n * TITLE_LINE), line, font=self.title_font, fill=15)
        image = Image.frombytes("P", canvas.size, canvas.tobytes())
        image.putpalette(self.palette)
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=3)  # the flat areas pack well even so
        return out.getvalue()

    def _band(self, text: str, fill: int) -> Image.Image:
        """A red band with one line of small text; the few kinds of kicker and the site
        name recur on every card, so each is drawn once."""
        if (text, fill) not in self.bands:
            from PIL import Image, ImageDraw

            band = Image.new("L", (WIDTH, BAND), fill - 15)  # the ramp's first step: red
            line = self._fit(text, self.small_font, WIDTH - 2 * MARGIN, 1)[0]
            ImageDraw.Draw(band).text((MARGIN, (BAND - SMALL_SIZE) // 2 - 6), line,
                                      font=self.small_font, fill=fill)
            self.bands[(text, fill)] = band
        return self.bands[(text, fill)]

    def _fit(self, text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
        """Chinese text broken into at most `max_lines` lines of `width` pixels, the last
        one ending in … when the text is longer; no line starts with closing punctuation."""
        def measure(char: str) -> float:  # Chinese fonts do not kern: widths add up
            key = (font.size, char)
            if key not in self.widths:
                self.widths[key] = font.getlength(char)
            return self.widths[key]

        lines: list[str] = []
        line, used = "", 0.0
        for char in " ".join(text.split()):
            if line and used + measure(char) > width and char not in NO_LINE_START:
                lines.append(line)
                line, used = "", 0.0
                if char == " ":
                    continue
            line += char
            used += measure(char)
        lines.append(line)
        if len(lines) > max_lines:
            last = lines[max_lines - 1]
            while last and sum(map(measure, last + "…")) > width:
                last = last[:-1]
            lines = lines[: max_lines - 1] + [last + "…"]
        return lines
