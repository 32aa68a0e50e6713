"""The rectification demo: through the services, every clock on the list, loaded once."""

import datetime as dt

import pytest

from qualitymonth.supervision.demo import hazards as demo
from qualitymonth.supervision.models import Case, Hazard, HazardReply
from tests.supervision import hazard_helpers as helpers
from tests.supervision.conftest import make_canteen, make_elevator
from tests.supervision.hazard_helpers import make_hazard

pytestmark = pytest.mark.django_db

# The hazard fixtures (hazard_helpers.py), visible to this module's tests.
today = helpers.today

S = Hazard.Status


def test_the_demo_does_nothing_without_hazards(campaign):
    demo.load(campaign)
    assert not HazardReply.objects.exists()


def test_the_demo_fills_every_clock_once(
    today, campaign, districts, sv_unit, inspectors, sv_enterprise, enterprise_user
):
    for n in range(10):
        subject = (
            make_canteen(campaign.region, districts[0], 100 + n, enterprise=sv_enterprise)
            if n % 2
            else make_elevator(campaign.region, districts[1], 100 + n)
        )
        make_hazard(
            sv_unit,
            subject,
            inspected_on=today - dt.timedelta(days=30 - n),
            deadline=today + dt.timedelta(days=n - 7),
        )
    demo.load(campaign)
    statuses = list(Hazard.objects.values_list("status", flat=True))
    assert statuses.count(S.CLOSED) == 4 and statuses.count(S.ANSWERED) == 2
    assert HazardReply.objects.filter(photo__gt="").count() == 6
    has_cases = Case.objects.filter(hazard__isnull=False).exists()
    assert has_cases == demo._cases_ready()
    assert statuses.count(S.ESCALATED) == int(has_cases)
    assert statuses.count(S.OPEN) == 4 - int(has_cases)
    assert Hazard.objects.filter(status=S.OPEN, deadline__gt=today).exists()  # extended
    assert Hazard.objects.filter(status=S.OPEN, deadline__lt=today).exists()  # overdue
    replies = HazardReply.objects.count()
    demo.load(campaign)
    assert HazardReply.objects.count() == replies
