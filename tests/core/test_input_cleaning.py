"""Control characters are refused at input, in one place for every form and every API schema,
as a field error (issue 9, §5)."""

import importlib
import json
import pkgutil
import typing

import pytest
from django import forms
from django.core.exceptions import ValidationError
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError

import qualitymonth
from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.core.forms import CleanInputMixin, Form
from qualitymonth.core.schemas import InputSchema, Line, Text, _long_text, _one_line
from qualitymonth.core.validators import refuse_control_characters
from tests.complaints.conftest import region, route  # noqa: F401 (fixtures)

REFUSED_EVERYWHERE = [
    "\x00",  # NUL: PostgreSQL refuses it
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",  # DEL
    "\x85",  # C1 (NEL)
    "\x9f",
    "\ud800",  # a lone surrogate
    "\udfff",
    "\ufffe",
    "\uffff",
]
LINE_BREAKS_AND_TABS = ["\n", "\r", "\t", "\r\n"]
KEPT = ["张三", "O'Brien", "a\u200fb", "\u202e", "😀", "\u3000全角", "=1+1", "<script>"]


@pytest.mark.parametrize("char", REFUSED_EVERYWHERE)
def test_control_characters_are_refused_in_every_field(char):
    for multiline in (True, False):
        with pytest.raises(ValidationError) as refused:
            refuse_control_characters(f"前{char}后", multiline=multiline)
        assert refused.value.code == "control_character"
        assert f"U+{ord(char):04X}" in refused.value.messages[0]


@pytest.mark.parametrize("char", LINE_BREAKS_AND_TABS)
def test_line_breaks_and_tabs_are_long_text_only(char):
    refuse_control_characters(f"第一行{char}第二行", multiline=True)
    with pytest.raises(ValidationError) as refused:
        refuse_control_characters(f"第一行{char}第二行", multiline=False)
    assert refused.value.code == "one_line"


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_passes(text):
    refuse_control_characters(text, multiline=False)


class NoteForm(Form):
    title = forms.CharField(max_length=100)
    body = forms.CharField(widget=forms.Textarea, required=False)
    tags = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")], required=False)
    looked_up = []

    def clean_title(self):
        self.looked_up.append(self.cleaned_data["title"])
        return self.cleaned_data["title"]


def test_a_form_refuses_a_control_character_before_its_clean_methods_see_it():
    NoteForm.looked_up.clear()
    form = NoteForm({"title": "标题\x00", "body": "正文"})
    assert not form.is_valid()
    assert "U+0000" in form.errors["title"][0]
    assert NoteForm.looked_up == []  # a lookup with NUL would fail on PostgreSQL
    assert form["title"].value() == "标题\x00"  # what was typed is shown again, not lost


def test_a_form_keeps_line_breaks_in_long_text_and_refuses_them_in_a_line():
    form = NoteForm({"title": "标题", "body": "第一行\r\n第二行\t缩进"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "第一行\r\n第二行\t缩进"
    form = NoteForm({"title": "第一行\n第二行", "body": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["title"][0].code == "one_line"


def test_a_one_line_field_drops_a_pasted_tab_at_its_end_as_it_always_did():
    form = NoteForm({"title": "张三\t", "body": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "张三"


def test_a_list_of_values_is_checked_too():
    form = NoteForm({"title": "t", "tags": ["a", "b\x01"]})
    assert not form.is_valid()
    assert "U+0001" in form.errors["tags"][0]


class NoteIn(InputSchema):
    title: str
    body: Text = ""
    scores: dict[str, float] = {}
    names: list[str] = []
    maybe: Text | None = None


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "a\x00"}, "title"),
        ({"title": "a\nb"}, "title"),
        ({"title": "a", "body": "\x07"}, "body"),
        ({"title": "a", "scores": {"1\t": 3}}, "scores"),
        ({"title": "a", "names": ["ok", "\ufffe"]}, "names"),
        ({"title": "a", "maybe": "\ud800"}, "maybe"),
    ],
)
def test_an_input_schema_refuses_control_characters_as_field_errors(data, field):
    with pytest.raises(SchemaError) as refused:
        NoteIn(**data)
    assert [e["loc"] for e in refused.value.errors()] == [(field,)]


def test_an_input_schema_keeps_line_breaks_in_long_text():
    note = NoteIn(title="标题", body="第一行\r\n第二行\t缩进", maybe="a\nb")
    assert note.body == "第一行\r\n第二行\t缩进" and note.maybe == "a\nb"


def _registration_url(activity):
    return f"/api/activities/{activity.pk}/registrations"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type", ["application/json", "APPLICATION/JSON", "text/plain", "application/json5"]
)
@pytest.mark.parametrize("name", ["a\\u0000b", "a\\u0007b", "a\\nb", "a\\ud800b"])
def test_api_json_with_any_content_type_gets_a_field_error(client, activity, content_type, name):
    body = f'{{"name": "{name}", "mobile": "13800138000"}}'  # escapes as JSON spells them
    response = client.post(_registration_url(activity), body, content_type=content_type)
    assert response.status_code == 422
    [error] = json.loads(response.content)["detail"]
    assert error["loc"][-1] == "name"
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_api_json_with_a_raw_nul_byte_gets_a_field_error(client, activity):
    body = b'{"name": "a\x00b", "mobile": "13800138000"}'
    response = client.post(_registration_url(activity), body, content_type="text/plain")
    assert response.status_code in (400, 422)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_api_query_parameters_are_checked(client, office_client):
    assert client.get("/api/articles?q=a%01b").status_code == 422
    assert office_client.get("/api/office/activities?q=a%0Ab").status_code == 422
    assert office_client.get("/api/office/activities?q=ab").status_code == 200


@pytest.mark.django_db
def test_a_web_form_shows_the_field_error_and_keeps_what_was_typed(client, activity):
    response = client.post(
        f"/activities/{activity.pk}/register/", {"name": "李\x1b小梅", "mobile": "13800138000"}
    )
    assert response.status_code == 400  # this page answers a form with errors with 400
    html = response.content.decode()
    assert "U+001B" in html and "13800138000" in html
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_reason_a_view_reads_without_a_form_is_checked_too(office_client, activity):
    activity.status = Activity.Status.SUBMITTED
    activity.save()
    url = f"/office/activities/{activity.pk}/steps/return/"
    response = office_client.post(url, {"reason": "请补充\x00"}, follow=True)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert "U+0000" in response.content.decode()
    office_client.post(url, {"reason": "请补充：\r\n1. 地点"})
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED


@pytest.mark.django_db
def test_open311_posts_are_checked_field_by_field(client, region, unit, route):  # noqa: F811
    from qualitymonth.complaints.models import Complaint, Open311Key
    from tests.complaints.test_open311_endpoints import KEY, form

    key = Open311Key(name="city app")
    key.set_key(KEY)
    key.save()
    route(unit.code, 0.9)
    refused = client.post(
        "/open311/v2/requests.json", form(**{"attribute[respondent_name]": "鹭佳\x0b电器"})
    )
    assert refused.status_code == 400
    assert "attribute[respondent_name]" in refused.json()[0]["description"]
    assert not Complaint.objects.exists()
    kept = client.post("/open311/v2/requests.json", form(description="第一段。\r\n第二段。"))
    assert kept.status_code == 200
    assert Complaint.objects.get().facts == "第一段。\r\n第二段。"


# --- keep it so: every form and every API input uses the shared check ------------------------


def _import_all():
    for module in pkgutil.walk_packages(qualitymonth.__path__, "qualitymonth."):
        if ".migrations" in module.name or module.name.endswith((".wsgi", ".cli")):
            continue
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_platform_uses_the_shared_check():
    _import_all()
    ours = {c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("qualitymonth.")}
    assert len(ours) > 20
    missing = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, CleanInputMixin)
    )
    assert missing == [], "base these on qualitymonth.core.forms.Form / ModelForm"


def _types_in(annotation):
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _types_in(arg)


def _unchecked(model, where: str, seen: set) -> list[str]:
    """Fields of `model` (and of the models inside it) that take text nobody checks."""
    problems = []
    for name, field in model.model_fields.items():
        checked = issubclass(model, InputSchema) or any(
            getattr(m, "func", None) in (_one_line, _long_text) for m in field.metadata
        )
        for tp in _types_in(field.annotation):
            if tp is str and not checked:
                problems.append(f"{where} {name}: base its schema on InputSchema or use Line")
            elif isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
                seen.add(tp)
                problems += _unchecked(tp, f"{where} {tp.__name__}", seen)
    return problems


def test_every_api_input_uses_the_shared_check():
    from qualitymonth.api.urls import api

    problems, inputs = [], 0
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ not in ("body", "form", "query"):
                        continue
                    inputs += 1
                    problems += _unchecked(model, f"{operation.methods} {path}", set())
    assert inputs > 20
    assert problems == []


def test_bare_parameters_declared_line_are_checked():
    class Query(BaseModel):
        q: Line = ""
        body: Text = ""

    with pytest.raises(SchemaError):
        Query(q="a\tb")
    assert Query(body="a\tb").body == "a\tb"
