"""The pages of the draws: the office's plans, tasks, the draw after a confirmation, results and
publication, the clock; the public results with no person named, and the draw file."""

import datetime as dt
import json

import pytest

from qualitymonth.supervision.models import DrawnSubject, Plan, Task
from qualitymonth.supervision.services import draws as services
from tests.supervision import draw_helpers as h
from tests.supervision.conftest import login

pytestmark = pytest.mark.django_db


def test_the_office_makes_a_plan_and_a_task_and_sees_the_digest_at_once(
    campaign, office_client, office_user, sv_unit, districts
):
    region = campaign.region
    h.canteens(region, districts, 10)
    item = h.check_item(region)
    response = office_client.post(
        "/office/supervision/plans/new/",
        {"year": "2022", "title": "2022年双随机计划", "region": region.pk},
    )
    plan = Plan.objects.get(title="2022年双随机计划")
    assert (
        response.status_code == 302
        and response["Location"] == f"/office/supervision/plans/{plan.pk}/"
    )
    page = office_client.get(f"/office/supervision/plans/{plan.pk}/tasks/new/")
    assert page.status_code == 200
    response = office_client.post(
        f"/office/supervision/plans/{plan.pk}/tasks/new/",
        {
            "title": "幼儿园食堂抽查",
            "unit": sv_unit.pk,
            "subject_kind": "canteen",
            "check_items": [item.pk],
            "districts": [districts[0].pk],
            "school_kinds": ["kindergarten"],
            "share": "20",
            "inspectors_per_subject": "2",
            "starts_on": "2022-09-01",
            "ends_on": "2022-10-31",
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302
    page = office_client.get(response["Location"])
    assert task.seed_digest in page.content.decode() and task.seed not in page.content.decode()
    assert task.subject_filter == {"districts": [districts[0].pk], "school_kinds": ["kindergarten"]}


def test_a_share_over_the_cap_is_shown_on_the_form_and_nothing_is_stored(
    campaign, office_client, office_user, sv_unit, districts
):
    item = h.check_item(campaign.region, max_share="5")
    plan = h.plan(campaign.region, office_user)
    response = office_client.post(
        f"/office/supervision/plans/{plan.pk}/tasks/new/",
        {
            "title": "x",
            "unit": sv_unit.pk,
            "subject_kind": "canteen",
            "check_items": [item.pk],
            "share": "30",
            "inspectors_per_subject": "2",
            "starts_on": "2022-09-01",
            "ends_on": "2022-10-31",
        },
    )
    assert response.status_code == 400
    assert "share" in response.context["form"].errors
    assert not Task.objects.exists()


def test_the_draw_asks_for_confirmation_then_draws_once_and_reveals_the_seed(
    campaign, office_client, office_user, sv_unit, inspectors
):
    region = campaign.region
    h.canteens(region, list(region.children.all()), 6)
    item = h.check_item(region, max_share="50")
    task = h.task(office_user, h.plan(region, office_user), sv_unit, [item], count=3)
    confirm = office_client.get(f"/office/supervision/plans/tasks/{task.number}/draw/")
    assert confirm.status_code == 200 and confirm.context["n"] == 3
    assert not DrawnSubject.objects.exists()
    response = office_client.post(f"/office/supervision/plans/tasks/{task.number}/draw/")
    assert response.status_code == 302
    page = office_client.get(f"/office/supervision/plans/tasks/{task.number}/")
    task.refresh_from_db()
    assert task.seed in page.content.decode() and len(page.context["page"].object_list) == 3
    again = office_client.post(f"/office/supervision/plans/tasks/{task.number}/draw/", follow=True)
    assert DrawnSubject.objects.count() == 3
    assert any("only once" in str(m) or "一次" in str(m) for m in again.context["messages"])
    draw_file = office_client.get(f"/office/supervision/plans/tasks/{task.number}/draw.json")
    assert json.loads(draw_file.content)["seed"] == task.seed


def test_citizens_and_other_units_get_no_office_pages(
    campaign, office_user, sv_unit, inspectors, citizen_client, other_staff_client
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors)
    drawn = task.drawn.first()
    for url in (
        "/office/supervision/plans/",
        f"/office/supervision/plans/tasks/{task.number}/",
        f"/office/supervision/plans/drawn/{drawn.pk}/result/",
    ):
        assert citizen_client.get(url).status_code == 403
    # A unit's staff (not of supervision) do not find the task.
    assert other_staff_client.get(
        f"/office/supervision/plans/tasks/{task.number}/"
    ).status_code in (403, 404)
    unit_staff = login(inspectors[0].user)
    assert unit_staff.get(f"/office/supervision/plans/tasks/{task.number}/").status_code == 200
    assert unit_staff.get(f"/office/supervision/plans/tasks/{task.number}/draw/").status_code == 403
    assert (
        unit_staff.post(
            f"/office/supervision/plans/drawn/{drawn.pk}/replace/", {"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        unit_staff.get(
            "/office/supervision/plans/drawn/99999999999999999999999/result/"
        ).status_code
        == 404
    )


def test_replacing_a_subject_and_an_inspector_through_the_pages(
    campaign, office_client, office_user, sv_unit, inspectors
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=8, count=2)
    drawn = task.drawn.get(position=1)
    assert (
        office_client.get(f"/office/supervision/plans/drawn/{drawn.pk}/replace/").status_code == 200
    )
    refused = office_client.post(
        f"/office/supervision/plans/drawn/{drawn.pk}/replace/", {"reason": ""}
    )
    assert refused.status_code == 400 and task.drawn.count() == 2
    done = office_client.post(
        f"/office/supervision/plans/drawn/{drawn.pk}/replace/", {"reason": "已注销"}
    )
    assert done.status_code == 302 and task.drawn.count() == 3
    other = task.drawn.get(position=2)
    inspector = other.inspectors.first().inspector
    url = f"/office/supervision/plans/drawn/{other.pk}/inspectors/{inspector.pk}/replace/"
    assert office_client.get(url).status_code == 200
    assert office_client.post(url, {"reason": "病假"}).status_code == 302
    assert other.inspectors.count() == 3


def test_results_are_recorded_published_after_a_confirmation_and_shown_publicly_without_persons(
    campaign, office_client, office_user, sv_unit, inspectors, client
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, count=2)
    one, two = task.drawn.order_by("position")
    response = office_client.post(
        f"/office/supervision/plans/drawn/{one.pk}/result/",
        {"result": "no_problem", "note": "", "on": "2022-09-20"},
    )
    assert response.status_code == 302
    bad = office_client.post(
        f"/office/supervision/plans/drawn/{two.pk}/result/", {"result": "bogus", "on": "2022-09-20"}
    )
    assert bad.status_code == 400
    assert client.get("/supervision/results/").context["page"].paginator.count == 0
    confirm = office_client.get(f"/office/supervision/plans/tasks/{task.number}/publish/")
    assert confirm.status_code == 200 and len(confirm.context["ready"]) == 1
    assert (
        office_client.post(f"/office/supervision/plans/tasks/{task.number}/publish/").status_code
        == 302
    )
    public = client.get("/supervision/results/")
    assert public.context["page"].paginator.count == 1
    detail = client.get(f"/supervision/results/{task.number}/")
    text = detail.content.decode()
    assert one.subject.name in text and two.subject.name not in text
    for inspector in inspectors:
        assert inspector.name not in text
    # The draw (and seed) become public once the inspections are over (2022-11-30 has passed).
    assert task.seed in text
    data = json.loads(client.get(f"/supervision/results/{task.number}/draw.json").content)
    assert data["seed"] == task.seed and "检查员" not in json.dumps(data, ensure_ascii=False)


def test_the_seed_stays_hidden_publicly_while_inspections_go_on(
    campaign, office_user, sv_unit, sv_manager, inspectors, client
):
    task = h.drawn_task(
        campaign,
        office_user,
        sv_unit,
        inspectors,
        count=2,
        ends_on=dt.date(2099, 12, 31),
        starts_on=dt.date(2022, 9, 1),
    )
    one = task.drawn.first()
    services.drawn_result_record(
        drawn=one, result="closed", on=dt.date(2022, 9, 5), acting_user=office_user
    )
    services.results_publish(task=task, acting_user=sv_manager)
    detail = client.get(f"/supervision/results/{task.number}/")
    assert detail.status_code == 200 and task.seed not in detail.content.decode()
    assert client.get(f"/supervision/results/{task.number}/draw.json").status_code == 404
    assert client.get("/supervision/results/CC0000-00000/").status_code == 404


def test_the_clock_page_lists_results_to_publish(
    campaign, office_client, office_user, sv_unit, inspectors
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, count=1)
    services.drawn_result_record(
        drawn=task.drawn.first(),
        result="no_problem",
        on=dt.date(2022, 9, 1),
        acting_user=office_user,
    )
    page = office_client.get("/office/supervision/plans/overdue/?show=overdue")
    assert page.status_code == 200 and page.context["page"].paginator.count == 1


def test_list_pages_take_a_fixed_number_of_queries(
    campaign, office_client, office_user, sv_unit, inspectors, client, django_assert_max_num_queries
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=12, count=6)
    for d in task.drawn.all():
        services.drawn_result_record(
            drawn=d, result="no_problem", on=dt.date(2022, 9, 1), acting_user=office_user
        )
    services.results_publish(task=task, acting_user=office_user)
    with django_assert_max_num_queries(15):
        assert (
            office_client.get(f"/office/supervision/plans/tasks/{task.number}/").status_code == 200
        )
    with django_assert_max_num_queries(12):
        assert office_client.get("/office/supervision/plans/tasks/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/supervision/results/{task.number}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/supervision/results/?q=抽查&kind=canteen&year=2022").status_code == 200


def test_the_public_draw_file_leaves_out_the_reasons_of_replacements(
    campaign, office_user, sv_unit, sv_manager, inspectors, client
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, count=2)
    one = task.drawn.order_by("position").first()
    slot = one.inspectors.filter(is_active=True).first()
    services.drawn_inspector_replace(
        drawn=one, inspector=slot.inspector, reason="王小明住院手术", acting_user=office_user
    )
    services.drawn_result_record(
        drawn=one, result="no_problem", on=dt.date(2022, 9, 5), acting_user=office_user
    )
    services.results_publish(task=task, acting_user=sv_manager)
    raw = client.get(f"/supervision/results/{task.number}/draw.json").content.decode()
    api = json.dumps(
        client.get(f"/api/supervision/results/{task.number}").json(), ensure_ascii=False
    )
    assert "replacements" in api
    for text in (raw, api):
        assert "王小明" not in text and "住院" not in text
    data = json.loads(raw)
    assert data["replacements"] == [
        {"kind": "inspector", "subject": one.subject_id, "inspector": slot.inspector_id}
    ]
    # It still reruns, and the office's own file keeps the reason.
    from qualitymonth.supervision import draw as algorithm

    assert algorithm.verify_file(data) == []
    office = login(office_user).get(f"/office/supervision/plans/tasks/{task.number}/draw.json")
    assert "王小明住院手术" in office.content.decode()
