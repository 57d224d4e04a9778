"""Draws the default theme's PNG icons and share image from the favicon's design.

    python tools/make_icons.py

writes into theme/static/: icon-192.png and icon-512.png (web app manifest),
icon-maskable-512.png (the same on a full-bleed background with the star inside the safe
zone, for launchers that crop icons into their own shape), apple-touch-icon.png (180×180,
opaque: iOS fills transparency with black) and og-default.png (1200×630, the share image
of sites without a card font). The files are committed: a build copies them as they are,
so they are byte-identical everywhere. Run again only when the design changes.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "theme" / "static"
RED, RED_LIGHT, RED_DARK, GOLD = (164, 22, 26), (183, 26, 31), (125, 15, 18), (255, 216, 94)
# favicon.svg's star, in its 32×32 box
STAR = [(16, 5), (19.1, 12.6), (27.3, 13.2), (21, 18.5), (23, 26.5), (16, 22.1), (9, 26.5),
        (11, 18.5), (4.7, 13.2), (12.9, 12.6)]
SCALE = 4  # drawn larger, then reduced: smooth edges


def _star(draw: ImageDraw.ImageDraw, left: float, top: float, size: float) -> None:
    draw.polygon([(left + x * size / 32, top + y * size / 32) for x, y in STAR], fill=GOLD)


def icon(size: int, radius: float, star: float) -> Image.Image:
    """A red tile (corner radius and star size as fractions of the tile) with the star."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(radius * big), fill=RED)
    _star(draw, big * (1 - star) / 2, big * (1 - star) / 2, big * star)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def share_image() -> Image.Image:
    """The banner's look: a red gradient, rays and a warm glow rising from the lower right,
    the star small in the upper left (a large centred star would read as a flag)."""
    width, height = 1200 * SCALE // 2, 630 * SCALE // 2
    image = Image.new("RGB", (width, height), RED)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # lighter at the top, darker below
        t = y / (height - 1)
        a, b, u = (RED_LIGHT, RED, t / .55) if t < .55 else (RED, RED_DARK, (t - .55) / .45)
        draw.line((0, y, width, y), fill=tuple(round(a[k] + (b[k] - a[k]) * u) for k in range(3)))
    glow = Image.new("L", (width, height), 0)
    centre = (width * .88, height * 1.25)
    rays = ImageDraw.Draw(glow)
    for n in range(0, 180, 9):  # 3° wedges every 9°, fanning up from below the frame
        a, b = math.radians(180 + n), math.radians(183 + n)
        far = width * 2
        rays.polygon([centre, (centre[0] + far * math.cos(a), centre[1] + far * math.sin(a)),
                      (centre[0] + far * math.cos(b), centre[1] + far * math.sin(b))], fill=20)
    for r in range(40):  # the glow: stacked discs, faint at the edge
        radius = height * (1.1 - r * .02)
        rays.ellipse((centre[0] - radius * 1.2, centre[1] - radius, centre[0] + radius * 1.2,
                      centre[1] + radius), fill=max(20, r * 2))
    image.paste(Image.new("RGB", (width, height), GOLD), (0, 0), glow.point(lambda v: v * 3 // 4))
    star = height * .2
    _star(draw, width * .06, height * .1, star)
    draw.rectangle((0, height - height // 42, width, height), fill=GOLD)
    return image.resize((1200, 630), Image.Resampling.LANCZOS)


def main() -> None:
    icon(192, 6 / 32, 0.72).save(STATIC / "icon-192.png", optimize=True)
    icon(512, 6 / 32, 0.72).save(STATIC / "icon-512.png", optimize=True)
    icon(512, 0, 0.5).save(STATIC / "icon-maskable-512.png", optimize=True)
    icon(180, 0, 0.68).convert("RGB").save(STATIC / "apple-touch-icon.png", optimize=True)
    share_image().save(STATIC / "og-default.png", optimize=True)


if __name__ == "__main__":
    main()
