"""The office's writes to the registry: the USCC rules, duplicates, flags, the steward."""

import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.models import AuditEvent, Membership
from qualitymonth.core.permissions import PermissionDenied
from qualitymonth.enterprises.models import Enterprise, normalise_name
from qualitymonth.enterprises.services import registry
from tests.enterprises.conftest import make_uscc, wrong_check
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def data(n: int = 10, **overrides) -> dict:
    values = {
        "uscc": make_uscc(n),
        "name": "厦门市鹭江食品有限公司",
        "legal_representative": "陈某",
        "registered_address": "思明区测试路2号",
        "is_sme": True,
    }
    values.update(overrides)
    return values


def test_a_valid_code_registers_the_enterprise_with_an_audit_row_naming_its_fields(
    campaign, office_user
):
    code = make_uscc(10)
    spaced = f"{code[:6]} {code[6:12].lower()} {code[12:]}"
    enterprise = registry.enterprise_create(
        acting_user=office_user, region=campaign.region, data=data(uscc=spaced)
    )
    assert enterprise.uscc == code
    assert enterprise.name_key == normalise_name("厦门市鹭江食品有限公司")
    assert enterprise.is_sme and not enterprise.uscc_exception_reason
    event = AuditEvent.objects.get(event_type="enterprise.created", object_id=str(enterprise.pk))
    assert {"uscc", "name", "is_sme"} <= set(event.detail["fields"])
    assert "is_key_industry" not in event.detail["fields"]


def test_a_wrong_check_character_is_refused_with_the_validators_message(campaign, office_user):
    with pytest.raises(ValidationError) as refused:
        registry.enterprise_create(
            acting_user=office_user,
            region=campaign.region,
            data=data(uscc=wrong_check(make_uscc(10))),
        )
    assert "check character is wrong" in refused.value.message_dict["uscc"][0]
    assert not Enterprise.objects.exists()


def test_the_office_registers_a_failing_code_with_a_reason_and_it_is_audited(campaign, office_user):
    code = wrong_check(make_uscc(11))
    reason = "早期登记代码，经市场监管局登记科确认"
    enterprise = registry.enterprise_create(
        acting_user=office_user,
        region=campaign.region,
        data=data(uscc=code, uscc_exception_reason=reason),
    )
    assert enterprise.uscc == code and enterprise.uscc_exception_reason == reason
    event = AuditEvent.objects.get(event_type="enterprise.uscc_exception")
    assert event.detail == {"uscc": code, "reason": reason}
    # A reason on a code that passes the check is not kept: there is nothing to excuse.
    valid = registry.enterprise_create(
        acting_user=office_user,
        region=campaign.region,
        data=data(12, uscc_exception_reason="不需要", name="另一家公司"),
    )
    assert valid.uscc_exception_reason == ""


def test_a_reason_does_not_excuse_a_code_of_the_wrong_shape(campaign, office_user):
    with pytest.raises(ValidationError) as refused:
        registry.enterprise_create(
            acting_user=office_user,
            region=campaign.region,
            data=data(uscc="91350200MA0000000", uscc_exception_reason="早期代码"),
        )
    assert "18 characters" in refused.value.message_dict["uscc"][0]


def test_an_old_15_digit_number_is_refused_asking_for_the_18_character_code(campaign, office_user):
    with pytest.raises(ValidationError) as refused:
        registry.enterprise_create(
            acting_user=office_user,
            region=campaign.region,
            data=data(uscc="350200100012345", uscc_exception_reason="老执照"),
        )
    assert "18-character" in refused.value.message_dict["uscc"][0]
    assert refused.value.error_dict["uscc"][0].code == "old_registration_number"


def test_a_duplicate_code_is_refused_naming_the_enterprise_that_has_it(
    campaign, office_user, enterprise
):
    with pytest.raises(ValidationError) as refused:
        registry.enterprise_create(
            acting_user=office_user,
            region=campaign.region,
            data=data(uscc=enterprise.uscc.lower()),
        )
    assert enterprise.name in refused.value.message_dict["uscc"][0]
    assert refused.value.error_dict["uscc"][0].code == "duplicate"
    assert Enterprise.objects.count() == 1


def test_an_update_audits_the_changed_fields_only_and_nothing_when_nothing_changed(
    campaign, office_user, enterprise
):
    registry.enterprise_update(
        acting_user=office_user,
        enterprise=enterprise,
        data={"is_key_industry": True, "is_specialised": True, "name": enterprise.name},
    )
    enterprise.refresh_from_db()
    assert enterprise.is_key_industry and enterprise.is_specialised
    event = AuditEvent.objects.get(event_type="enterprise.updated")
    assert sorted(event.detail["fields"]) == ["is_key_industry", "is_specialised"]
    registry.enterprise_update(
        acting_user=office_user, enterprise=enterprise, data={"is_key_industry": True}
    )
    assert AuditEvent.objects.filter(event_type="enterprise.updated").count() == 1


def test_changing_the_code_to_another_enterprises_is_refused(campaign, office_user, enterprise):
    other = registry.enterprise_create(
        acting_user=office_user, region=campaign.region, data=data(20)
    )
    with pytest.raises(ValidationError) as refused:
        registry.enterprise_update(
            acting_user=office_user, enterprise=other, data={"uscc": enterprise.uscc}
        )
    assert enterprise.name in refused.value.message_dict["uscc"][0]


def test_a_district_of_another_city_is_refused(campaign, office_user, other_office_client):
    from qualitymonth.core.models import Region

    foreign = Region.objects.create(
        code="999901",
        name="别市某区",
        level="district",
        parent=other_office_client.user.memberships.get().unit.region,
    )
    with pytest.raises(ValidationError) as refused:
        registry.enterprise_create(
            acting_user=office_user, region=campaign.region, data=data(district=foreign)
        )
    assert "district" in refused.value.message_dict


def test_another_citys_office_and_unit_staff_may_not_register_or_change(
    campaign, staff_user, other_office_client, enterprise
):
    for user in (staff_user, other_office_client.user):
        with pytest.raises(PermissionDenied):
            registry.enterprise_create(acting_user=user, region=campaign.region, data=data())
        with pytest.raises(PermissionDenied):
            registry.enterprise_update(
                acting_user=user, enterprise=enterprise, data={"is_sme": True}
            )
    assert Enterprise.objects.count() == 1 and not AuditEvent.objects.exists()


def test_a_unit_staff_member_becomes_the_steward_and_a_citizen_cannot(
    campaign, office_user, staff_user, citizen_user, enterprise
):
    registry.enterprise_assign_steward(
        acting_user=office_user, enterprise=enterprise, steward=staff_user
    )
    enterprise.refresh_from_db()
    assert enterprise.steward == staff_user
    event = AuditEvent.objects.get(event_type="enterprise.steward")
    assert event.detail == {"previous": "", "steward": "staff"}
    with pytest.raises(ValidationError):
        registry.enterprise_assign_steward(
            acting_user=office_user, enterprise=enterprise, steward=citizen_user
        )
    # Staff of another city's unit are not this office's to assign.
    elsewhere = MembershipFactory(role=Membership.Role.UNIT_STAFF, user=UserFactory()).user
    with pytest.raises(ValidationError):
        registry.enterprise_assign_steward(
            acting_user=office_user, enterprise=enterprise, steward=elsewhere
        )
    with pytest.raises(PermissionDenied):
        registry.enterprise_assign_steward(
            acting_user=staff_user, enterprise=enterprise, steward=None
        )
