"""The draws demo: a plan with two drawn tasks over the directories, loaded once; nothing when
the directories are missing."""

import pytest

from qualitymonth.supervision.demo import draws as demo
from qualitymonth.supervision.models import Plan, Task
from tests.supervision import draw_helpers as h

pytestmark = pytest.mark.django_db


def test_the_demo_skips_quietly_without_directories(campaign, office_user):
    demo.load(campaign)
    assert not Plan.objects.exists()


def test_the_demo_draws_two_tasks_once_and_publishes_the_elevator_results(
    campaign, office_user, sv_unit, inspectors, districts
):
    region = campaign.region
    h.canteens(region, districts, 10)
    h.canteens(region, districts, 5, start=200, kind="primary")
    h.elevators(region, districts, 40)
    h.check_item(region, "canteen", max_share="30")
    h.check_item(region, "lift", kind="key", subject_kind="elevator")
    demo.load(campaign)
    demo.load(campaign)
    plan = Plan.objects.get()
    tasks = {t.subject_kind: t for t in Task.objects.filter(plan=plan)}
    assert set(tasks) == {"canteen", "elevator"}
    assert all(t.drawn_at and t.seed_revealed for t in tasks.values())
    assert tasks["canteen"].drawn.count() == 3  # 20 % of 15
    assert tasks["elevator"].status == Task.Status.DONE
    assert tasks["elevator"].drawn.filter(published_at__isnull=False).count() == 2  # 5 % of 40
