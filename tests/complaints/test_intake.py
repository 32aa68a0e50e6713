import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from qualitymonth.complaints.models import Complaint
from qualitymonth.complaints.services import complaint_submit
from qualitymonth.core.models import AuditEvent
from qualitymonth.core.notify import ConsoleBackend
from qualitymonth.core.workdays import add_workdays
from tests.complaints.conftest import complaint_data, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def errors_of(region, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        complaint_submit(data=complaint_data(**overrides), region=region)
    return {field: " ".join(messages) for field, messages in caught.value.message_dict.items()}


@pytest.mark.parametrize(
    "field",
    [
        "complainant_name",
        "complainant_mobile",
        "complainant_address",
        "respondent_name",
        "respondent_address",
        "request",
        "facts",
    ],
)
def test_a_complaint_needs_every_field_order_no_20_requires(region, route, field):
    errors = errors_of(region, **{field: ""})
    assert list(errors) == [field]
    assert not Complaint.objects.exists()


def test_an_enquiry_needs_only_a_name_a_mobile_and_the_question(region, route):
    case = complaint_submit(
        data=complaint_data(
            kind="enquiry",
            complainant_address="",
            respondent_name="",
            respondent_address="",
            request="",
            facts="请问网购商品七日无理由退货的运费由谁承担？",
        ),
        region=region,
    )
    assert case.kind == "enquiry"
    assert case.due_on == add_workdays(timezone.localdate(), 7)


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"complainant_mobile": "12345"}, "complainant_mobile", "mobile"),
        ({"complainant_email": "not-an-email"}, "complainant_email", "e-mail"),
        ({"respondent_uscc": "91350200MA2XXXXXX0"}, "respondent_uscc", "not valid"),
        ({"respondent_uscc": "abc"}, "respondent_uscc", "18 characters"),
        ({"amount": "十元"}, "amount", "amount"),
        ({"amount": "-5"}, "amount", "amount"),
        ({"amount": "NaN"}, "amount", "amount"),
        ({"purchase_date": "2022-13-40"}, "purchase_date", "YYYY-MM-DD"),
        ({"purchase_date": "2999-01-01"}, "purchase_date", "future"),
        ({"district": "浦东新区"}, "district", "districts"),
        ({"facts": "坏了"}, "facts", "10 characters"),
        ({"facts": "很" * 5001}, "facts", "5000"),
        ({"complainant_name": "名" * 51}, "complainant_name", "50"),
        ({"latitude": "24.48", "longitude": ""}, "latitude", "map point"),
        ({"latitude": "95", "longitude": "118.1"}, "latitude", "map point"),
        ({"kind": "praise"}, "kind", "Choose"),
    ],
)
def test_bad_input_is_refused_on_its_own_field_with_a_clear_message(
    region, route, overrides, field, text
):
    errors = errors_of(region, **overrides)
    assert field in errors
    assert text in errors[field]


def test_every_problem_is_reported_at_once(region, route):
    errors = errors_of(region, complainant_mobile="1", facts="", amount="x")
    assert set(errors) == {"complainant_mobile", "facts", "amount"}


def test_a_valid_uscc_and_mobile_with_country_code_are_accepted(region, route):
    case = complaint_submit(
        data=complaint_data(
            complainant_mobile="+86 139-1234-5678", respondent_uscc="91350200MA31N8AA19"
        ),
        region=region,
    )
    assert case.complainant_mobile == "13912345678"
    assert case.respondent_uscc == "91350200MA31N8AA19"


def test_a_confident_classifier_routes_the_case_and_starts_the_clock(region, unit, route):
    route(unit.code, 0.93)
    case = complaint_submit(data=complaint_data(), region=region)
    assert case.unit == unit
    assert case.status == Complaint.Status.TRIAGED
    assert case.routed_by == Complaint.RoutedBy.MODEL
    assert case.accept_due == add_workdays(timezone.localdate(), 7)
    assert case.due_on == case.accept_due
    assert len(case.tracking_number) == 14 and case.tracking_number.isdigit()
    assert [e.step for e in case.events.all()] == ["received", "routed"]
    event = AuditEvent.objects.get(event_type="complaint.submitted")
    assert event.detail["unit"] == unit.code


def test_an_unsure_classifier_sends_the_case_to_triage(region, unit, route):
    route(unit.code, 0.41)
    case = complaint_submit(data=complaint_data(), region=region)
    assert case.unit is None
    assert case.status == Complaint.Status.RECEIVED
    assert case.routing_suggestion == unit.code
    assert case.routing_confidence == pytest.approx(0.41)


def test_a_unit_code_the_city_does_not_have_goes_to_triage(region, route):
    route("no-such-unit", 0.99)
    case = complaint_submit(data=complaint_data(), region=region)
    assert case.unit is None


@override_settings(QM_ROUTING_THRESHOLD=0.3)
def test_the_threshold_is_a_setting(region, unit, route):
    route(unit.code, 0.41)
    assert complaint_submit(data=complaint_data(), region=region).unit == unit


def test_a_report_gets_fifteen_working_days_to_verify(region, route):
    case = complaint_submit(data=complaint_data(kind="report", request=""), region=region)
    assert case.verify_due == add_workdays(timezone.localdate(), 15)
    assert case.accept_due is None


def test_the_complainant_is_told_the_tracking_number(
    region, route, django_capture_on_commit_callbacks
):
    ConsoleBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = complaint_submit(data=complaint_data(), region=region)
    mobile, text = ConsoleBackend.outbox[-1].mobile, ConsoleBackend.outbox[-1].text
    assert mobile == "13912345678"
    assert case.tracking_number in text


def test_images_and_pdfs_are_stored_privately(region, route):
    case = complaint_submit(
        data=complaint_data(attachments=[png_upload(), pdf_upload()]), region=region
    )
    files = list(case.attachments.all())
    assert [f.content_type for f in files] == ["image/png", "application/pdf"]
    assert files[0].original_name == "photo.png"
    # Stored under a random name, outside the public media folder.
    assert "photo" not in files[0].file.name
    from django.conf import settings

    assert str(settings.MEDIA_ROOT) not in files[0].file.path


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.png", b"MZ\x90\x00" + b"\x00" * 100),
        SimpleUploadedFile("notes.pdf", b"just some text, not a pdf"),
        SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff" + b"garbage" * 10),
    ],
    ids=["exe-renamed-png", "text-renamed-pdf", "broken-jpeg"],
)
def test_files_are_checked_by_content_not_by_name(region, route, upload):
    errors = errors_of(region, attachments=[upload])
    assert upload.name in errors["attachments"]
    assert not Complaint.objects.exists()


@override_settings(QM_COMPLAINT_ATTACHMENT_MAX_MB=0)
def test_oversized_files_are_refused(region, route):
    errors = errors_of(region, attachments=[png_upload()])
    assert "larger than" in errors["attachments"]


def test_at_most_five_files(region, route):
    errors = errors_of(region, attachments=[png_upload(f"{n}.png") for n in range(6)])
    assert "at most 5" in errors["attachments"]


def test_cases_about_the_same_business_and_problem_are_grouped(region, unit, route):
    route(unit.code, 0.9)
    first = complaint_submit(
        data=complaint_data(respondent_name="湖里区鹭佳电器商行"), region=region
    )
    second = complaint_submit(
        data=complaint_data(
            respondent_name="鹭佳电器（嘉禾店）",
            complainant_mobile="13700001111",
            facts="买的电水壶用了一周就漏电，店里说不包退",
        ),
        region=region,
    )
    third = complaint_submit(
        data=complaint_data(
            respondent_name="别家超市",
            complainant_mobile="13700002222",
            facts="超市称重的猪肉比标签少了二两，收银员不肯处理",
        ),
        region=region,
    )
    assert first.respondent_key == second.respondent_key == "鹭佳电器"
    assert first.group == second.group
    assert third.group != first.group
    first.group.refresh_from_db()
    assert first.group.case_count == 2


def test_joining_an_open_case_routes_to_its_unit_without_the_classifier(
    region, unit, other_unit, route
):
    route(unit.code, 0.9)
    lead = complaint_submit(data=complaint_data(), region=region)
    route(other_unit.code, 0.99)
    joined = complaint_submit(
        data=complaint_data(complainant_mobile="13600001111"), region=region, join=lead
    )
    assert joined.unit == unit
    assert joined.joined_to == lead
    assert joined.group == lead.group
    assert joined.routed_by == Complaint.RoutedBy.JOINED


def test_a_finished_case_cannot_be_joined(case, region):
    Complaint.objects.filter(pk=case.pk).update(status=Complaint.Status.CLOSED)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        complaint_submit(data=complaint_data(), region=region, join=case)
    assert "join" in caught.value.message_dict


def test_a_purchase_date_today_is_fine(region, route):
    today = timezone.localdate()
    case = complaint_submit(data=complaint_data(purchase_date=today.isoformat()), region=region)
    assert case.purchase_date == today
