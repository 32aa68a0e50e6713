"""One enterprise's page shows its service needs beside the complaints naming it."""

import datetime as dt

import pytest

from qualitymonth.enterprises.models import Need, ServiceType
from qualitymonth.enterprises.reference import load_services

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_enterprises_needs_and_only_its_own(office_client, enterprise):
    from tests.enterprises.conftest import make_enterprise

    load_services()
    service = ServiceType.objects.get(code="calibration")
    other = make_enterprise(enterprise.region, 2, name="别家企业有限公司")
    for number, owner in (("N202612010001", enterprise), ("N202612010002", other)):
        Need.objects.create(
            number=number,
            region=enterprise.region,
            enterprise=owner,
            service_type=service,
            description="电子秤校准",
            respond_by=dt.date(2026, 12, 4),
        )
    page = office_client.get(f"/office/enterprises/{enterprise.pk}/").content.decode()
    assert "N202612010001" in page and service.name in page
    assert "N202612010002" not in page
