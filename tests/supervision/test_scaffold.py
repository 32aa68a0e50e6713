"""The city's rules fall back to the national defaults; the fixtures build what every topic uses."""

from qualitymonth.core.permissions import policy
from qualitymonth.supervision.models import Rules
from qualitymonth.supervision.permissions import SupervisionAction


def test_rules_default_to_the_national_figures_until_the_city_sets_its_own(campaign, districts):
    rules = Rules.for_region(districts[0])
    assert (rules.canteen_sample_grams, rules.elevator_maintenance_days) == (125, 15)
    assert rules.emergency_number == "96333" and rules.pk is None
    Rules.objects.create(region=campaign.region, canteen_sample_grams=200)
    assert Rules.for_region(districts[0]).canteen_sample_grams == 200


def test_inspectors_work_for_their_unit_and_citizens_for_nothing(
    inspectors, canteen, office_user, citizen_user
):
    assert policy.can(office_user, SupervisionAction.DIRECTORY, canteen)
    assert not policy.can(inspectors[0].user, SupervisionAction.DIRECTORY, canteen)
    assert policy.can(inspectors[0].user, SupervisionAction.VIEW, canteen.region)
    assert not policy.can(citizen_user, SupervisionAction.VIEW, canteen.region)


def test_staff_of_agencies_that_do_not_supervise_have_no_part_in_supervision(
    campaign, staff_user, canteen, sv_unit
):
    # staff_user works for the city's construction bureau (tests/conftest.py), not a regulator.
    from qualitymonth.supervision.permissions import work_unit_ids

    assert not policy.can(staff_user, SupervisionAction.VIEW, canteen.region)
    assert not policy.can(staff_user, SupervisionAction.WORK, None)
    assert work_unit_ids(staff_user) == set()


def test_the_back_office_home_leads_inspectors_and_units_into_supervision(inspectors, staff_user):
    from tests.supervision.conftest import login

    home = login(inspectors[0].user).get("/office/").content.decode()
    assert 'data-testid="supervision-panel"' in home and "/inspect/" in home
    # Staff of an agency that does not supervise see no such panel.
    assert (
        'data-testid="supervision-panel"' not in login(staff_user).get("/office/").content.decode()
    )


def test_an_enterprise_user_finds_its_rectification_orders_and_spot_checks(enterprise_user):
    from tests.supervision.conftest import login

    page = login(enterprise_user).get("/enterprises/mine/").content.decode()
    assert "/inspect/hazards/mine/" in page and "/supervision/spot-checks/mine/" in page
