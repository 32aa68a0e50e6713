import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from qualitymonth.campaigns.demo.loader import DEMO_PASSWORD
from qualitymonth.complaints.demo.cases import CASES
from qualitymonth.core.validators import validate_uscc
from qualitymonth.enterprises.demo import loader
from qualitymonth.enterprises.models import Claim, Enterprise, EnterpriseMember, Industry
from qualitymonth.enterprises.reference import load_industries, unload_industries

pytestmark = pytest.mark.django_db

# GB/T 4754-2017: each section's first and last division.
SECTION_SPANS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip
DISTRICTS = {"350203", "350205", "350206", "350211", "350212", "350213"}


def test_the_migration_loads_the_20_sections_and_97_divisions_each_under_its_section():
    sections = Industry.objects.filter(section=None)
    assert sorted(s.code for s in sections) == list("ABCDEFGHIJKLMNOPQRST")
    divisions = Industry.objects.exclude(section=None).select_related("section")
    assert sorted(d.code for d in divisions) == [f"{n:02d}" for n in range(1, 98)]
    for division in divisions:
        first, last = SECTION_SPANS[division.section.code]
        assert first <= int(division.code) <= last, division
        assert division.section.section_id is None
    for industry in Industry.objects.all():
        assert industry.name and industry.name_en, industry.code
    assert Industry.objects.get(code="C").name == "制造业"
    assert Industry.objects.get(code="40").name == "仪器仪表制造业"
    assert Industry.objects.get(code="58").name == "多式联运和运输代理业"


def test_loading_the_industries_again_changes_nothing_and_restores_an_edited_name():
    Industry.objects.filter(code="39").update(name="电子")
    ids = dict(Industry.objects.values_list("code", "id"))
    assert load_industries() == 117
    assert load_industries() == 117
    assert dict(Industry.objects.values_list("code", "id")) == ids
    assert Industry.objects.get(code="39").name == "计算机、通信和其他电子设备制造业"


def test_the_migration_reverse_removes_the_industries_and_forward_brings_them_back():
    unload_industries(Industry)
    assert not Industry.objects.exists()
    load_industries()
    assert Industry.objects.count() == 117


def test_every_demo_code_is_valid_unique_and_names_its_district():
    rows = loader.read_enterprises()
    assert len(rows) == 200
    codes = [row["uscc"] for row in rows]
    assert len(set(codes)) == len(codes)
    names = [row["name"] for row in rows]
    assert len(set(names)) == len(names)
    respondents = {case.get("respondent_name") for case in CASES}
    for row in rows:
        validate_uscc(row["uscc"])
        assert row["uscc"].startswith("913502"), row
        assert row["uscc"][2:8] == row["district_code"] in DISTRICTS, row
        assert "示例" in row["name"] or row["name"] in respondents, row
        assert re.fullmatch(r"1380000\d{4}", row["contact_mobile"]), row
    assert 3 <= sum(1 for name in names if name in respondents) <= 5
    assert {row["district_code"] for row in rows} == DISTRICTS


def test_no_test_uses_a_demo_enterprise_code():
    """Tests that make enterprises use codes of their own (not 913502xxMADEM…), so loading
    the demo beside them never collides."""
    # The first 17 characters: tests also write the body and compute the check character.
    demo = {row["uscc"][:17] for row in loader.read_enterprises()}
    tests = Path(__file__).resolve().parents[1]
    for path in tests.rglob("*.py"):
        if path.name == Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8")
        found = {code[:17] for code in re.findall(r"[0-9A-Z]{17}", text)} & demo
        assert not found, (path, found)


def test_the_demo_loads_twice_into_the_office_region_without_duplicates(campaign, office_user):
    loader.load(campaign)
    loader.load(campaign)
    assert Enterprise.objects.count() == 200
    region = office_user.memberships.get().unit.region
    assert set(Enterprise.objects.values_list("region", flat=True)) == {region.pk}
    assert {e.district.code for e in Enterprise.objects.select_related("district")} == DISTRICTS
    assert not Enterprise.objects.filter(industry=None).exists()
    assert Enterprise.objects.filter(is_key_industry=True).exists()
    assert Enterprise.objects.filter(is_specialised=True).exists()
    assert set(Enterprise.objects.values_list("size", flat=True)) == set(Enterprise.Size.values)
    assert EnterpriseMember.objects.count() == 1 and Claim.objects.count() == 1


def test_a_demo_enterprise_keeps_what_the_office_changed_when_the_demo_loads_again(
    campaign, office_user
):
    loader.load(campaign)
    Enterprise.objects.filter(uscc=loader.ACCOUNT_ENTERPRISE).update(main_products="精密模具")
    loader.load(campaign)
    assert Enterprise.objects.get(uscc=loader.ACCOUNT_ENTERPRISE).main_products == "精密模具"


def test_the_enterprise_account_is_an_approved_member_of_its_demo_company(campaign, office_user):
    loader.load(campaign)
    user = get_user_model().objects.get(username="enterprise")
    assert user.check_password(DEMO_PASSWORD) and not user.is_staff
    member = EnterpriseMember.objects.select_related("enterprise").get(user=user)
    assert member.enterprise.name == "厦门示例精工机械有限公司"
    claim = Claim.objects.get(user=user)
    assert claim.status == Claim.Status.APPROVED and claim.decided_by == office_user
    assert claim.enterprise == member.enterprise and claim.licence.name
