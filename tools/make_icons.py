#!/usr/bin/env python3
"""Draw the Peer'M app icons with Pillow and write them to static/icons/.

The mark: two overlapping rings ("peers"); the area they share is filled
white and carries an upward arrow cut out in the background colour
(sharing / syncing up).  White on deep teal, drawn with plain shapes only
(no fonts), supersampled and downscaled for clean anti-aliasing.

Run:  .venv/bin/python tools/make_icons.py
"""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

TEAL = "#0b6e69"
WHITE = "#ffffff"
ORANGE = "#f2a33a"  # brand accent; unused in the icon, kept for reference

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
SS_MIN = 4  # minimum supersampling factor (small icons get more)

# --- mark geometry in a 100x100 box (favicon.svg is generated from it) -----
CY = 50.0
RING_CX = (38.0, 62.0)
RING_R = 24.0                    # ring centre-line radius
RING_W = 7.0                     # ring stroke width
R_OUT = RING_R + RING_W / 2      # the shared lens = intersection of outer discs


def arrow(tip: float, base: float, foot: float, head_hw: float, shaft_hw: float):
    """Upward arrow polygon centred on x=50 (y offsets relative to CY)."""
    return [(50.0, CY + tip),
            (50 + head_hw, CY + base), (50 + shaft_hw, CY + base), (50 + shaft_hw, CY + foot),
            (50 - shaft_hw, CY + foot), (50 - shaft_hw, CY + base), (50 - head_hw, CY + base)]


ARROW = arrow(-17.5, -5.0, 15.0, 9.0, 3.5)        # cut out of the lens
ARROW_BOLD = arrow(-20.0, -4.0, 17.0, 11.0, 4.5)  # for tiny sizes (favicon)
FAVICON_FRAC = 0.96              # favicons: bigger mark ...
FAVICON_WEIGHT = 1.25            # ... and heavier rings, to survive 16-32 px


def mark_mask(size: int, scale: float, ox: float, oy: float, weight: float = 1.0,
              arrow_pts=ARROW) -> Image.Image:
    """L-mode mask (255 = white) of the mark, 100-unit box at (ox, oy)."""
    def P(x, y):
        return (ox + x * scale, oy + y * scale)

    def box(cx, r):
        (x, y), rr = P(cx, CY), r * scale
        return (x - rr, y - rr, x + rr, y + rr)

    w = RING_W * weight
    r_out = RING_R + w / 2
    m = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(m)
    for cx in RING_CX:
        d.ellipse(box(cx, r_out), outline=255, width=round(w * scale))
    # lens: intersection of the two outer discs
    a = Image.new("L", (size, size), 0)
    b = Image.new("L", (size, size), 0)
    ImageDraw.Draw(a).ellipse(box(RING_CX[0], r_out), fill=255)
    ImageDraw.Draw(b).ellipse(box(RING_CX[1], r_out), fill=255)
    m = ImageChops.lighter(m, ImageChops.multiply(a, b))
    ImageDraw.Draw(m).polygon([P(*v) for v in arrow_pts], fill=0)
    return m


def render(size: int, *, shape: str, mark_frac: float, weight: float = 1.0,
           arrow_pts=ARROW, mode: str = "RGBA") -> Image.Image:
    """shape: 'rounded' (transparent corners) or 'full' (full bleed).
    mark_frac: size of the mark's 100-unit box relative to the tile."""
    ss = max(SS_MIN, 1024 // size)
    S = size * ss
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if shape == "rounded":
        d.rounded_rectangle((0, 0, S - 1, S - 1), radius=round(S * 0.22), fill=TEAL)
    else:
        d.rectangle((0, 0, S, S), fill=TEAL)
    scale = S * mark_frac / 100.0
    off = (S - 100 * scale) / 2
    img.paste(WHITE, (0, 0), mark_mask(S, scale, off, off, weight, arrow_pts))
    img = img.reduce(ss)  # exact box average: smooth edges, no ringing
    return img.convert("RGB") if mode == "RGB" else img


def save_png(img: Image.Image, name: str) -> None:
    """Save losslessly (exact brand colour, fully opaque tile); the flat art
    compresses well enough that palette quantisation is not worth the
    colour drift it causes."""
    path = OUT / name
    img.save(path, optimize=True)
    print(f"static/icons/{name}  {img.size[0]}x{img.size[1]}  {path.stat().st_size} B")


def make_svg(mark_frac: float = FAVICON_FRAC, weight: float = FAVICON_WEIGHT,
             arrow_pts=ARROW_BOLD) -> str:
    """Hand-sized SVG of the same mark, framed like favicon-32.png."""
    w = RING_W * weight
    r_out = RING_R + w / 2
    h = math.sqrt(r_out**2 - ((RING_CX[1] - RING_CX[0]) / 2) ** 2)
    f = lambda v: f"{v:.4g}"
    lens = (f"M50 {f(CY - h)}A{f(r_out)} {f(r_out)} 0 0 1 50 {f(CY + h)}"
            f"A{f(r_out)} {f(r_out)} 0 0 1 50 {f(CY - h)}Z")
    arrow_d = "M" + "L".join(f"{f(x)} {f(y)}" for x, y in arrow_pts) + "Z"
    t = 50 * (1 - mark_frac)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="22" fill="{TEAL}"/>'
        f'<g transform="translate({f(t)} {f(t)}) scale({f(mark_frac)})">'
        f'<g fill="none" stroke="{WHITE}" stroke-width="{f(w)}">'
        f'<circle cx="{f(RING_CX[0])}" cy="{f(CY)}" r="{f(RING_R)}"/>'
        f'<circle cx="{f(RING_CX[1])}" cy="{f(CY)}" r="{f(RING_R)}"/></g>'
        f'<path d="{lens}" fill="{WHITE}"/>'
        f'<path d="{arrow_d}" fill="{TEAL}"/></g></svg>\n'
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # purpose "any": rounded tile with transparent corners
    save_png(render(512, shape="rounded", mark_frac=0.74), "icon-512.png")
    save_png(render(192, shape="rounded", mark_frac=0.74), "icon-192.png")
    # purpose "maskable": full bleed; the mark's farthest point is
    # 39.5 units * 0.70 = 27.7% of the width from the centre, well inside
    # the 40%-radius safe zone
    save_png(render(512, shape="full", mark_frac=0.70, mode="RGB"), "maskable-512.png")
    # iOS applies its own corner mask and wants an opaque image
    save_png(render(180, shape="full", mark_frac=0.72, mode="RGB"), "apple-touch-icon.png")
    # 32 px: larger mark, heavier rings, bolder arrow so it reads in a tab
    save_png(render(32, shape="rounded", mark_frac=FAVICON_FRAC, weight=FAVICON_WEIGHT,
                    arrow_pts=ARROW_BOLD), "favicon-32.png")
    svg = make_svg()
    (OUT / "favicon.svg").write_text(svg, encoding="utf-8")
    print(f"static/icons/favicon.svg  {len(svg.encode())} B")


if __name__ == "__main__":
    main()
