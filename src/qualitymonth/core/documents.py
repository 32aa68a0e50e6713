"""Documents shared by every app: QR codes and the certificate page layout."""

import io

import segno
from django.utils import timezone


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
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    # STSong-Light is one of reportlab's built-in CID fonts: Chinese text with no font file shipped.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{title} {subtitle}")
    pdf.setStrokeColorRGB(0.72, 0.11, 0.11)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColorRGB(0.72, 0.11, 0.11)
    pdf.setFont("STSong-Light", 34)
    pdf.drawCentredString(width / 2, height - 48 * mm, title)
    pdf.setFont("STSong-Light", 12)
    pdf.drawCentredString(width / 2, height - 58 * mm, subtitle)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont("STSong-Light", 18)
    y = height - 85 * mm
    for line in lines:
        pdf.drawString(40 * mm, y, line)
        y -= 13 * mm
    pdf.setFont("STSong-Light", 14)
    pdf.drawRightString(width - 40 * mm, 42 * mm, issuer)
    pdf.drawRightString(width - 40 * mm, 34 * mm, timezone.localdate().strftime("%Y年%m月%d日"))
    pdf.setFont("STSong-Light", 9)
    pdf.drawString(40 * mm, 22 * mm, footer)
    pdf.drawImage(
        ImageReader(io.BytesIO(qr_png(verify_url, scale=4))), 40 * mm, 28 * mm, 28 * mm, 28 * mm
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
