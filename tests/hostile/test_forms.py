"""The main web forms, sent the hostile corpus one field at a time.

Every field of the form on the page is posted each value of its sample, the other fields left as
a valid-ish base. Never a 5xx; a control character (or a NUL) is always refused as that field's
error, with the form shown again. A step form shown on a detail page and posted to another
address (`StepForm` in setup.py) is found under its own context key on both pages, and
its object is reset before every post, so each value meets the state the page showed.
"""

import pytest
from django import forms

from tests.hostile.conftest import World, send
from tests.hostile.corpus import as_text, sample
from tests.hostile.setup import StepForm
from tests.hostile.setups import collected

pytestmark = pytest.mark.django_db

# (who, url, base data[, fields of a form that answers with a redirect]) per form, or a StepForm
# (a form posted to another address than its page, under another context key, reset between
# posts); the fields come from the form the page renders.
FORMS = {
    "complaint": (
        "anonymous",
        lambda w: "/complaints/new/",
        lambda w: {
            "kind": "complaint",
            "complainant_name": "李小红",
            "complainant_mobile": "13912345678",
            "complainant_address": "厦门市思明区湖滨南路100号",
            "respondent_name": "厦门市湖里区鹭佳电器商行",
            "respondent_address": "湖里区嘉禾路88号",
            "request": "退货退款",
            "facts": "电饭煲使用两次后无法加热。",
        },
    ),
    "registration": (
        "anonymous",
        lambda w: f"/activities/{w.activity.pk}/register/",
        lambda w: {"name": "王五", "mobile": "13700000009"},
    ),
    "track": (
        "anonymous",
        lambda w: "/complaints/track/",
        lambda w: {"tracking_number": w.complaint.tracking_number, "mobile_last4": "5678"},
    ),
    "quiz-verify": (
        "anonymous",
        lambda w: f"/quiz/{w.quiz.slug}/verify/",
        lambda w: {"mobile": "13800138000"},
        ["mobile", "code"],
    ),
    "contest-verify": (
        "anonymous",
        lambda w: f"/contest/{w.contest.slug}/verify/",
        lambda w: {"mobile": "13800138000"},
        ["mobile", "code"],
    ),
    "activity-new": ("office", lambda w: "/office/activities/new/", lambda w: {"title": "活动"}),
    "question-new": ("office", lambda w: "/office/quiz/questions/new/", lambda w: {"stem": "题干"}),
    "article-new": ("office", lambda w: "/office/science/new/", lambda w: {"title": "文章"}),
}

# Later capabilities add theirs in tests/hostile/setups/<topic>.py (a module-level FORMS).
FORMS.update(collected("FORMS"))

# Values every field must refuse as its own error.
_ALWAYS_REFUSED = {"control", "nul"}


def _form_on(response, key: str = "form"):
    for context in response.context or []:
        form = context.get(key)
        if form is not None and hasattr(form, "fields"):
            return form
    return None


def _entry(value) -> StepForm:
    """A FORMS entry as a StepForm (a tuple's form is posted back to its page)."""
    if isinstance(value, StepForm):
        return value
    who, url, base, *rest = value
    return StepForm(who=who, page=url, base=base, redirecting=tuple(rest[0] if rest else ()))


@pytest.mark.parametrize("name", FORMS)
def test_hostile_values_in_web_forms(name, world: World):
    entry = _entry(FORMS[name])
    url = entry.page(world)  # may set up the objects, and the clients, the form needs
    target = entry.post(world) if entry.post else url
    client = world.clients[entry.who]
    if entry.redirecting:
        _check_redirecting_form(name, client, target, entry, world)
        return
    entry.reset(world)
    page = send(client, "GET", url)
    assert page.status_code == 200, page.status_code
    form = _form_on(page, entry.key)
    assert form is not None, f"no {entry.key} on {url}"
    problems = []
    # A file is not text, and a checkbox reads any text as "ticked": neither stores what it got.
    texts = [
        f
        for f, spec in form.fields.items()
        if not isinstance(spec, forms.FileField | forms.BooleanField)
    ]
    for field in texts:
        for item in sample(f"form {name} {field}", size=8):
            entry.reset(world)  # each value meets the object as the page showed it
            data = {**entry.base(world), field: as_text(item.value)}
            response = send(client, "POST", target, data=data)
            where = f"{field}={item}: {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"server error: {where}")
            elif item.kind in _ALWAYS_REFUSED and not set("\t\n\r") & set(str(item.value)):
                shown = _form_on(response, entry.key)
                if response.status_code in (301, 302, 303) or shown is None:
                    problems.append(f"accepted: {where}")
                elif field not in shown.errors:
                    problems.append(f"refused without its field's error: {where}")
    assert not problems, "\n".join(problems)


def _check_redirecting_form(name, client, url, entry: StepForm, world: World):
    """The verification steps answer with a redirect and a page message: a refused value is an
    error message, never a code sent or a person verified."""
    from django.contrib.messages import constants

    problems = []
    for field in entry.redirecting:
        for item in sample(f"form {name} {field}", size=8):
            entry.reset(world)
            # Only this request's messages count: those of earlier posts (whose redirects are
            # not followed) would hide a value accepted here.
            client.cookies.pop("messages", None)
            data = {**entry.base(world), field: as_text(item.value)}
            response = send(client, "POST", url, data=data)
            where = f"{field}={item}: {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"server error: {where}")
            elif item.kind in _ALWAYS_REFUSED:
                shown = list(response.wsgi_request._messages)
                if not any(m.level == constants.ERROR for m in shown):
                    problems.append(f"no error message: {where}")
    assert not problems, "\n".join(problems)


# --- enterprise accounts (h12) ----------------------------------------------------------------
def _claim_page(w: World) -> str:
    """The claim form, for the signed-in author with a verified mobile (else it redirects)."""
    from qualitymonth.core.identity import SESSION_MOBILE

    session = w.clients["author"].session
    session[SESSION_MOBILE] = "13900001234"
    session.save()
    return "/enterprises/claim/"


FORMS.update(
    {
        "enterprise-signup": (
            "anonymous",
            lambda w: "/enterprises/signup/",
            lambda w: {"username": "qiye", "name": "王五", "password1": "x", "password2": "x"},
        ),
        "enterprise-mobile": (
            "author",
            lambda w: "/enterprises/mobile/",
            lambda w: {"mobile": "13800138000"},
            ["mobile", "code"],
        ),
        "enterprise-claim": (
            "author",
            _claim_page,
            lambda w: {"uscc": "91350200MA0000001X", "position": "经理"},
        ),
    }
)


# --- the one-stop service catalogue (h15) -----------------------------------------------------
def _catalogue_page(path: str):
    def url(w: World) -> str:
        from qualitymonth.enterprises.reference import load_services

        load_services()
        return path

    return url


FORMS.update(
    {
        "catalogue-service-type": (
            "office",
            _catalogue_page("/office/needs/catalogue/types/calibration/"),
            lambda w: {
                "name": "计量器具校准",
                "is_charged": "1",
                "response_workdays": "2",
                "completion_workdays": "10",
            },
        ),
        "catalogue-provider-new": (
            "office",
            _catalogue_page("/office/needs/catalogue/providers/new/institution/"),
            lambda w: {"name": "测试计量院"},
        ),
    }
)
