"""The phone-camera check-in page reads a real QR code: Chromium's fake camera plays a video
of the ticket's code, jsQR decodes it, and the ticket is checked in."""

import io
import re

import pytest
import segno
from PIL import Image

from qualitymonth.campaigns.models import Registration
from tests.browser.conftest import CHROMIUM, shot
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    MembershipFactory,
    RegistrationFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _y4m_of_qr(content: str, path, size: int = 480, frames: int = 10) -> None:
    """A short Y4M (4:2:0) video showing the QR code, for --use-file-for-fake-video-capture."""
    buffer = io.BytesIO()
    segno.make(content, error="m").save(buffer, kind="png", scale=10, border=4)
    image = (
        Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").resize((size, size), Image.NEAREST)
    )
    y, cb, cr = image.convert("YCbCr").split()
    half = (size // 2, size // 2)
    frame = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{size} H{size} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + frame)


def test_staff_check_a_ticket_in_with_the_phone_camera(live_server, tmp_path, playwright):
    if not __import__("os").path.exists(CHROMIUM):
        pytest.skip("no Chromium")
    campaign = CampaignFactory()
    unit = UnitFactory(region=campaign.region)
    activity = ActivityFactory(campaign=campaign, organiser=unit)
    registration = RegistrationFactory(activity=activity)
    staff = UserFactory(username="door-staff")
    MembershipFactory(user=staff, unit=unit)
    qr_url = f"{live_server.url}/office/checkin/{registration.ticket_code}/"  # what the ticket's QR holds
    video = tmp_path / "ticket.y4m"
    _y4m_of_qr(qr_url, video)

    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
    )
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/office/activities/{activity.pk}/checkin/")
    page.fill("#id_username", "door-staff")
    page.fill("#id_password", "pw-12345678")
    page.locator("form button.primary").click()
    page.wait_for_url(re.compile(r"/checkin/$"))
    page.locator("[data-scan-start]").click()
    page.wait_for_selector("[data-testid=checkin-result].msg-success", timeout=15000)
    shot(page, "checkin-camera")
    browser.close()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1
