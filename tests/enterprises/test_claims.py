"""Enterprise accounts: sign up, prove a mobile, claim an enterprise; the office decides."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from qualitymonth.core.identity import SESSION_MOBILE
from qualitymonth.core.models import AuditEvent, Membership
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.core.sms import ConsoleBackend
from qualitymonth.core.validators import uscc_check_character
from qualitymonth.enterprises.models import Claim, Enterprise, EnterpriseMember
from qualitymonth.enterprises.services import claims as services
from tests.factories import CampaignFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MOBILE = "13900001234"


def _uscc(body: str) -> str:
    return body + uscc_check_character(body)


USCC = _uscc("91350200MA0000001")
UNKNOWN_USCC = _uscc("91350200MA0000002")


def png(name: str = "licence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text_as_jpeg() -> SimpleUploadedFile:
    return SimpleUploadedFile("licence.jpg", b"just some text, renamed", content_type="image/jpeg")


def _enterprise(region, uscc: str = USCC, name: str = "厦门示例精密仪器有限公司") -> Enterprise:
    return Enterprise.objects.create(
        region=region,
        uscc=uscc,
        name=name,
        legal_representative="王某",
        registered_address="某路1号",
    )


@pytest.fixture
def enterprise(campaign):
    return _enterprise(campaign.region)


@pytest.fixture
def person(db):
    return UserFactory(username="claimant", first_name="李四")


def _verified(user, mobile: str = MOBILE) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_MOBILE] = mobile
    session.save()
    return client


@pytest.fixture
def person_client(person):
    return _verified(person)


@pytest.fixture
def other_office_client(db):
    other = CampaignFactory()
    user = MembershipFactory(
        unit=other.lead_unit,
        role=Membership.Role.CAMPAIGN_OFFICE,
        user=UserFactory(username="other-office"),
    ).user
    client = Client()
    client.force_login(user)
    return client


def _claim(enterprise, user, mobile: str = MOBILE) -> Claim:
    return services.claim_submit(
        user=user, mobile=mobile, uscc=enterprise.uscc, position="质量负责人", licence=png()
    )


# --- the journey on the pages --------------------------------------------------------------


def test_sign_up_verify_mobile_and_claim_then_office_approves(enterprise, office_client):
    client = Client()
    response = client.post(
        "/enterprises/signup/",
        {
            "username": "zhangsan",
            "name": "张三",
            "password1": "quality-month-2026",
            "password2": "quality-month-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/enterprises/mobile/"
    user = get_user_model().objects.get(username="zhangsan")
    assert user.first_name == "张三" and user.check_password("quality-month-2026")

    # Without a verified mobile, the claim page sends the person to prove one.
    assert client.get("/enterprises/claim/")["Location"] == "/enterprises/mobile/"

    ConsoleBackend.outbox.clear()
    client.post("/enterprises/mobile/", {"mobile": MOBILE})
    code = re.search(r"\d{6}", ConsoleBackend.outbox[-1][1]).group()
    response = client.post("/enterprises/mobile/", {"mobile": MOBILE, "code": code})
    assert response["Location"] == "/enterprises/claim/"

    response = client.post(
        "/enterprises/claim/",
        {"uscc": enterprise.uscc.lower(), "position": "总经理", "licence": png()},
    )
    assert response.status_code == 302 and response["Location"] == "/enterprises/mine/"
    claim = Claim.objects.get(user=user)
    assert claim.status == Claim.Status.PENDING and claim.mobile == MOBILE
    assert claim.licence.name.endswith(".png") and "licence" not in claim.licence.name
    assert AuditEvent.objects.filter(event_type="enterprise.claim_submitted").exists()
    assert "厦门示例精密仪器有限公司" in client.get("/enterprises/mine/").content.decode()

    page = office_client.get("/office/enterprises/claims/")
    assert page.status_code == 200 and enterprise.name in page.content.decode()
    assert office_client.get(f"/office/enterprises/claims/{claim.pk}/").status_code == 200
    licence = office_client.get(f"/office/enterprises/claims/{claim.pk}/licence/")
    assert licence.status_code == 200 and licence["Content-Type"] == "image/png"
    assert licence["Content-Security-Policy"] == "sandbox"
    response = office_client.post(f"/office/enterprises/claims/{claim.pk}/approve/")
    assert response.status_code == 302
    assert EnterpriseMember.objects.filter(enterprise=enterprise, user=user).exists()
    assert enterprise.name in client.get("/enterprises/mine/").content.decode()


def test_signup_refuses_a_weak_password_and_keeps_what_was_typed(db):
    response = Client().post(
        "/enterprises/signup/",
        {"username": "wang", "name": "王五", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert 'value="wang"' in response.content.decode()


def test_signup_refuses_a_taken_username_whatever_its_case(person):
    response = Client().post(
        "/enterprises/signup/",
        {
            "username": "CLAIMANT",
            "name": "x",
            "password1": "Quality-9x!",
            "password2": "Quality-9x!",
        },
    )
    assert "username" in response.context["form"].errors


def test_claim_without_a_verified_mobile_is_refused(enterprise, person):
    client = Client()
    client.force_login(person)
    response = client.post(
        "/enterprises/claim/", {"uscc": enterprise.uscc, "position": "经理", "licence": png()}
    )
    assert response.status_code == 302 and response["Location"] == "/enterprises/mobile/"
    translation.activate("en")  # the request above left the site's Chinese active
    with pytest.raises(Exception, match="Verify your mobile"):
        services.claim_submit(
            user=person, mobile=None, uscc=enterprise.uscc, position="经理", licence=png()
        )
    assert not Claim.objects.exists()


def test_unknown_uscc_says_the_office_must_register_it(person_client, enterprise):
    response = person_client.post(
        "/enterprises/claim/", {"uscc": UNKNOWN_USCC, "position": "经理", "licence": png()}
    )
    assert response.status_code == 200
    assert response.context["not_registered"] is True
    assert "/complaints/new/?kind=enquiry" in response.content.decode()
    assert 'value="经理"' in response.content.decode()  # what was typed is kept
    assert not Claim.objects.exists()


def test_the_enterprise_address_sends_newcomers_to_sign_up_and_others_to_their_enterprises(
    person_client,
):
    # The one-stop service page links here for "sign up as an enterprise".
    assert Client().get("/enterprises/")["Location"] == "/enterprises/signup/"
    assert person_client.get("/enterprises/")["Location"] == "/enterprises/mine/"


def test_invalid_uscc_is_a_field_error(person_client, enterprise):
    response = person_client.post(
        "/enterprises/claim/", {"uscc": USCC[:-1] + "0", "position": "经理", "licence": png()}
    )
    assert response.context["form"].errors["uscc"]
    assert response.context["not_registered"] is False


def test_a_refused_claim_asks_for_the_licence_again(person_client, enterprise):
    # The licence was fine but the page comes back without it: the browser forgets the file.
    response = person_client.post(
        "/enterprises/claim/", {"uscc": USCC[:-1] + "0", "position": "经理", "licence": png()}
    )
    assert "licence" not in response.context["form"].errors
    with translation.override("zh-hans"):
        hint = gettext(
            "For your safety the browser forgets a chosen file: choose the licence image again."
        )
    assert hint in response.content.decode()


def test_office_registered_exception_code_can_be_claimed(campaign, person):
    odd = _enterprise(campaign.region, uscc=USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))
    claim = _claim(odd, person)
    assert claim.enterprise == odd


def test_a_renamed_text_file_is_not_a_licence(person_client, enterprise):
    response = person_client.post(
        "/enterprises/claim/",
        {"uscc": enterprise.uscc, "position": "经理", "licence": text_as_jpeg()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["licence"]
    assert not Claim.objects.exists()


def test_a_licence_over_five_megabytes_is_refused(enterprise, person):
    big = png()
    big.size = services.LICENCE_MAX_MB * 1024 * 1024 + 1
    with pytest.raises(Exception) as error:
        services.claim_submit(
            user=person, mobile=MOBILE, uscc=enterprise.uscc, position="经理", licence=big
        )
    assert "licence" in error.value.message_dict


def test_one_pending_claim_per_person_and_enterprise_and_members_cannot_claim(
    enterprise, person, office_user
):
    claim = _claim(enterprise, person)
    with pytest.raises(Exception, match="already waiting"):
        _claim(enterprise, person)
    services.claim_approve(claim=claim, acting_user=office_user)
    with pytest.raises(Exception, match="already act for"):
        _claim(enterprise, person)


def test_several_people_may_act_for_one_enterprise(enterprise, person, office_user):
    second = UserFactory(username="second")
    for user in (person, second):
        services.claim_approve(claim=_claim(enterprise, user), acting_user=office_user)
    assert enterprise.members.count() == 2


# --- the office's decision -------------------------------------------------------------------


def test_approve_makes_a_member_and_is_audited(enterprise, person, office_user):
    claim = services.claim_approve(claim=_claim(enterprise, person), acting_user=office_user)
    assert claim.status == Claim.Status.APPROVED and claim.decided_by == office_user
    assert EnterpriseMember.objects.filter(enterprise=enterprise, user=person).exists()
    assert AuditEvent.objects.filter(
        event_type="enterprise.claim_approved", actor=office_user
    ).exists()
    with pytest.raises(Exception, match="already decided"):
        services.claim_decline(claim=claim, acting_user=office_user, reason="late")


def test_decline_needs_a_reason(enterprise, person, office_user, office_client):
    claim = _claim(enterprise, person)
    with pytest.raises(Exception) as error:
        services.claim_decline(claim=claim, acting_user=office_user, reason="  ")
    assert "reason" in error.value.message_dict
    response = office_client.post(f"/office/enterprises/claims/{claim.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING

    response = office_client.post(
        f"/office/enterprises/claims/{claim.pk}/decline/", {"reason": "营业执照照片看不清"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DECLINED and claim.reason == "营业执照照片看不清"
    assert not EnterpriseMember.objects.exists()
    assert "营业执照照片看不清" in _verified(person).get("/enterprises/mine/").content.decode()


def test_another_regions_office_cannot_see_or_decide(enterprise, person, other_office_client):
    claim = _claim(enterprise, person)
    base = f"/office/enterprises/claims/{claim.pk}"
    assert (
        enterprise.name
        not in other_office_client.get("/office/enterprises/claims/").content.decode()
    )
    for url in (f"{base}/", f"{base}/licence/"):
        assert other_office_client.get(url).status_code == 404
    for url in (f"{base}/approve/", f"{base}/decline/"):
        assert other_office_client.post(url, {"reason": "x"}).status_code == 404
    other = Membership.objects.get(user__username="other-office").user
    with pytest.raises(PermissionDenied):
        services.claim_approve(claim=claim, acting_user=other)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


def test_unit_staff_and_citizens_cannot_use_the_office_pages(
    enterprise, person, staff_client, citizen_client
):
    claim = _claim(enterprise, person)
    assert staff_client.get("/office/enterprises/claims/").status_code == 404
    assert staff_client.post(f"/office/enterprises/claims/{claim.pk}/approve/").status_code == 404
    assert citizen_client.get("/office/enterprises/claims/").status_code == 403


def test_office_list_puts_waiting_claims_first_and_filters(
    campaign, person, office_user, office_client
):
    first = _claim(_enterprise(campaign.region, _uscc("91350200MA0000003"), "甲公司"), person)
    services.claim_approve(claim=first, acting_user=office_user)
    waiting = _claim(_enterprise(campaign.region, _uscc("91350200MA0000004"), "乙公司"), person)
    page = office_client.get("/office/enterprises/claims/").context["page"]
    assert [c.pk for c in page] == [waiting.pk, first.pk]
    page = office_client.get("/office/enterprises/claims/?status=approved").context["page"]
    assert [c.pk for c in page] == [first.pk]
    page = office_client.get("/office/enterprises/claims/?q=乙公司").context["page"]
    assert [c.pk for c in page] == [waiting.pk]
    assert (
        office_client.get("/office/enterprises/claims/?status=nonsense&page=x").status_code == 200
    )


def test_office_list_queries_do_not_grow_with_claims(
    campaign, person, office_client, django_assert_max_num_queries
):
    for n in range(5):
        _claim(_enterprise(campaign.region, _uscc(f"91350200MA000010{n}"), f"公司{n}"), person)
    with django_assert_max_num_queries(12):
        office_client.get("/office/enterprises/claims/")


# --- who may see a licence -------------------------------------------------------------------


def test_a_person_sees_their_own_licence_but_not_anothers(enterprise, person, person_client):
    mine = _claim(enterprise, person)
    stranger = UserFactory(username="stranger")
    theirs = _claim(_enterprise(enterprise.region, _uscc("91350200MA0000005"), "丙公司"), stranger)
    assert person_client.get(f"/enterprises/claims/{mine.pk}/licence/").status_code == 200
    assert person_client.get(f"/enterprises/claims/{theirs.pk}/licence/").status_code == 404
    assert "丙公司" not in person_client.get("/enterprises/mine/").content.decode()
    anonymous = Client().get(f"/enterprises/claims/{mine.pk}/licence/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


# --- the API ---------------------------------------------------------------------------------


def test_api_claim_and_lists_happy_path(enterprise, person, person_client, office_client):
    response = person_client.post(
        "/api/enterprise-claims",
        {"uscc": enterprise.uscc, "position": "质量经理", "licence": png()},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["enterprise_uscc"] == enterprise.uscc
    claims = person_client.get("/api/enterprise-claims").json()
    assert claims["count"] == 1 and claims["items"][0]["id"] == body["id"]
    assert person_client.get("/api/my-enterprises").json()["count"] == 0

    office = office_client.get("/api/office/enterprise-claims?status=pending").json()
    assert office["items"][0]["id"] == body["id"]
    assert office["items"][0]["mobile"] == "139****1234"
    decided = office_client.post(f"/api/office/enterprise-claims/{body['id']}/approve")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    mine = person_client.get("/api/my-enterprises").json()
    assert mine["items"][0]["uscc"] == enterprise.uscc
    again = office_client.post(f"/api/office/enterprise-claims/{body['id']}/approve")
    assert again.status_code == 409


def test_api_duplicate_claim_is_a_conflict(enterprise, person, person_client):
    _claim(enterprise, person)
    response = person_client.post(
        "/api/enterprise-claims", {"uscc": enterprise.uscc, "position": "经理", "licence": png()}
    )
    assert response.status_code == 409 and response.json()["code"] == "duplicate"


def test_api_bad_input(enterprise, person, person_client, office_client):
    response = person_client.post(
        "/api/enterprise-claims", {"uscc": UNKNOWN_USCC, "position": "", "licence": text_as_jpeg()}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"uscc", "position", "licence"}
    response = person_client.post(
        "/api/enterprise-claims", {"uscc": enterprise.uscc, "position": "经理"}
    )
    assert response.status_code == 400 and "licence" in response.json()["errors"]
    response = person_client.post(
        "/api/enterprise-claims", {"uscc": enterprise.uscc, "position": "a\x00b", "licence": png()}
    )
    assert response.status_code in (400, 422)

    claim = _claim(enterprise, person)
    response = office_client.post(
        f"/api/office/enterprise-claims/{claim.pk}/decline",
        {"reason": " "},
        content_type="application/json",
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    huge = office_client.post(f"/api/office/enterprise-claims/{2**70}/approve")
    assert huge.status_code in (404, 422)


def test_api_refuses_without_mobile_anonymous_and_other_offices(
    enterprise, person, other_office_client, staff_client
):
    client = Client()
    client.force_login(person)
    response = client.post(
        "/api/enterprise-claims", {"uscc": enterprise.uscc, "position": "经理", "licence": png()}
    )
    assert response.status_code == 400 and response.json()["code"] == "mobile_required"
    assert Client().get("/api/enterprise-claims").status_code == 401
    assert Client().post("/api/enterprise-claims", {}).status_code in (401, 403)

    claim = _claim(enterprise, person)
    assert other_office_client.get("/api/office/enterprise-claims").json()["count"] == 0
    assert (
        other_office_client.post(f"/api/office/enterprise-claims/{claim.pk}/approve").status_code
        == 404
    )
    assert staff_client.get("/api/office/enterprise-claims").status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING


# --- limits and odd addresses ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/enterprises/claim/", "/api/enterprise-claims"])
def test_claim_addresses_accept_a_five_megabyte_licence_and_no_more(path, settings):
    from django.test import RequestFactory

    from qualitymonth.core.body_limits import MB, body_ceiling

    settings.QM_REQUEST_BODY_MAX_MB = 1
    ceiling = body_ceiling(RequestFactory().post(path))
    assert ceiling == (services.LICENCE_MAX_MB + 1) * MB


def test_a_claim_number_past_any_database_id_is_not_found(office_client, person_client):
    huge = 2**70
    assert office_client.get(f"/office/enterprises/claims/{huge}/").status_code == 404
    assert person_client.get(f"/enterprises/claims/{huge}/licence/").status_code == 404


def test_mobile_page_keeps_the_number_a_code_was_sent_to(person):
    client = Client()
    client.force_login(person)
    client.post("/enterprises/mobile/", {"mobile": MOBILE})
    page = client.get("/enterprises/mobile/")
    assert page.status_code == 200 and f'value="{MOBILE}"' in page.content.decode()
    wrong = client.post("/enterprises/mobile/", {"mobile": MOBILE, "code": "000000x"})
    assert SESSION_MOBILE not in client.session and wrong.status_code == 200
    refused = client.post("/enterprises/mobile/", {"mobile": "1234"})
    assert 'value="1234"' in refused.content.decode()  # shown again, to correct
