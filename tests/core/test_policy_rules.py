"""The policy is a mechanism; each app registers the rules for its own actions."""

import re
from pathlib import Path

import pytest

import qualitymonth
from qualitymonth.core.permissions import Policy, policy

pytestmark = pytest.mark.django_db

APPS_ABOVE_CORE = ("campaigns", "quiz", "complaints", "showcase", "contest", "api")


def test_core_imports_no_app_above_it():
    core = Path(qualitymonth.__file__).parent / "core"
    pattern = re.compile(rf"(from|import)\s+qualitymonth\.({'|'.join(APPS_ABOVE_CORE)})\b")
    offenders = [
        str(path.relative_to(core))
        for path in core.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_every_app_registered_its_actions():
    assert {"campaign.", "activity.", "complaint.", "hotspot.", "contest.", "workdays."} <= set(
        policy._rules
    )


def test_an_action_nobody_registered_is_an_error_not_a_no(office_user):
    with pytest.raises(ValueError, match="No rule"):
        policy.can(office_user, "nobody.registered.this")


def test_a_new_app_adds_its_rule_without_touching_core(office_user, staff_user):
    own = Policy()
    own.register("enterprise.", lambda p, user, action, obj: user.username == "office")
    assert own.can(office_user, "enterprise.claim")
    assert not own.can(staff_user, "enterprise.claim")


def test_a_prefix_has_one_rule():
    own = Policy()
    own.register("x.", lambda *a: True)
    own.register("x.", own._rules["x."])  # the same rule again (a second ready()) is fine
    with pytest.raises(ValueError, match="already"):
        own.register("x.", lambda *a: False)


def test_the_longest_prefix_decides(office_user):
    own = Policy()
    own.register("x.", lambda *a: False)
    own.register("x.special.", lambda *a: True)
    assert own.can(office_user, "x.special.thing")
    assert not own.can(office_user, "x.other")


def test_anonymous_and_inactive_users_may_do_nothing(office_user):
    from django.contrib.auth.models import AnonymousUser

    own = Policy()
    own.register("x.", lambda *a: True)
    assert not own.can(AnonymousUser(), "x.any")
    office_user.is_active = False
    assert not own.can(office_user, "x.any")
