"""The Word report opens in another program: LibreOffice converts it to PDF and poppler draws the
first page (the cover) as a PNG that is not blank.

Needs Debian's libreoffice-writer-nogui (soffice) and poppler-utils (pdftoppm), which .ci/run
installs: on a developer's machine without them the test is skipped, under CI it fails."""

import io
import os
import shutil
import subprocess

import pytest
from PIL import Image

from tests.dashboard.test_report import report_campaign, report_provider, written  # noqa: F401

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def _needs(tool: str | None, package: str) -> None:
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install Debian's {package}")
        pytest.skip(f"{package} is not installed")


def test_libreoffice_converts_the_report_and_its_cover_page_renders(
    report_provider,  # noqa: F811
    report_campaign,  # noqa: F811
    tmp_path,
):
    _needs(SOFFICE, "libreoffice-writer-nogui")
    document = written(report_campaign)
    docx_path = tmp_path / "report.docx"
    document.save(str(docx_path))
    profile = tmp_path / "lo-profile"  # its own profile: no clash with a running LibreOffice
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    _needs(PDFTOPPM, "poppler-utils")
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    image = Image.open(io.BytesIO(pages[0].read_bytes())).convert("L")
    darkest, lightest = image.getextrema()
    assert lightest - darkest > 100  # there is text on the page, not only paper
    inked = image.point(lambda value: 255 if value < 128 else 0).histogram()[255]
    assert inked > 200
    keep = os.environ.get("QM_KEEP_REPORT_RENDER")
    if keep:  # to look at the page: QM_KEEP_REPORT_RENDER=/tmp/folder pytest …
        for path in (docx_path, pdf, *tmp_path.glob("page*.png")):
            shutil.copy(path, keep)
