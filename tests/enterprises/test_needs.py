"""The one-stop service: a need from filing to rating, its clocks, the dispatch suggestion, the
fees, the pages and the API."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from qualitymonth.core.models import AuditEvent, Membership, Unit
from qualitymonth.core.notify import ConsoleBackend
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.workdays import add_workdays
from qualitymonth.enterprises import need_selectors as selectors
from qualitymonth.enterprises.models import (
    Deliverable,
    EnterpriseMember,
    Need,
    Provider,
    ServiceType,
    Visit,
)
from qualitymonth.enterprises.services import needs as services
from tests.enterprises.conftest import make_enterprise
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Need.Status


# --- fixtures --------------------------------------------------------------------------------
def png(name: str = "photo.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "校准报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf"
    )


def html_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def calibration(db):
    return ServiceType.objects.create(
        code="test-calibration",
        category=ServiceType.Category.METROLOGY,
        name="校准",
        name_en="Calibration",
        is_charged=True,
        response_workdays=7,
        completion_workdays=15,
    )


@pytest.fixture
def standards_lookup(db):
    return ServiceType.objects.create(
        code="test-standards",
        category=ServiceType.Category.STANDARDS,
        name="标准查询",
        response_workdays=3,
        completion_workdays=5,
    )


def institution(region, name: str, code: str) -> Provider:
    unit = UnitFactory(region=region, name=name, code=code, kind=Unit.Kind.NQI)
    return Provider.objects.create(
        region=region, kind=Provider.Kind.INSTITUTION, name=name, unit=unit
    )


@pytest.fixture
def institute(campaign, calibration):
    provider = institution(campaign.region, "测试市计量测试院", "test-metrology")
    provider.service_types.add(calibration)
    return provider


@pytest.fixture
def other_institute(campaign, calibration):
    provider = institution(campaign.region, "测试市质量检验中心", "test-testing")
    provider.service_types.add(calibration)
    return provider


@pytest.fixture
def provider_user(institute):
    return MembershipFactory(
        unit=institute.unit,
        role=Membership.Role.UNIT_STAFF,
        user=UserFactory(username="metrologist"),
    ).user


@pytest.fixture
def other_provider_user(other_institute):
    return MembershipFactory(
        unit=other_institute.unit,
        role=Membership.Role.UNIT_STAFF,
        user=UserFactory(username="tester"),
    ).user


@pytest.fixture
def member(enterprise):
    user = UserFactory(username="enterprise-user", email="ent@example.com")
    EnterpriseMember.objects.create(enterprise=enterprise, user=user)
    return user


@pytest.fixture
def other_enterprise(campaign):
    return make_enterprise(campaign.region, 2, name="测试市另一家食品有限公司")


@pytest.fixture
def other_member(other_enterprise):
    user = UserFactory(username="other-enterprise-user")
    EnterpriseMember.objects.create(enterprise=other_enterprise, user=user)
    return user


@pytest.fixture
def need(enterprise, member, calibration):
    return services.need_file(
        enterprise=enterprise,
        service_type=calibration,
        description="电子秤 20 台需要校准",
        acting_user=member,
    )


def _dispatched(need, office_user, provider):
    return services.need_dispatch(need=need, provider=provider, acting_user=office_user)


@pytest.fixture
def in_service(need, office_user, institute, provider_user):
    _dispatched(need, office_user, institute)
    return services.need_start(need=need, acting_user=provider_user)


@pytest.fixture
def delivered(in_service, provider_user):
    services.visit_log(
        need=in_service,
        acting_user=provider_user,
        visited_on=timezone.localdate(),
        notes="现场校准 20 台电子秤",
        problems_found=3,
        problems_solved=2,
    )
    return services.need_deliver(
        need=in_service,
        acting_user=provider_user,
        fee_standard="800",
        fee_charged="0",
        relief=Need.Relief.WAIVED,
    )


def set_today(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(services, "_today", lambda: day)
    monkeypatch.setattr(selectors, "_today", lambda: day)


# --- filing ----------------------------------------------------------------------------------
def test_a_member_files_a_need_numbered_by_day_with_its_response_clock(need, calibration):
    today = timezone.localdate()
    assert need.number.startswith(f"N{today:%Y%m%d}")
    assert need.status == S.SUBMITTED
    assert need.respond_by == add_workdays(today, calibration.response_workdays)
    assert AuditEvent.objects.filter(event_type="need.filed", object_id=str(need.pk)).exists()


def test_needs_of_one_day_get_the_next_number(need, enterprise, member, calibration):
    second = services.need_file(
        enterprise=enterprise, service_type=calibration, description="再校准", acting_user=member
    )
    assert int(second.number[-4:]) == int(need.number[-4:]) + 1


def test_filing_across_national_day_counts_working_days(
    monkeypatch, enterprise, member, calibration
):
    set_today(monkeypatch, dt.date(2025, 9, 30))
    filed = services.need_file(
        enterprise=enterprise, service_type=calibration, description="校准", acting_user=member
    )
    # 1–8 October 2025 are holidays; Saturday 11 October is a working day.
    assert filed.respond_by == dt.date(2025, 10, 16)
    assert filed.respond_by == add_workdays(dt.date(2025, 9, 30), 7)
    assert filed.number.startswith("N20250930")


def test_another_enterprise_member_may_not_file_for_it(enterprise, other_member, calibration):
    with pytest.raises(PermissionDenied):
        services.need_file(
            enterprise=enterprise,
            service_type=calibration,
            description="x",
            acting_user=other_member,
        )


def test_filing_needs_a_description(enterprise, member, calibration):
    with pytest.raises(ValidationError) as caught:
        services.need_file(
            enterprise=enterprise, service_type=calibration, description="  ", acting_user=member
        )
    assert "description" in caught.value.error_dict


# --- the office --------------------------------------------------------------------------------
def test_office_accepts_and_the_completion_clock_starts(need, office_user, calibration):
    services.need_accept(need=need, acting_user=office_user)
    need.refresh_from_db()
    assert need.status == S.ACCEPTED
    assert need.complete_by == add_workdays(timezone.localdate(), calibration.completion_workdays)


def test_completion_clock_across_national_day(monkeypatch, need, office_user):
    set_today(monkeypatch, dt.date(2025, 9, 30))
    services.need_accept(need=need, acting_user=office_user)
    need.refresh_from_db()
    assert need.complete_by == add_workdays(dt.date(2025, 9, 30), 15) == dt.date(2025, 10, 28)


@pytest.mark.parametrize("who", ["member", "provider_user", "other_office"])
def test_only_the_regions_office_accepts(need, who, request, other_office_client):
    user = other_office_client.user if who == "other_office" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.need_accept(need=need, acting_user=user)


def test_accepting_twice_is_an_invalid_transition(need, office_user):
    services.need_accept(need=need, acting_user=office_user)
    with pytest.raises(ValidationError) as caught:
        services.need_accept(need=need, acting_user=office_user)
    assert caught.value.code == "invalid_transition"


def test_decline_needs_a_reason_and_tells_the_enterprise(need, office_user, enterprise):
    enterprise.contact_mobile = "13900001111"
    enterprise.save()
    with pytest.raises(ValidationError):
        services.need_decline(need=need, acting_user=office_user, reason="")
    ConsoleBackend.outbox.clear()
    with pytest.raises(ValidationError):  # nothing sent for a refused step
        services.need_decline(need=need, acting_user=office_user, reason=" ")
    services.need_decline(need=need, acting_user=office_user, reason="不属于本平台服务范围")
    need.refresh_from_db()
    assert need.status == S.DECLINED
    assert need.decline_reason == "不属于本平台服务范围"


def test_dispatch_from_submitted_accepts_in_the_same_step(need, office_user, institute):
    _dispatched(need, office_user, institute)
    need.refresh_from_db()
    assert need.status == S.DISPATCHED
    assert need.provider == institute
    assert need.accepted_at is not None and need.complete_by is not None


def test_dispatch_to_a_provider_without_the_service_is_refused(
    need, office_user, campaign, standards_lookup
):
    lookup_only = institution(campaign.region, "测试市标准化研究院", "test-standards-inst")
    lookup_only.service_types.add(standards_lookup)
    with pytest.raises(ValidationError) as caught:
        _dispatched(need, office_user, lookup_only)
    assert "provider" in caught.value.error_dict


def test_another_provider_than_suggested_needs_a_reason(
    need, office_user, institute, other_institute
):
    first = selectors.dispatch_suggestions(need).first()
    other = other_institute if first == institute else institute
    with pytest.raises(ValidationError) as caught:
        _dispatched(need, office_user, other)
    assert "reason" in caught.value.error_dict
    services.need_dispatch(need=need, provider=other, acting_user=office_user, reason="就近服务")
    event = AuditEvent.objects.get(event_type="need.dispatched")
    assert event.detail["reason"] == "就近服务" and event.detail["suggested"] == first.pk


def test_dispatch_a_declined_need_is_an_invalid_transition(need, office_user, institute):
    services.need_decline(need=need, acting_user=office_user, reason="重复提交")
    with pytest.raises(ValidationError) as caught:
        _dispatched(need, office_user, institute)
    assert caught.value.code == "invalid_transition"


# --- the suggestion ----------------------------------------------------------------------------
def test_suggestion_orders_by_load_then_rating_then_name(
    campaign, calibration, enterprise, member, office_user
):
    names = ["丙检测所", "甲计量所", "乙校准中心"]
    providers = {}
    for i, name in enumerate(names):
        providers[name] = institution(campaign.region, name, f"test-sugg-{i}")
        providers[name].service_types.add(calibration)

    def filed(provider, status, rating=None):
        need = Need.objects.create(
            number=f"T{Need.objects.count():06d}",
            region=campaign.region,
            enterprise=enterprise,
            service_type=calibration,
            description="x",
            respond_by=timezone.localdate(),
            provider=provider,
            status=status,
            rating=rating,
        )
        return need

    # 丙 carries an open need; 甲 and 乙 none, 乙 better rated than 甲.
    filed(providers["丙检测所"], S.IN_SERVICE)
    filed(providers["甲计量所"], S.CLOSED, rating=3)
    filed(providers["乙校准中心"], S.CLOSED, rating=5)
    target = filed(None, S.SUBMITTED)
    order = [p.name for p in selectors.dispatch_suggestions(target)]
    assert order == ["乙校准中心", "甲计量所", "丙检测所"]
    # Equal load and no ratings: by name.
    Need.objects.filter(rating__isnull=False).update(rating=None)
    order = [p.name for p in selectors.dispatch_suggestions(target)]
    assert order[:2] == sorted(["乙校准中心", "甲计量所"])


def test_suggestion_is_one_query(need, institute, other_institute, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(selectors.dispatch_suggestions(need))


def test_inactive_providers_are_not_suggested(need, institute, other_institute):
    other_institute.is_active = False
    other_institute.save()
    assert list(selectors.dispatch_suggestions(need)) == [institute]


# --- the provider ------------------------------------------------------------------------------
def test_only_the_provider_sent_to_starts(
    need, office_user, institute, other_provider_user, member
):
    _dispatched(need, office_user, institute)
    for stranger in (other_provider_user, member, office_user):
        with pytest.raises(PermissionDenied):
            services.need_start(need=need, acting_user=stranger)


def test_an_expert_provider_serves_with_their_own_account(need, office_user, campaign, calibration):
    expert_user = UserFactory(username="expert-one", email="expert@example.com")
    expert = Provider.objects.create(
        region=campaign.region, kind=Provider.Kind.EXPERT, name="张专家", user=expert_user
    )
    expert.service_types.add(calibration)
    first = selectors.dispatch_suggestions(need).first()
    services.need_dispatch(
        need=need,
        provider=expert,
        acting_user=office_user,
        reason="" if first == expert else "专家对口",
    )
    services.need_start(need=need, acting_user=expert_user)
    need.refresh_from_db()
    assert need.status == S.IN_SERVICE
    assert selectors.serves_any(expert_user)


def test_visit_with_photo_is_stored_under_a_random_name(in_service, provider_user):
    visit = services.visit_log(
        need=in_service,
        acting_user=provider_user,
        visited_on=timezone.localdate(),
        notes="现场检查",
        problems_found=2,
        problems_solved=1,
        photo=png("张三的工厂.png"),
    )
    assert visit.photo.name.endswith(".png") and "张三" not in visit.photo.name


def test_visit_refuses_a_future_date_a_fake_photo_and_more_solved_than_found(
    in_service, provider_user
):
    with pytest.raises(ValidationError) as caught:
        services.visit_log(
            need=in_service,
            acting_user=provider_user,
            visited_on=timezone.localdate() + dt.timedelta(days=1),
            notes="",
            problems_found=1,
            problems_solved=2,
            photo=SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        )
    assert set(caught.value.error_dict) == {"visited_on", "notes", "problems_solved", "photo"}
    assert not Visit.objects.exists()


def test_visit_photo_over_five_megabytes_is_refused(in_service, provider_user):
    big = png()
    big.size = services.PHOTO_MAX_MB * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as caught:
        services.visit_log(
            need=in_service,
            acting_user=provider_user,
            visited_on=timezone.localdate(),
            notes="x",
            photo=big,
        )
    assert caught.value.error_dict["photo"][0].code == "too_large"


def test_visit_before_start_is_an_invalid_transition(need, office_user, institute, provider_user):
    _dispatched(need, office_user, institute)
    with pytest.raises(ValidationError) as caught:
        services.visit_log(
            need=need, acting_user=provider_user, visited_on=timezone.localdate(), notes="x"
        )
    assert caught.value.code == "invalid_transition"


def test_deliverable_keeps_its_original_name_and_refuses_a_disguised_file(
    in_service, provider_user
):
    item = services.deliverable_add(
        need=in_service, acting_user=provider_user, title="校准证书", file=pdf()
    )
    assert item.original_name == "校准报告.pdf"
    assert item.file.name.endswith(".pdf") and "校准" not in item.file.name
    with pytest.raises(ValidationError) as caught:
        services.deliverable_add(
            need=in_service, acting_user=provider_user, title="x", file=html_as_pdf()
        )
    assert "file" in caught.value.error_dict
    assert Deliverable.objects.count() == 1


def test_delivery_needs_a_visit_or_a_deliverable(in_service, provider_user):
    with pytest.raises(ValidationError) as caught:
        services.need_deliver(need=in_service, acting_user=provider_user)
    assert caught.value.code == "invalid_transition"
    services.deliverable_add(need=in_service, acting_user=provider_user, title="报告", file=pdf())
    services.need_deliver(need=in_service, acting_user=provider_user)
    in_service.refresh_from_db()
    assert in_service.status == S.DELIVERED


# --- fees --------------------------------------------------------------------------------------
def test_fees_at_delivery_give_the_money_saved(delivered):
    delivered.refresh_from_db()
    assert delivered.fee_standard == Decimal("800.00")
    assert delivered.money_saved == Decimal("800.00")
    assert delivered.relief == Need.Relief.WAIVED


@pytest.mark.parametrize(
    ("standard", "charged", "relief", "field"),
    [
        ("500", "600", "", "fee_charged"),  # charged more than the standard fee
        ("500", None, "", "fee_charged"),  # one amount without the other
        ("abc", "1", "", "fee_standard"),
        ("500", "100", Need.Relief.WAIVED, "relief"),  # waived yet charged
        ("500", "500", Need.Relief.REDUCED, "relief"),  # reduced to the same
        ("500", "100", "bogus", "relief"),
    ],
)
def test_bad_fees_are_refused(in_service, provider_user, standard, charged, relief, field):
    services.deliverable_add(need=in_service, acting_user=provider_user, title="报告", file=pdf())
    with pytest.raises(ValidationError) as caught:
        services.need_deliver(
            need=in_service,
            acting_user=provider_user,
            fee_standard=standard,
            fee_charged=charged,
            relief=relief,
        )
    assert field in caught.value.error_dict
    in_service.refresh_from_db()
    assert in_service.status == S.IN_SERVICE


def test_office_corrects_the_fees_after_delivery_and_the_enterprise_may_not(
    delivered, office_user, member
):
    services.need_fees_record(
        need=delivered,
        acting_user=office_user,
        fee_standard="1000",
        fee_charged="200",
        relief=Need.Relief.REDUCED,
    )
    delivered.refresh_from_db()
    assert delivered.money_saved == Decimal("800.00")
    with pytest.raises(PermissionDenied):
        services.need_fees_record(
            need=delivered, acting_user=member, fee_standard="1", fee_charged="0"
        )


# --- rating and closing ----------------------------------------------------------------------
def test_the_enterprise_rates_and_closes(delivered, member):
    services.need_rate(need=delivered, acting_user=member, rating=5, comment="很专业")
    delivered.refresh_from_db()
    assert (delivered.status, delivered.rating) == (S.CLOSED, 5)


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_a_rating_outside_one_to_five_is_refused(delivered, member, rating):
    with pytest.raises(ValidationError):
        services.need_rate(need=delivered, acting_user=member, rating=rating)


def test_another_enterprise_and_the_provider_may_not_rate(delivered, other_member, provider_user):
    for stranger in (other_member, provider_user):
        with pytest.raises(PermissionDenied):
            services.need_rate(need=delivered, acting_user=stranger, rating=5)


def test_rating_before_delivery_is_an_invalid_transition(in_service, member):
    with pytest.raises(ValidationError) as caught:
        services.need_rate(need=in_service, acting_user=member, rating=4)
    assert caught.value.code == "invalid_transition"


def test_office_closes_an_unrated_need_only_after_ten_working_days(
    monkeypatch, delivered, office_user
):
    delivered_on = dt.date(2025, 9, 26)
    Need.objects.filter(pk=delivered.pk).update(
        delivered_at=timezone.make_aware(dt.datetime(2025, 9, 26, 10))
    )
    last_day = add_workdays(delivered_on, services.RATE_WITHIN_WORKDAYS)
    assert last_day == dt.date(2025, 10, 16)  # across the National Day holiday
    set_today(monkeypatch, last_day)
    with pytest.raises(ValidationError) as caught:
        services.need_close(need=delivered, acting_user=office_user)
    assert caught.value.code == "too_early"
    set_today(monkeypatch, last_day + dt.timedelta(days=1))
    services.need_close(need=delivered, acting_user=office_user)
    delivered.refresh_from_db()
    assert delivered.status == S.CLOSED and delivered.rating is None


# --- lists and clocks ------------------------------------------------------------------------
@pytest.fixture
def clocks(monkeypatch, enterprise, member, calibration, office_user, institute):
    """Four needs filed on 2025-09-30: one waiting, one accepted, one dispatched, one closed."""
    set_today(monkeypatch, dt.date(2025, 9, 30))
    made = [
        services.need_file(
            enterprise=enterprise,
            service_type=calibration,
            description=f"需求{i}",
            acting_user=member,
        )
        for i in range(4)
    ]
    services.need_accept(need=made[1], acting_user=office_user)
    _dispatched(made[2], office_user, institute)
    services.need_decline(need=made[3], acting_user=office_user, reason="重复")
    return made


def test_overdue_by_working_days(monkeypatch, clocks, office_user):
    waiting = clocks[0]
    set_today(monkeypatch, dt.date(2025, 10, 16))  # the response's last day: not overdue yet
    assert list(selectors.overdue_needs(office_user)) == []
    assert waiting in selectors.due_soon_needs(office_user)
    set_today(monkeypatch, dt.date(2025, 10, 17))
    assert list(selectors.overdue_needs(office_user)) == [waiting]
    set_today(monkeypatch, dt.date(2025, 10, 29))  # the completion's last day was 28 October
    assert set(selectors.overdue_needs(office_user)) == {waiting, clocks[1], clocks[2]}


def test_due_soon_looks_two_working_days_ahead(monkeypatch, clocks, office_user):
    set_today(monkeypatch, dt.date(2025, 10, 13))  # + 2 working days = 15 October
    assert list(selectors.due_soon_needs(office_user)) == []
    set_today(monkeypatch, dt.date(2025, 10, 14))  # + 2 = 16 October, the response's last day
    assert list(selectors.due_soon_needs(office_user)) == [clocks[0]]


def test_office_list_filters_and_search(clocks, office_user, institute, calibration, enterprise):
    number = clocks[2].number
    assert [n.number for n in selectors.office_needs(office_user, {"q": number})] == [number]
    assert len(selectors.office_needs(office_user, {"q": "测试市湖里"})) == 0
    assert len(selectors.office_needs(office_user, {"q": "鹭岛"})) == 4
    assert list(selectors.office_needs(office_user, {"provider": institute})) == [clocks[2]]
    assert len(selectors.office_needs(office_user, {"status": S.DECLINED})) == 1
    assert len(selectors.office_needs(office_user, {"category": "metrology"})) == 4
    assert len(selectors.office_needs(office_user, {"category": "standards"})) == 0


def test_another_regions_office_sees_none(clocks, other_office_client):
    assert list(selectors.office_needs(other_office_client.user)) == []


def test_provider_queue_and_enterprise_list(
    clocks, provider_user, other_provider_user, member, other_member
):
    assert list(selectors.provider_queue(provider_user)) == [clocks[2]]
    assert list(selectors.provider_queue(other_provider_user)) == []
    assert len(selectors.enterprise_needs(member)) == 4
    assert list(selectors.enterprise_needs(other_member)) == []


# --- pages -----------------------------------------------------------------------------------
def test_enterprise_files_a_need_on_the_page(member, enterprise, calibration):
    client = login(member)
    page = client.get("/services/new/")
    assert page.status_code == 200
    assert "<optgroup" in page.content.decode()
    response = client.post(
        "/services/new/",
        {"enterprise": enterprise.pk, "service_type": calibration.pk, "description": "校准电子秤"},
    )
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == f"/services/{need.number}/"


def test_bad_need_form_keeps_what_was_typed(member, enterprise):
    response = login(member).post(
        "/services/new/", {"enterprise": enterprise.pk, "description": "保留这段文字"}
    )
    assert response.status_code == 400
    assert "保留这段文字" in response.content.decode()


def test_filing_for_someone_elses_enterprise_on_the_page_is_refused(
    member, other_enterprise, calibration
):
    response = login(member).post(
        "/services/new/",
        {"enterprise": other_enterprise.pk, "service_type": calibration.pk, "description": "x"},
    )
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_anonymous_is_sent_to_login(need):
    client = Client()
    for path in (
        "/services/mine/",
        "/services/new/",
        f"/services/{need.number}/",
        "/office/needs/queue/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response.url


def test_need_detail_for_each_who_may_see_it(
    need, member, other_member, office_client, provider_user, office_user, institute
):
    assert login(member).get(f"/services/{need.number}/").status_code == 200
    assert login(other_member).get(f"/services/{need.number}/").status_code == 404
    assert login(provider_user).get(f"/services/{need.number}/").status_code == 404
    page = office_client.get(f"/office/needs/{need.number}/")
    assert page.status_code == 200
    assert "data-confirm" in page.content.decode()  # decline asks first
    _dispatched(need, office_user, institute)
    assert login(provider_user).get(f"/office/needs/{need.number}/").status_code == 200


def test_a_filed_need_is_not_called_an_answer_sheet_handed_in(need, member):
    # The quiz's "Submitted" is 已交卷; a need's status and filing date have their own words.
    html = login(member).get(f"/services/{need.number}/").content.decode()
    assert "已交卷" not in html


def test_office_list_page_and_its_query_count(clocks, office_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = office_client.get("/office/needs/?clock=overdue&category=metrology&q=鹭岛")
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        response = office_client.get("/office/needs/?page=99999999999999999999999")
    assert response.status_code == 200


def test_office_list_is_not_for_providers_or_enterprises(provider_user, member):
    assert login(provider_user).get("/office/needs/").status_code == 404
    assert login(member).get("/office/needs/").status_code in (403, 404)


def test_office_dispatches_from_the_page_with_the_suggestion_preselected(
    need, office_client, institute
):
    page = office_client.get(f"/office/needs/{need.number}/").content.decode()
    assert f'value="{institute.pk}" selected' in page
    response = office_client.post(
        f"/office/needs/{need.number}/dispatch/", {"provider": institute.pk}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == S.DISPATCHED


def test_decline_without_reason_on_the_page_shows_the_error(need, office_client):
    response = office_client.post(f"/office/needs/{need.number}/decline/", {"reason": ""})
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.status == S.SUBMITTED


def test_provider_serves_on_the_pages(need, office_user, institute, provider_user, member):
    _dispatched(need, office_user, institute)
    client = login(provider_user)
    base = f"/office/needs/{need.number}"
    assert client.post(f"{base}/start/").status_code == 302
    response = client.post(
        f"{base}/visit/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "notes": "现场校准",
            "problems_found": 1,
            "problems_solved": 1,
            "photo": png(),
        },
    )
    assert response.status_code == 302
    assert client.post(f"{base}/deliverable/", {"title": "报告", "file": pdf()}).status_code == 302
    response = client.post(
        f"{base}/deliver/", {"fee_standard": "300", "fee_charged": "400", "relief": ""}
    )
    assert response.status_code == 400  # charged more than standard
    response = client.post(
        f"{base}/deliver/", {"fee_standard": "300", "fee_charged": "150", "relief": "reduced"}
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == S.DELIVERED
    # The enterprise downloads the report and sees the photo; another enterprise does not.
    item = need.deliverables.get()
    download = login(member).get(f"/services/{need.number}/files/{item.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert (
        "校准报告.pdf" in download["Content-Disposition"]
        or "filename*" in download["Content-Disposition"]
    )
    photo = login(member).get(f"/services/{need.number}/visits/{need.visits.get().pk}/photo/")
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"
    page = login(member).get(f"/services/{need.number}/").content.decode()
    assert 'id="rate"' in page
    assert login(member).post(f"/services/{need.number}/rate/", {"rating": "4"}).status_code == 302
    need.refresh_from_db()
    assert need.status == S.CLOSED


def test_another_provider_may_not_serve_on_the_pages(
    need, office_user, institute, other_provider_user
):
    _dispatched(need, office_user, institute)
    client = login(other_provider_user)
    assert client.post(f"/office/needs/{need.number}/start/").status_code == 404
    need.refresh_from_db()
    assert need.status == S.DISPATCHED


def test_the_enterprise_may_not_take_office_steps(need, member):
    response = login(member).post(f"/office/needs/{need.number}/accept/")
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.status == S.SUBMITTED


def test_other_enterprise_may_not_download(delivered, other_member, provider_user):
    visit = delivered.visits.get()
    assert (
        login(other_member)
        .get(f"/services/{delivered.number}/visits/{visit.pk}/photo/")
        .status_code
        == 404
    )


def test_my_needs_page_lists_only_mine(need, member, other_member, django_assert_max_num_queries):
    client = login(member)
    with django_assert_max_num_queries(8):
        page = client.get("/services/mine/")
    assert need.number in page.content.decode()
    assert need.number not in login(other_member).get("/services/mine/").content.decode()


def test_queue_page_for_a_provider(
    need, office_user, institute, provider_user, django_assert_max_num_queries
):
    _dispatched(need, office_user, institute)
    client = login(provider_user)
    with django_assert_max_num_queries(10):
        page = client.get("/office/needs/queue/")
    assert need.number in page.content.decode()


# --- API ---------------------------------------------------------------------------------------
def _post(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_api_happy_path(member, enterprise, calibration, office_client, institute, provider_user):
    enterprise_client = login(member)
    response = _post(
        enterprise_client,
        "/api/needs",
        {"enterprise_id": enterprise.pk, "service_type": calibration.code, "description": "校准"},
    )
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert enterprise_client.get("/api/needs").json()["count"] == 1
    suggestions = office_client.get(f"/api/office/needs/{number}/suggestions").json()
    assert suggestions[0]["id"] == institute.pk
    response = _post(
        office_client, f"/api/office/needs/{number}/dispatch", {"provider_id": institute.pk}
    )
    assert response.status_code == 200 and response.json()["status"] == "dispatched"
    provider = login(provider_user)
    assert _post(provider, f"/api/office/needs/{number}/start").status_code == 200
    response = provider.post(
        f"/api/office/needs/{number}/visits",
        {"visited_on": timezone.localdate().isoformat(), "notes": "现场", "photo": png()},
    )
    assert response.status_code == 201, response.content
    assert response.json()["photo_url"]
    response = provider.post(
        f"/api/office/needs/{number}/deliverables", {"title": "报告", "file": pdf()}
    )
    assert response.status_code == 201 and response.json()["original_name"] == "校准报告.pdf"
    response = _post(
        provider,
        f"/api/office/needs/{number}/deliver",
        {"fee_standard": "800", "fee_charged": "0", "relief": "waived"},
    )
    assert response.status_code == 200 and response.json()["money_saved"] in (
        "800.00",
        800.0,
        "800",
    )
    response = _post(enterprise_client, f"/api/needs/{number}/rate", {"rating": 5, "comment": "好"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    listing = office_client.get("/api/office/needs?status=closed").json()
    assert [n["number"] for n in listing["items"]] == [number]


def test_api_forbidden_and_not_found(
    need, other_member, member, provider_user, other_enterprise, calibration
):
    assert Client().get("/api/needs").status_code == 401
    assert login(other_member).get(f"/api/needs/{need.number}").status_code == 404
    assert _post(login(member), f"/api/office/needs/{need.number}/accept").status_code == 403
    assert login(member).get("/api/office/needs").status_code == 403
    assert login(provider_user).get("/api/office/needs").status_code == 403
    response = _post(
        login(member),
        "/api/needs",
        {
            "enterprise_id": other_enterprise.pk,
            "service_type": calibration.code,
            "description": "x",
        },
    )
    assert response.status_code == 403


def test_api_bad_input(need, member, office_client, enterprise):
    client = login(member)
    response = _post(
        client,
        "/api/needs",
        {"enterprise_id": enterprise.pk, "service_type": "no-such", "description": "x"},
    )
    assert response.status_code == 400 and "service_type" in response.json()["errors"]
    response = _post(
        client,
        "/api/needs",
        {"enterprise_id": enterprise.pk, "service_type": "x", "description": "a\x00"},
    )
    assert response.status_code == 422
    response = _post(office_client, f"/api/office/needs/{need.number}/decline", {"reason": "  "})
    assert response.status_code == 400
    assert _post(client, f"/api/needs/{need.number}/rate", {"rating": 5}).status_code == 409
    response = office_client.get("/api/office/needs?status=nonsense")
    assert response.status_code == 400


def test_api_office_list_query_count(clocks, office_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = office_client.get("/api/office/needs?clock=overdue")
    assert response.status_code == 200


# --- notifications ---------------------------------------------------------------------------
def test_each_step_tells_the_enterprise_after_commit(
    enterprise, member, calibration, office_user, django_capture_on_commit_callbacks
):
    enterprise.contact_mobile = "13900001111"
    enterprise.save()
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        filed = services.need_file(
            enterprise=enterprise, service_type=calibration, description="校准", acting_user=member
        )
        services.need_decline(need=filed, acting_user=office_user, reason="请先电话联系")
    sent = [n for n in ConsoleBackend.outbox if filed.number in n.text]
    assert [n.mobile for n in sent] == ["13900001111", "13900001111"]
    assert "请先电话联系" in sent[-1].text


def test_a_refused_step_notifies_no_one_and_audits_nothing(
    need, office_user, django_capture_on_commit_callbacks
):
    ConsoleBackend.outbox.clear()
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.need_close(need=need, acting_user=office_user)
    assert AuditEvent.objects.count() == before
    assert not [n for n in ConsoleBackend.outbox if need.number in n.text]
