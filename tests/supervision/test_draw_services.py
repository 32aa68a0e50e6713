"""The draw services: plans and tasks (digest at once, the share cap), the one draw with its
stored population, replacements, results, publication, and who may do each."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from qualitymonth.core.models import AuditEvent
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.supervision import draw_selectors as selectors
from qualitymonth.supervision.models import (
    ConflictLink,
    DrawnInspector,
    DrawnSubject,
    Plan,
    Task,
)
from qualitymonth.supervision.services import draws as services
from tests.supervision import draw_helpers as h
from tests.supervision.conftest import make_inspector

pytestmark = pytest.mark.django_db


def test_a_task_gets_its_seed_and_digest_at_once_and_hides_the_seed_until_the_draw(
    campaign, office_user, sv_unit, districts
):
    item = h.check_item(campaign.region)
    task = h.task(office_user, h.plan(campaign.region, office_user), sv_unit, [item])
    assert len(task.seed) == 64 and task.seed_digest == Task.digest_of(task.seed)
    assert task.seed_revealed == "" and task.number.startswith("CC2022-")
    assert AuditEvent.objects.filter(event_type="supervision.draw.task_created").exists()


def test_the_share_cap_of_ordinary_items_is_enforced_and_key_items_have_none(
    campaign, office_user, sv_unit, districts
):
    region = campaign.region
    h.canteens(region, districts, 10)
    plan = h.plan(region, office_user)
    ordinary = h.check_item(region, "o1", max_share="20")
    tighter = h.check_item(region, "o2", max_share="5")
    key = h.check_item(region, "k1", kind="key")
    with pytest.raises(ValidationError) as share:
        h.task(office_user, plan, sv_unit, [ordinary, tighter], share="10", count=None)
    assert "5%" in share.value.message_dict["share"][0]
    with pytest.raises(ValidationError) as count:
        h.task(office_user, plan, sv_unit, [ordinary], count=3)
    assert "3 of 10" in count.value.message_dict["count"][0]
    assert h.task(office_user, plan, sv_unit, [ordinary], count=2).count == 2
    assert h.task(office_user, plan, sv_unit, [key], share="100", count=None).share == 100
    assert Task.objects.count() == 2


def test_bad_task_input_is_refused_field_by_field_and_nothing_is_stored(
    campaign, office_user, sv_unit, sv_other_unit, districts
):
    region = campaign.region
    elevator_item = h.check_item(region, "lift", subject_kind="elevator")
    with pytest.raises(ValidationError) as refused:
        h.task(
            office_user,
            h.plan(region, office_user),
            None,
            [elevator_item],
            title=" ",
            share="10",
            count=2,
            inspectors_per_subject=1,
            starts_on=dt.date(2021, 1, 1),
            ends_on=dt.date(2020, 1, 1),
            industries=["ZZ"],
            risk_grades=["E"],
            school_kinds=["castle"],
        )
    fields = refused.value.message_dict
    for name in (
        "title",
        "unit",
        "check_items",
        "inspectors_per_subject",
        "starts_on",
        "ends_on",
        "industries",
        "risk_grades",
        "school_kinds",
    ):
        assert name in fields, name
    assert Task.objects.count() == 0


def test_the_draw_stores_the_population_and_rows_and_reruns_to_the_same(
    campaign, office_user, sv_unit, inspectors
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=10, count=3)
    assert task.status == Task.Status.DRAWN and task.drawn_at and task.seed_revealed == task.seed
    assert len(task.population["subjects"]) == 10
    rows = list(task.drawn.all())
    assert len(rows) == 3
    for row in rows:
        assert row.inspectors.filter(is_active=True).count() == 2
    assert selectors.verify_task(task) == []
    # A change of the stored rows shows.
    DrawnInspector.objects.filter(drawn=rows[0], position=1).update(
        inspector=next(i for i in inspectors if not rows[0].inspectors.filter(inspector=i).exists())
    )
    assert selectors.verify_task(task)


def test_a_second_draw_is_refused(campaign, office_user, sv_unit, inspectors):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors)
    with pytest.raises(ValidationError) as refused:
        services.task_draw(task=task, acting_user=office_user)
    assert refused.value.code == "invalid_transition"
    assert DrawnSubject.objects.filter(task=task).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_draws_at_once_give_one_draw(campaign, office_user, sv_unit, inspectors):
    region = campaign.region
    h.canteens(region, list(region.children.all()), 6)
    item = h.check_item(region, max_share="50")
    task = h.task(office_user, h.plan(region, office_user), sv_unit, [item], count=2)
    outcomes = []

    def draw():
        try:
            services.task_draw(task=Task.objects.get(pk=task.pk), acting_user=office_user)
            outcomes.append("drawn")
        except Exception as error:  # the loser: refused, or the database's lock
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("drawn") == 1
    assert DrawnSubject.objects.filter(task=task).count() == 2


def test_conflicts_and_the_own_unit_step_aside_in_a_stored_draw(
    campaign, office_user, sv_unit, sv_other_unit, districts
):
    region = campaign.region
    a = make_inspector(sv_unit, "own-a", districts=districts)
    b = make_inspector(sv_unit, "own-b", districts=districts)
    c = make_inspector(sv_other_unit, "other-c", districts=districts)
    d = make_inspector(sv_other_unit, "other-d", districts=districts)
    e = make_inspector(sv_other_unit, "other-e", districts=districts)
    subjects = h.canteens(region, districts, 6, supervising_unit=sv_unit)
    for s in subjects:
        ConflictLink.objects.create(inspector=c, subject=s, reason="relative")
    item = h.check_item(region, key_code := "own", kind="key", exclude_own_unit=True)
    assert key_code
    task = h.task(office_user, h.plan(region, office_user), sv_unit, [item], count=6)
    services.task_draw(task=task, acting_user=office_user)
    sent = set(
        DrawnInspector.objects.filter(drawn__task=task).values_list("inspector_id", flat=True)
    )
    assert sent == {d.pk, e.pk} and not sent & {a.pk, b.pk, c.pk}


def test_a_draw_without_enough_eligible_inspectors_fails_naming_the_subject_and_stores_nothing(
    campaign, office_user, sv_unit, districts
):
    region = campaign.region
    make_inspector(sv_unit, "only-one", districts=districts)
    h.canteens(region, districts, 2)
    item = h.check_item(region, max_share="50")
    task = h.task(office_user, h.plan(region, office_user), sv_unit, [item], count=1)
    with pytest.raises(ValidationError) as refused:
        services.task_draw(task=task, acting_user=office_user)
    assert "测试第10" in refused.value.messages[0]
    task.refresh_from_db()
    assert task.status == Task.Status.CREATED and not task.drawn.exists()


def test_replacements_are_reproducible_audited_and_keep_the_replaced_row(
    campaign, office_user, sv_unit, inspectors
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=10, count=3)
    first = task.drawn.get(position=1)
    new = services.drawn_subject_replace(drawn=first, reason="已停业", acting_user=office_user)
    first.refresh_from_db()
    assert not first.is_active and first.replacement_reason == "已停业"
    assert new.replaces == first and new.position == 4
    assert new.inspectors.filter(is_active=True).count() == 2
    second = task.drawn.get(position=2)
    ill = second.inspectors.get(position=1).inspector
    slot = services.drawn_inspector_replace(
        drawn=second, inspector=ill, reason="病假", acting_user=office_user
    )
    assert slot.replaces.inspector == ill and slot.inspector != ill
    assert selectors.verify_task(task) == []
    assert AuditEvent.objects.filter(event_type="supervision.draw.subject_replaced").exists()
    with pytest.raises(ValidationError):
        services.drawn_subject_replace(drawn=first, reason="again", acting_user=office_user)


def test_a_result_sets_the_publication_deadline_and_publishing_finishes_the_task(
    campaign, office_user, sv_unit, sv_manager, inspectors
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, count=2)
    one, two = task.drawn.order_by("position")
    inspector_user = one.inspectors.first().inspector.user
    services.drawn_result_record(
        drawn=one,
        result="not_found",
        note="查无此址",
        on=dt.date(2022, 9, 30),
        acting_user=inspector_user,
    )
    one.refresh_from_db()
    # 2022-09-30 + 20 working days: the National Day week is off, 8 and 9 October are worked.
    assert one.publish_due == dt.date(2022, 11, 2)
    services.drawn_result_record(
        drawn=two, result="no_problem", on=dt.date(2022, 10, 10), acting_user=office_user
    )
    assert services.results_publish(task=task, drawn_ids=[one.pk], acting_user=sv_manager) == 1
    task.refresh_from_db()
    assert task.status == Task.Status.DRAWN
    assert services.results_publish(task=task, acting_user=sv_manager) == 1
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    with pytest.raises(ValidationError):
        services.drawn_result_record(
            drawn=one, result="closed", on=dt.date(2022, 10, 1), acting_user=office_user
        )


def test_bad_results_are_refused_and_nothing_is_stored(campaign, office_user, sv_unit, inspectors):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors)
    drawn = task.drawn.first()
    with pytest.raises(ValidationError) as refused:
        services.drawn_result_record(
            drawn=drawn,
            result="great",
            note="x" * 301,
            on=dt.date(2999, 1, 1),
            acting_user=office_user,
        )
    assert set(refused.value.message_dict) == {"result", "note", "on"}
    drawn.refresh_from_db()
    assert drawn.result == "" and drawn.publish_due is None


def test_forbidden_users_may_not_plan_draw_replace_record_or_publish(
    campaign, office_user, sv_unit, sv_other_unit, inspectors, citizen_user, enterprise_user
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors)
    drawn = task.drawn.first()
    other_staff = make_inspector(sv_other_unit, "outsider", role="unit_staff").user
    unit_staff = inspectors[0].user  # of the organising unit, but not the office
    for user in (citizen_user, enterprise_user, other_staff, unit_staff):
        with pytest.raises(PermissionDenied):
            services.plan_create(region=campaign.region, year=2023, title="x", acting_user=user)
        with pytest.raises(PermissionDenied):
            services.drawn_subject_replace(drawn=drawn, reason="x", acting_user=user)
        with pytest.raises(PermissionDenied):
            services.results_publish(task=task, acting_user=user)
    drawn_here = set(drawn.inspectors.values_list("inspector__user_id", flat=True))
    for user in (citizen_user, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.drawn_result_record(
                drawn=drawn, result="closed", on=dt.date(2022, 9, 1), acting_user=user
            )
    if other_staff.pk not in drawn_here:
        with pytest.raises(PermissionDenied):
            services.drawn_result_record(
                drawn=drawn, result="closed", on=dt.date(2022, 9, 1), acting_user=other_staff
            )
    assert Plan.objects.filter(year=2023).count() == 0
    drawn.refresh_from_db()
    assert drawn.is_active and drawn.result == ""


def test_the_publication_clock_lists_overdue_and_due_soon_results(
    campaign, office_user, sv_unit, inspectors
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, count=2)
    late, soon = task.drawn.order_by("position")
    services.drawn_result_record(
        drawn=late, result="no_problem", on=dt.date(2022, 9, 1), acting_user=office_user
    )
    services.drawn_result_record(
        drawn=soon, result="no_problem", on=dt.date(2022, 10, 10), acting_user=office_user
    )
    today = dt.date(2022, 11, 1)  # late was due 2022-10-09… (20 workdays), soon 2022-11-07
    overdue = list(selectors.publication_clock(office_user, today=today, which="overdue"))
    due_soon = list(selectors.publication_clock(office_user, today=today, which="soon"))
    assert overdue == [late] and due_soon == [soon]


def test_inspectors_who_name_no_district_may_be_drawn_anywhere_in_the_city(
    campaign, office_user, sv_unit, sv_other_unit, districts
):
    from tests.supervision.conftest import make_inspector

    make_inspector(sv_unit, "city-wide-1")
    make_inspector(sv_other_unit, "city-wide-2")
    region = campaign.region
    h.canteens(region, districts, 4)
    item = h.check_item(region, "k-any", kind="key")
    task = h.task(office_user, h.plan(region, office_user), sv_unit, [item], count=4)
    services.task_draw(task=task, acting_user=office_user)
    assert task.drawn.count() == 4
    for drawn in task.drawn.all():
        assert drawn.inspectors.filter(is_active=True).count() == 2
