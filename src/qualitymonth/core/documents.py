"""Documents shared by every app: QR codes and the certificate page layout."""

import functools
import io
import logging
from pathlib import Path

import segno
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# The certificate's font is embedded (as a subset of the glyphs used), so every viewer shows the
# same text; a font the PDF only names (reportlab's STSong-Light) is drawn by whatever the viewer
# substitutes, and "·" came out as a box. Only TrueType outlines can be embedded by reportlab
# (not the CFF outlines of Noto CJK / Source Han). Debian's fonts-wqy-microhei (Apache-2.0, or
# GPL-3 with a font-embedding exception) is the one .ci/run installs; the others are the same
# kind of font under the same terms. settings.QM_PDF_FONT may name another TrueType file.
CJK_TRUETYPE_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
EMBEDDED_FONT = "QualityMonthCJK"
FALLBACK_FONT = "STSong-Light"


def qr_svg_data_uri(content: str, *, scale: int = 6) -> str:
    return segno.make(content, error="m").svg_data_uri(scale=scale, border=2)


def qr_png(content: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def certificate_pdf(
    *, title: str, subtitle: str, lines: list[str], issuer: str, footer: str, verify_url: str
) -> bytes:
    """An A4 landscape certificate in Chinese with a QR code that opens verify_url."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = certificate_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{title} {subtitle}")
    pdf.setStrokeColorRGB(0.72, 0.11, 0.11)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColorRGB(0.72, 0.11, 0.11)
    pdf.setFont(font, 34)
    pdf.drawCentredString(width / 2, height - 48 * mm, title)
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, height - 58 * mm, subtitle)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(font, 18)
    y = height - 85 * mm
    for line in lines:
        pdf.drawString(40 * mm, y, line)
        y -= 13 * mm
    pdf.setFont(font, 14)
    pdf.drawRightString(width - 40 * mm, 42 * mm, issuer)
    pdf.drawRightString(width - 40 * mm, 34 * mm, timezone.localdate().strftime("%Y年%m月%d日"))
    pdf.setFont(font, 9)
    pdf.drawString(40 * mm, 22 * mm, footer)
    pdf.drawImage(
        ImageReader(io.BytesIO(qr_png(verify_url, scale=4))), 40 * mm, 28 * mm, 28 * mm, 28 * mm
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def cjk_font_path() -> Path | None:
    configured = getattr(settings, "QM_PDF_FONT", "")
    for candidate in ([configured] if configured else []) + list(CJK_TRUETYPE_FONTS):
        if Path(candidate).is_file():
            return Path(candidate)
    return None


@functools.cache
def certificate_font() -> str:
    """The registered name of the font certificates are set in (parsed once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    path = cjk_font_path()
    if path is not None:
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(path), subfontIndex=0))
        except Exception:  # a broken or CFF font file: certificates must still be issued
            logger.exception("The certificate font %s cannot be embedded", path)
        else:
            return EMBEDDED_FONT
    # A certificate with a substituted font beats none at all; the log says what to install.
    logger.warning(
        "No embeddable CJK TrueType font found (install Debian's fonts-wqy-microhei or set "
        "QM_PDF_FONT): certificates name %s without embedding it.",
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT
