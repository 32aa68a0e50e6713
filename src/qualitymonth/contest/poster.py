"""A share poster for an entry (PNG): the cover, the title and a QR code that opens the entry.
WeChat shares pictures better than links, so people post this one."""

import io
import os
from functools import lru_cache

from qualitymonth.core.documents import qr_png

# Fonts with Chinese glyphs, in the order they are tried; POSTER_FONT names another.
_FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]
WIDTH, HEIGHT = 750, 1200


@lru_cache(maxsize=4)
def _font(size: int):
    from PIL import ImageFont

    for path in [os.environ.get("POSTER_FONT", ""), *_FONT_PATHS]:
        if path and os.path.exists(path):
            return ImageFont.truetype(path, size), True
    # No CJK font on this server: Pillow's own font draws Latin text only, so the poster
    # leaves the Chinese lines out rather than printing boxes.
    return ImageFont.load_default(size), False


def _wrap(draw, text: str, font, width: int, lines: int) -> list[str]:
    out, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            out.append(line)
            line = char
            if len(out) == lines:
                out[-1] = out[-1][:-1] + "…"
                return out
        else:
            line += char
    return [*out, line] if line else out


def entry_poster(*, cover, title: str, contest_title: str, author: str, url: str) -> bytes:
    from PIL import Image, ImageDraw

    poster = Image.new("RGB", (WIDTH, HEIGHT), (250, 247, 245))
    draw = ImageDraw.Draw(poster)
    draw.rectangle([0, 0, WIDTH, 120], fill=(179, 38, 30))
    if cover is not None:
        with Image.open(cover) as picture:
            picture = picture.convert("RGB")
            picture.thumbnail((WIDTH, 422))
            poster.paste(picture, ((WIDTH - picture.width) // 2, 120))
    big, has_cjk = _font(44)
    small, _ = _font(28)
    if has_cjk:
        draw.text((40, 36), contest_title[:16], font=small, fill="white")
        y = 580
        for line in _wrap(draw, title, big, WIDTH - 80, 2):
            draw.text((40, y), line, font=big, fill=(29, 27, 26))
            y += 60
        draw.text((40, y + 10), author[:20], font=small, fill=(98, 91, 87))
        draw.text(
            (40, HEIGHT - 90),
            "扫码观看并投票 · Scan to watch and vote",
            font=small,
            fill=(98, 91, 87),
        )
    else:
        draw.text((40, HEIGHT - 90), "Scan to watch and vote", font=small, fill=(98, 91, 87))
    with Image.open(io.BytesIO(qr_png(url, scale=8))) as qr:
        qr = qr.convert("RGB").resize((300, 300), Image.Resampling.NEAREST)
        poster.paste(qr, ((WIDTH - 300) // 2, 780))
    buffer = io.BytesIO()
    poster.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
