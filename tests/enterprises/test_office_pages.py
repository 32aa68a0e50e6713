"""The office's registry pages: list with search, filters and pagination; add and change; one
enterprise's page with its timeline; who may see what."""

import pytest

from qualitymonth.complaints.models import Complaint
from qualitymonth.core.models import AuditEvent, Region
from qualitymonth.enterprises.models import Enterprise, Industry, normalise_name
from qualitymonth.enterprises.selectors import office_enterprises
from tests.enterprises.conftest import make_enterprise, make_uscc, wrong_check
from tests.queries import session_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(campaign, enterprise, industry_c13):
    """Four enterprises of the office's city and one of another city's."""
    huli = Region.objects.get(code="350206")
    siming = Region.objects.get(code="350203")
    enterprise.district, enterprise.industry, enterprise.is_sme = huli, industry_c13, True
    enterprise.save()
    make_enterprise(
        campaign.region, 2, name="厦门市鹭岛食品有限公司", district=siming, size="small"
    )
    make_enterprise(
        campaign.region,
        3,
        name="厦门软件开发有限公司",
        industry=Industry.objects.get(code="65"),
        is_specialised=True,
    )
    make_enterprise(campaign.region, 4, name="思明精密仪器有限公司", is_key_industry=True)
    elsewhere = Region.objects.create(code="999902", name="别市", level="city")
    make_enterprise(elsewhere, 5, name="别市精密机械有限公司")
    return enterprise


def names(user, **filters) -> list[str]:
    return [e.name for e in office_enterprises(user=user, filters=filters)]


def test_search_finds_all_jieba_words_in_the_name_or_a_code_prefix(office_user, registry):
    assert names(office_user, q="精密") == [
        "厦门市湖里区鹭岛精密机械有限公司",
        "思明精密仪器有限公司",
    ]
    assert names(office_user, q="鹭岛 机械") == ["厦门市湖里区鹭岛精密机械有限公司"]
    assert names(office_user, q="精密食品") == []
    assert names(office_user, q=make_uscc(3)[:17].lower()) == ["厦门软件开发有限公司"]
    # Another city's enterprise is never in this office's list.
    assert "别市精密机械有限公司" not in names(office_user, q="精密机械")


def test_filters_and_ordering(office_user, registry, industry_c13):
    huli = Region.objects.get(code="350206")
    section_c = Industry.objects.get(code="C")
    assert names(office_user, district=huli) == [registry.name]
    assert names(office_user, section=section_c) == [registry.name]
    assert names(office_user, size="small") == ["厦门市鹭岛食品有限公司"]
    assert names(office_user, flag="sme") == [registry.name]
    assert names(office_user, flag="key_industry") == ["思明精密仪器有限公司"]
    assert names(office_user, flag="specialised") == ["厦门软件开发有限公司"]
    assert names(office_user, order="uscc")[0] == registry.name


def test_the_list_page_filters_paginates_in_a_fixed_number_of_queries(
    campaign, office_client, registry, django_assert_num_queries, settings
):
    for n in range(10, 45):
        make_enterprise(campaign.region, n, name=f"批量企业{n}有限公司")
    office_client.get("/office/enterprises/")  # warm the session and the jieba dictionary
    # Seven for the page; the session is one more where it lives in the database (not Redis).
    queries = 7 + session_queries()
    with django_assert_num_queries(queries):
        first = office_client.get("/office/enterprises/", {"page": 1})
    with django_assert_num_queries(queries):
        second = office_client.get("/office/enterprises/", {"page": 2, "flag": "sme", "q": "鹭岛"})
    assert first.status_code == 200 and "批量企业10有限公司" in first.content.decode()
    assert second.status_code == 200 and registry.name in second.content.decode()
    # A bad filter value is ignored, not a 500 nor an empty list.
    odd = office_client.get("/office/enterprises/", {"district": "x" * 80, "page": "2" * 30})
    assert odd.status_code == 200


def test_unit_staff_and_citizens_may_not_use_the_registry(staff_client, citizen_client, registry):
    for client in (staff_client, citizen_client):
        assert client.get("/office/enterprises/").status_code == 403
        assert client.get("/office/enterprises/new/").status_code == 403
        assert client.get(f"/office/enterprises/{registry.pk}/").status_code in (403, 404)


def test_another_citys_office_gets_not_found(other_office_client, registry):
    assert other_office_client.get(f"/office/enterprises/{registry.pk}/").status_code == 404
    assert other_office_client.get(f"/office/enterprises/{registry.pk}/edit/").status_code == 404
    response = other_office_client.post(
        f"/office/enterprises/{registry.pk}/edit/", {"name": "改名"}
    )
    assert response.status_code == 404
    assert registry.name not in other_office_client.get("/office/enterprises/").content.decode()


def _form(**overrides) -> dict:
    data = {
        "uscc": make_uscc(30),
        "name": "厦门示范电子有限公司",
        "legal_representative": "林某",
        "registered_address": "湖里区测试路9号",
        "district": "350206",
        "industry": "39",
        "size": "medium",
        "contact_mobile": "139 0000 2222",
        "is_sme": "on",
    }
    data.update(overrides)
    return data


def test_the_office_adds_an_enterprise_and_bad_input_keeps_what_was_typed(
    campaign, office_client, enterprise
):
    bad = office_client.post(
        "/office/enterprises/new/", _form(uscc=wrong_check(make_uscc(30)), main_products="传感器")
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "校验码不正确" in page and "传感器" in page and "厦门示范电子有限公司" in page
    duplicate = office_client.post("/office/enterprises/new/", _form(uscc=enterprise.uscc))
    assert duplicate.status_code == 400 and enterprise.name in duplicate.content.decode()
    old = office_client.post("/office/enterprises/new/", _form(uscc="350200100012345"))
    assert old.status_code == 400 and "18" in old.content.decode()
    done = office_client.post("/office/enterprises/new/", _form())
    assert done.status_code == 302
    created = Enterprise.objects.get(uscc=make_uscc(30))
    assert created.region == campaign.region and created.contact_mobile == "13900002222"
    assert created.is_sme and created.industry.code == "39"
    excepted = office_client.post(
        "/office/enterprises/new/",
        _form(uscc=wrong_check(make_uscc(31)), uscc_exception_reason="早期代码，已核实"),
    )
    assert excepted.status_code == 302
    assert AuditEvent.objects.filter(event_type="enterprise.uscc_exception").count() == 1


def test_the_office_changes_flags_on_the_edit_page(office_client, enterprise):
    page = office_client.get(f"/office/enterprises/{enterprise.pk}/edit/")
    assert page.status_code == 200 and "13900001111" in page.content.decode()
    data = _form(uscc=enterprise.uscc, name=enterprise.name, is_key_industry="on")
    data.pop("is_sme")
    response = office_client.post(f"/office/enterprises/{enterprise.pk}/edit/", data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.is_key_industry and not enterprise.is_sme


def _complaint(campaign, n: int, **fields) -> Complaint:
    values = {
        "kind": Complaint.Kind.values[0],
        "region": campaign.region,
        "complainant_name": "赵投诉",
        "complainant_mobile": "13712345678",
        "facts": "质量问题",
        "tracking_number": f"TEST{n:08d}",
    }
    values.update(fields)
    return Complaint.objects.create(**values)


def test_the_enterprise_page_shows_complaints_naming_it_without_the_complainant(
    campaign, office_client, staff_client, staff_user, office_user, enterprise
):
    by_code = _complaint(campaign, 1, respondent_uscc=enterprise.uscc, respondent_name="别名")
    # Intake stores each complaint's respondent key (normalise_name is the same function).
    named = "厦门市湖里区鹭岛精密机械公司"
    by_name = _complaint(campaign, 2, respondent_name=named, respondent_key=normalise_name(named))
    other = "鹭岛精密机械配件厂"  # another business
    _complaint(campaign, 3, respondent_name=other, respondent_key=normalise_name(other))
    page = office_client.get(f"/office/enterprises/{enterprise.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert by_code.tracking_number in text and by_name.tracking_number in text
    assert "TEST00000003" not in text
    assert "赵投诉" not in text and "13712345678" not in text
    assert "13900001111" not in text and "139****1111" in text
    # Its steward sees the page too; other unit staff do not.
    assert staff_client.get(f"/office/enterprises/{enterprise.pk}/").status_code == 404
    from qualitymonth.enterprises.services.registry import enterprise_assign_steward

    enterprise_assign_steward(acting_user=office_user, enterprise=enterprise, steward=staff_user)
    steward_page = staff_client.get(f"/office/enterprises/{enterprise.pk}/")
    assert (
        steward_page.status_code == 200 and by_code.tracking_number in steward_page.content.decode()
    )
    assert staff_client.get(f"/office/enterprises/{enterprise.pk}/edit/").status_code == 404


def test_the_steward_is_assigned_on_the_page(office_client, staff_user, citizen_user, enterprise):
    response = office_client.post(
        f"/office/enterprises/{enterprise.pk}/steward/", {"steward": staff_user.pk}
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.steward == staff_user
    office_client.post(
        f"/office/enterprises/{enterprise.pk}/steward/", {"steward": citizen_user.pk}
    )
    enterprise.refresh_from_db()
    assert enterprise.steward == staff_user


def test_the_back_office_home_links_to_the_registry(office_client):
    assert "/office/enterprises/" in office_client.get("/office/").content.decode()
