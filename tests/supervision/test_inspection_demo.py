"""The inspections demo: every state from what was drawn, once, and nothing when nothing was."""

import pytest

from qualitymonth.supervision.demo import inspections as demo
from qualitymonth.supervision.models import Hazard, Inspection, Photo
from tests.supervision.conftest import make_canteen
from tests.supervision.inspection_helpers import make_drawn

pytestmark = pytest.mark.django_db


def test_the_demo_inspects_what_was_drawn_in_every_state_once(
    campaign, districts, inspectors, sv_unit, sv_enterprise
):
    demo.load(campaign)  # nothing drawn yet: nothing, quietly
    assert not Inspection.objects.exists()
    for n in range(1, 7):
        subject = make_canteen(campaign.region, districts[n % 2], n, enterprise=sv_enterprise)
        make_drawn(subject, [inspectors[0], inspectors[2]], unit=sv_unit, n=n)
    demo.load(campaign)
    demo.load(campaign)
    statuses = sorted(Inspection.objects.values_list("status", "result"))
    assert statuses.count(("in_progress", "")) == 1
    assert ("signed", "rectify") in statuses and ("signed", "no_problem") in statuses
    assert Inspection.objects.count() == 6
    assert (
        Hazard.objects.filter(description__startswith="【示例】").count()
        == Hazard.objects.count()
        >= 2
    )
    photo = Photo.objects.first()
    assert photo.latitude is not None and photo.image.name.endswith(".jpg")
    assert Inspection.objects.filter(representative_refused=True).count() == 1
