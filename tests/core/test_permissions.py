from qualitymonth.core.permissions import Action, policy
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)


def test_unit_staff_may_work_on_their_own_units_activities_only(
    activity, staff_user, other_staff_user
):
    assert policy.can(staff_user, Action.ACTIVITY_EDIT, activity)
    assert policy.can(staff_user, Action.ACTIVITY_MANAGE, activity)
    assert not policy.can(other_staff_user, Action.ACTIVITY_VIEW, activity)
    assert not policy.can(other_staff_user, Action.ACTIVITY_MANAGE, activity)


def test_only_the_campaign_office_reviews(activity, staff_user, manager_user, office_user):
    assert not policy.can(staff_user, Action.ACTIVITY_REVIEW, activity)
    assert not policy.can(manager_user, Action.ACTIVITY_REVIEW, activity)
    assert policy.can(office_user, Action.ACTIVITY_REVIEW, activity)


def test_cancelling_needs_a_unit_manager(activity, staff_user, manager_user):
    assert not policy.can(staff_user, Action.ACTIVITY_CANCEL, activity)
    assert policy.can(manager_user, Action.ACTIVITY_CANCEL, activity)


def test_campaign_office_is_scoped_to_its_region(activity, office_user):
    elsewhere = ActivityFactory(campaign=CampaignFactory())
    assert policy.can(office_user, Action.ACTIVITY_REVIEW, activity)
    assert not policy.can(office_user, Action.ACTIVITY_REVIEW, elsewhere)


def test_citizens_and_anonymous_users_may_do_nothing(activity, citizen_user):
    from django.contrib.auth.models import AnonymousUser

    for user in (citizen_user, AnonymousUser()):
        for action in Action:
            assert not policy.can(
                user,
                action,
                activity
                if action.value.startswith("activity.") and action != Action.ACTIVITY_CREATE
                else None,
            )


def test_superuser_may_do_everything(activity):
    root = UserFactory(username="root", is_superuser=True)
    assert all(
        policy.can(root, action, activity)
        for action in Action
        if action.value.startswith("activity.") and action != Action.ACTIVITY_CREATE
    )


def test_office_list_filter_shows_own_unit_only(activity, other_unit, staff_user):
    from qualitymonth.campaigns.models import Activity

    ActivityFactory(campaign=activity.campaign, organiser=other_unit)
    visible = Activity.objects.filter(policy.activities_filter(staff_user))
    assert list(visible) == [activity]


def test_creatable_units_follow_memberships(unit, other_unit, staff_user):
    assert list(policy.creatable_units(staff_user)) == [unit]
    inspector = MembershipFactory(unit=UnitFactory(), role="inspector").user
    assert not policy.can(inspector, Action.ACTIVITY_CREATE)
