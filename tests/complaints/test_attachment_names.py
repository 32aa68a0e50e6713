"""A complaint attachment is stored under a random name and shown under the one it came with."""

import re

import pytest

from qualitymonth.complaints.services import complaint_submit
from tests.complaints.conftest import complaint_data, png_upload

pytestmark = pytest.mark.django_db


def test_an_attachment_keeps_its_original_name_for_display(region, unit, route):
    route(unit.code, 0.9)
    case = complaint_submit(
        data=complaint_data(attachments=[png_upload("发票照片.PNG")]), region=region
    )
    attachment = case.attachments.get()
    assert attachment.original_name == "发票照片.PNG"
    assert re.fullmatch(r"complaints/\d{4}/\d{2}/[0-9a-f]{32}\.png", attachment.file.name)
