"""Certificates embed a subset of a CJK TrueType font, so "·" and every character show everywhere."""

import os
import re

import pytest

from qualitymonth.core import documents

LINES = ["李小梅：", "于2026年09月01日参加“质量知识竞答”，", "得分 30 分（满分 30 分）。"]


@pytest.fixture
def fresh_font():
    documents.certificate_font.cache_clear()
    yield
    documents.certificate_font.cache_clear()


def _pdf() -> bytes:
    return documents.certificate_pdf(
        title="证   书",
        subtitle="Certificate · 质量知识竞答",
        lines=LINES,
        issuer="厦门市市场监督管理局",
        footer="验证码 ABC123 · 推动质量变革创新",
        verify_url="https://example.org/quiz/certificates/ABC123/",
    )


def test_the_certificate_embeds_a_truetype_subset_and_names_no_unembedded_font(fresh_font):
    if documents.cjk_font_path() is None:
        if os.environ.get("CI"):
            pytest.fail("No CJK TrueType font: .ci/run installs Debian's fonts-wqy-microhei.")
        pytest.skip("No CJK TrueType font here (apt-get install fonts-wqy-microhei)")
    pdf = _pdf()
    assert b"/FontFile2" in pdf
    assert b"STSong-Light" not in pdf
    # A subset (tagged "ABCDEF+Name"), not the whole 5 MB font.
    assert re.search(rb"/BaseFont /[A-Z]{6}\+", pdf)
    assert len(pdf) < 200_000


def test_without_an_embeddable_font_the_certificate_is_still_made(
    fresh_font, monkeypatch, settings, caplog
):
    settings.QM_PDF_FONT = "/nonexistent/font.ttf"
    monkeypatch.setattr(documents, "CJK_TRUETYPE_FONTS", ())
    pdf = _pdf()
    assert pdf.startswith(b"%PDF")
    assert "fonts-wqy-microhei" in caplog.text


def test_a_configured_font_file_is_used_first(fresh_font, settings, tmp_path):
    broken = tmp_path / "not-a-font.ttf"
    broken.write_bytes(b"not a font")
    settings.QM_PDF_FONT = str(broken)
    assert documents.cjk_font_path() == broken
    # A file that cannot be read as a font does not stop the certificate.
    assert _pdf().startswith(b"%PDF")
