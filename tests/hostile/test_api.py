"""Every API operation that takes a body or a query, sent the hostile corpus one field at a time.

The operations come from the API's own document (/api/openapi.json), so a new operation is
fuzzed as soon as it exists (and `test_every_operation_is_set_up` says when it needs a line
below). For each field of each operation: a valid-ish payload built from the document, with that
one field replaced by each value of its sample (tests/hostile/corpus.py). What must hold:

- never a 5xx;
- a refusal (400/422) names the field;
- text the API accepted is stored exactly as sent (read back from the model).
"""

import functools
import itertools
import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualitymonth.api.urls import api
from tests.hostile.conftest import World, send
from tests.hostile.corpus import LoneSurrogate, RawNumber, as_text, sample, to_json
from tests.hostile.setup import Setup, _fresh, _latest
from tests.hostile.setups import collected_setups

pytestmark = pytest.mark.django_db


@functools.cache
def _document() -> dict:
    return api.get_openapi_schema(path_prefix="/api/")


def _png(name="cover.png"):
    from tests.showcase.test_article_office import png

    return png()


def _video():
    from tests.contest.conftest import video_upload

    return video_upload()


def _contest_setup(w: World, n: int) -> dict:
    c = w.contest
    return {
        "title": "微视频大赛",
        "theme": "质量",
        "rules": "原创作品。",
        **{
            name: getattr(c, name).isoformat()
            for name in (
                "submission_opens",
                "submission_closes",
                "review_closes",
                "judging_closes",
                "voting_opens",
                "voting_closes",
                "results_at",
            )
        },
        "categories": [{"code": "public", "name": "公益宣传类"}],
        "criteria": [{"name": "主题契合", "weight": 100}],
        "campaign": w.campaign.slug,
        "slug": f"contest-{n}",
    }


def _reset_activity(w):
    type(w.submitted).objects.filter(pk=w.submitted.pk).update(status="submitted")


def _reset_complaint(w):
    type(w.complaint).objects.filter(pk=w.complaint.pk).update(status="triaged")


def _reset_entry(w):
    type(w.entry).objects.filter(pk=w.entry.pk).update(status="submitted")


def _PIN(w, n):
    return {"tracking_number": w.complaint.tracking_number, "mobile_last4": w.complaint_mobile[-4:]}


_ARTICLE = {
    "category": "consumer",
    "summary": "能效等级数字越小越节能。",
    "body": "<p>1级最节能。</p>",
}
_STORY = {"enterprise": "示例工坊", "summary": "s", "body": "<p>b</p>", "domain": ""}

SETUPS: dict[str, Setup] = {
    "GET /api/activities": Setup(lookups=frozenset({"campaign"})),
    "POST /api/activities/{activity_id}/registrations": Setup(
        path=lambda w: {"activity_id": w.activity.pk},
        base=lambda w, n: {"name": "王五", "mobile": f"137{n:08d}"},
        stored={"name": _latest("campaigns.Registration", "name")},
    ),
    "GET /api/office/activities": Setup(who="office", lookups=frozenset({"campaign"})),
    "POST /api/office/activities/{activity_id}/steps/{step}": Setup(
        who="office",
        path=lambda w: {"activity_id": w.submitted.pk, "step": "return"},
        base=lambda w, n: {"reason": "请补充活动地点。"},
        reset=_reset_activity,
        stored={"reason": _fresh("submitted", "review_note")},
    ),
    "POST /api/office/activities/{activity_id}/checkin": Setup(
        who="staff",
        path=lambda w: {"activity_id": w.activity.pk},
        base=lambda w, n: {"code": w.registration.token},
        lookups=frozenset({"code"}),
    ),
    "POST /api/quiz/attempts/{token}/answers": Setup(
        path=lambda w: {"token": w.attempt.token},
        base=lambda w, n: {"question_id": w.attempt.items.first().question_id, "choices": [0]},
        lookups=frozenset({"question_id"}),
    ),
    "GET /api/quiz/{slug}/leaderboard": Setup(path=lambda w: {"slug": w.quiz.slug}),
    # Starting an attempt: the district (a query parameter) names a district of the city.
    "POST /api/quiz/{slug}/attempts": Setup(
        path=lambda w: {"slug": w.quiz.slug}, lookups=frozenset({"district"})
    ),
    "POST /api/complaints": Setup(
        base=lambda w, n: {
            "kind": "complaint",
            "complainant_name": "李小红",
            "complainant_mobile": "13912345678",
            "complainant_address": "厦门市思明区湖滨南路100号",
            "respondent_name": "厦门市湖里区鹭佳电器商行",
            "respondent_address": "湖里区嘉禾路88号",
            "request": "退货退款",
            "facts": "电饭煲使用两次后无法加热。",
            "amount": "399",
            "purchase_date": "2024-09-03",
            "district": "湖里区",
            "latitude": None,
            "longitude": None,
            "join": "",
        },
        stored={
            name: _latest("complaints.Complaint", name)
            for name in (
                "complainant_name",
                "complainant_address",
                "respondent_name",
                "respondent_address",
                "request",
                "facts",
                "product_or_service",
                "location",
            )
        },
        lookups=frozenset({"join"}),
        pairs={"latitude": "longitude", "longitude": "latitude"},
    ),
    "POST /api/complaints/attachments": Setup(
        base=lambda w, n: {**_PIN(w, n), "files": [_png("photo.png")]},
        lookups=frozenset({"tracking_number", "mobile_last4"}),
    ),
    "POST /api/complaints/track": Setup(
        base=_PIN, lookups=frozenset({"tracking_number", "mobile_last4"})
    ),
    "POST /api/complaints/rate": Setup(
        base=lambda w, n: {**_PIN(w, n), "score": 5, "comment": "满意"},
        lookups=frozenset({"tracking_number", "mobile_last4"}),
    ),
    "GET /api/complaints/similar": Setup(),
    "GET /api/office/complaints": Setup(who="office"),
    "POST /api/office/complaints/{tracking_number}/steps/{step}": Setup(
        who="office",
        path=lambda w: {"tracking_number": w.complaint.tracking_number, "step": "not_accept"},
        base=lambda w, n: {"reason": "", "message": "不属于受理范围。"},
        reset=_reset_complaint,
    ),
    "POST /api/office/complaints/{tracking_number}/move": Setup(
        who="office",
        path=lambda w: {"tracking_number": w.complaint.tracking_number},
        base=lambda w, n: {
            "unit": w.other_unit.code,
            "reason": "属地管辖",
            "nature": "",
            "category": "",
        },
        reset=lambda w: (
            type(w.complaint)
            .objects.filter(pk=w.complaint.pk)
            .update(status="triaged", unit=w.unit)
        ),
        lookups=frozenset({"unit", "nature", "category"}),
    ),
    "GET /api/articles": Setup(),
    "GET /api/stories": Setup(),
    "GET /api/office/articles": Setup(who="office"),
    "POST /api/office/articles": Setup(
        who="staff",
        base=lambda w, n: {**_ARTICLE, "title": "读懂能效标识", "unit": w.unit.code},
        stored={name: _latest("showcase.Article", name) for name in ("title", "summary", "source")},
    ),
    "POST /api/office/articles/{article_id}": Setup(
        who="staff",
        path=lambda w: {"article_id": w.article.pk},
        base=lambda w, n: {**_ARTICLE, "title": "读懂能效标识", "unit": w.unit.code},
        stored={name: _fresh("article", name) for name in ("title", "summary", "source")},
    ),
    "PUT /api/office/articles/{article_id}/pick": Setup(
        who="office",
        path=lambda w: {"article_id": w.article.pk},
        base=lambda w, n: {"week_of": timezone.localdate().isoformat()},
    ),
    "GET /api/office/stories": Setup(who="office"),
    "POST /api/office/stories": Setup(
        who="staff",
        base=lambda w, n: {**_STORY, "title": f"品牌故事{n}", "unit": w.unit.code},
        stored={
            name: _latest("showcase.BrandStory", name)
            for name in ("title", "enterprise", "summary")
        },
    ),
    "POST /api/office/stories/{story_id}": Setup(
        who="staff",
        path=lambda w: {"story_id": w.story.pk},
        base=lambda w, n: {**_STORY, "title": "品牌故事", "unit": w.unit.code},
        stored={name: _fresh("story", name) for name in ("title", "enterprise", "summary")},
    ),
    "POST /api/office/stories/{story_id}/{step}": Setup(
        who="staff",
        path=lambda w: {"story_id": w.story.pk, "step": "submit"},
        reset=lambda w: type(w.story).objects.filter(pk=w.story.pk).update(status="draft"),
    ),
    "GET /api/contests/{slug}/entries": Setup(path=lambda w: {"slug": w.contest.slug}),
    "POST /api/contests/{slug}/entries": Setup(
        who="author",
        path=lambda w: {"slug": w.contest.slug},
        base=lambda w, n: {
            "title": "作品",
            "category": "public",
            "description": "短片。",
            "author_name": "作者",
            "originality_declared": True,
            "video": _video(),
            "cover": _png(),
        },
        # One entry per author and contest: the one a request made is withdrawn again.
        reset=lambda w: (
            type(w.entry).objects.filter(contest=w.contest).exclude(pk=w.entry.pk).delete()
        ),
        stored={
            name: _latest("contest.Entry", name)
            for name in ("title", "description", "author_name", "team")
        },
        lookups=frozenset({"category"}),
    ),
    "POST /api/contest-entries/{entry_id}": Setup(
        who="author",
        path=lambda w: {"entry_id": w.entry.pk},
        base=lambda w, n: {
            "title": "作品",
            "category": "public",
            "description": "短片。",
            "author_name": "作者",
        },
        reset=_reset_entry,
        stored={
            name: _fresh("entry", name) for name in ("title", "description", "author_name", "team")
        },
        lookups=frozenset({"category"}),
    ),
    "POST /api/office/contests": Setup(
        who="office",
        base=_contest_setup,
        stored={name: _latest("contest.Contest", name) for name in ("title", "theme", "rules")},
        lookups=frozenset({"campaign"}),
    ),
    "PUT /api/office/contests/{slug}": Setup(
        who="office",
        path=lambda w: {"slug": w.contest.slug},
        base=_contest_setup,
        stored={name: _fresh("contest", name) for name in ("title", "theme", "rules")},
    ),
    "POST /api/office/contest-entries/{entry_id}/moderate": Setup(
        who="office",
        path=lambda w: {"entry_id": w.entry.pk},
        base=lambda w, n: {"decision": "changes", "note": "请补充字幕。"},
        reset=_reset_entry,
        stored={"note": _fresh("entry", "moderation_note")},
    ),
    "GET /api/office/judging/assignments": Setup(who="judge"),
    "PUT /api/office/judging/assignments/{assignment_id}": Setup(
        who="judge",
        path=lambda w: {"assignment_id": w.assignment.pk},
        base=lambda w, n: {
            "scores": {str(c.pk): 10 for c in w.contest.criteria.all()},
            "comment": "很好",
        },
    ),
    "PUT /api/office/contest-entries/{entry_id}/award": Setup(
        who="office", path=lambda w: {"entry_id": w.entry.pk}, base=lambda w, n: {"level": ""}
    ),
    "GET /api/office/contests/{slug}/flagged-votes": Setup(
        who="office", path=lambda w: {"slug": w.contest.slug}
    ),
    "POST /api/office/contests/{slug}/void-votes": Setup(
        who="office",
        path=lambda w: {"slug": w.contest.slug},
        base=lambda w, n: {"vote_ids": [1], "reason": "刷票"},
        lookups=frozenset({"vote_ids"}),
    ),
}


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _placeholder(schema: dict, document: dict):
    """A plain value of the schema's type, for fields the setup does not give."""
    schema = _resolve(schema, document)
    if "default" in schema:
        return schema["default"]
    if "anyOf" in schema:
        if {"type": "null"} in schema["anyOf"]:
            return None  # an optional file or value: left out
        return _placeholder(schema["anyOf"][0], document)
    if "enum" in schema:
        return schema["enum"][0]
    kind, form = schema.get("type"), schema.get("format")
    if form == "binary":
        return _png()
    if form == "date":
        return timezone.localdate().isoformat()
    if form == "date-time":
        return timezone.now().isoformat()
    return {"integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(kind, "质量")


@dataclass
class Operation:
    key: str
    method: str
    path: str
    body: dict  # field -> schema
    body_type: str | None
    query: dict  # parameter -> schema


def operations(document: dict) -> list[Operation]:
    found = []
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            query = {
                p["name"]: p.get("schema", {})
                for p in spec.get("parameters", [])
                if p["in"] == "query"
            }
            body, body_type = {}, None
            for media_type, content in spec.get("requestBody", {}).get("content", {}).items():
                body_type = media_type
                body = _resolve(content["schema"], document).get("properties", {})
            if body or query:
                found.append(
                    Operation(f"{method.upper()} {path}", method, path, body, body_type, query)
                )
    return found


# Later capabilities keep their setups in tests/hostile/setups/<topic>.py (a module-level SETUPS).
SETUPS.update(collected_setups())

OPERATIONS = operations(_document())
_counter = itertools.count(1)


def test_every_operation_is_set_up(client):
    """The document served is the one fuzzed, and every operation in it has a setup."""
    served = operations(client.get("/api/openapi.json").json())
    assert [o.key for o in served] == [o.key for o in OPERATIONS]
    assert sorted(o.key for o in OPERATIONS) == sorted(SETUPS)


def _request(op: Operation, setup: Setup, w: World, replace: dict):
    document = _document()
    n = next(_counter)
    url = op.path.format(**{k: v for k, v in setup.path(w).items()})
    base = setup.base(w, n)
    values = {}
    for name, schema in op.body.items():
        values[name] = base[name] if name in base else _placeholder(schema, document)
    # The document may miss a field (two schemas of one name show as one): the setup's win.
    values.update({k: v for k, v in base.items() if k not in op.query})
    query = {name: base[name] for name in op.query if name in base}
    target = "query" if set(replace) <= set(op.query) else "body"
    (query if target == "query" else values).update(replace)
    client = w.clients[setup.who]
    if query:
        url += "?" + _encode_query(query)
    if op.body_type is None:
        return send(client, op.method, url)
    if op.body_type == "application/json":
        return send(client, op.method, url, data=to_json(values), content_type="application/json")
    form = {
        k: v if isinstance(v, SimpleUploadedFile | list) else as_text(v) for k, v in values.items()
    }
    form = {k: v for k, v in form.items() if v is not None and values[k] is not None}
    if op.method.upper() == "PUT":  # the test client sends PUT bodies as given: encode them
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        return send(
            client,
            op.method,
            url,
            data=encode_multipart(BOUNDARY, form),
            content_type=MULTIPART_CONTENT,
        )
    return send(client, op.method, url, data=form)


def _encode_query(query: dict) -> str:
    from urllib.parse import urlencode

    pairs = []
    for name, value in query.items():
        text = as_text(value)
        for item in text if isinstance(text, list) else [text]:
            pairs.append((name, item))
    return urlencode(pairs)


def _refused_fields(response) -> tuple:
    try:
        body = json.loads(response.content)
    except ValueError:
        return (response.status_code,)
    if isinstance(body.get("detail"), list):
        named = sorted(str(item.get("loc", [])[-1:]) for item in body["detail"])
    else:
        named = sorted(body.get("errors") or [body.get("code")])
    return (response.status_code, *named)


def names_field(response, name: str) -> bool:
    """A refusal in the API's shapes that says which field: ninja's 422 (`loc`), our 400
    (`errors`), or a NUL in the query refused before any view (a 400 naming the character)."""
    content = response.content.decode("utf-8", "replace")
    try:
        body = json.loads(content)
    except ValueError:
        return "NUL" in content
    if body.get("code") == "bad_request" and "NUL" in body.get("detail", ""):
        return True
    if isinstance(body.get("detail"), list):
        return any(name in item.get("loc", []) for item in body["detail"])
    return name in (body.get("errors") or {})


def _stored_as_sent(value) -> bool:
    return isinstance(value, str) and not isinstance(value, LoneSurrogate | RawNumber)


@pytest.mark.parametrize("op", OPERATIONS, ids=[o.key for o in OPERATIONS])
def test_hostile_values_field_by_field(op: Operation, world: World):
    setup = SETUPS[op.key]
    setup.reset(world)
    base = _request(op, setup, world, {})
    assert base.status_code < 500, base.content[:500]
    setup.reset(world)
    problems = []
    for name in [*op.query, *op.body]:
        if op.body.get(name, {}).get("format") == "binary" or "binary" in json.dumps(
            op.body.get(name, {})
        ):
            continue  # files have their own tests (tests/core/test_upload_names.py & co.)
        for item in sample(f"{op.key} {name}"):
            response = _request(op, setup, world, {name: item.value})
            status = response.status_code
            where = f"{name}={item}: {status} {response.content[:300]!r}"
            if status >= 500:
                problems.append(f"server error: {where}")
            elif status in (400, 422):
                if not (
                    names_field(response, name)
                    or names_field(response, setup.pairs.get(name, name))
                    # The base itself was refused for another field: the same refusal.
                    or _refused_fields(response) == _refused_fields(base)
                    # The only field: a message without its name cannot be mistaken.
                    or (len(op.body) + len(op.query) == 1 and b"detail" in response.content)
                ):
                    problems.append(f"refusal does not name the field: {where}")
            elif 200 <= status < 300:
                if name in setup.stored and _stored_as_sent(item.value):
                    stored = setup.stored[name](world)
                    if stored != item.value and stored != item.value.strip():
                        problems.append(f"stored as {stored[:60]!r}: {where}")
            elif status == 404 and name in setup.lookups:
                pass
            elif status != base.status_code:
                problems.append(f"unexpected status: {where}")
            setup.reset(world)
    assert not problems, "\n".join(problems)


def test_contest_entry_text_too_long_is_refused_not_cut(world: World):
    """The service cut a 10,000-character title to 80 without a word (and PostgreSQL would have
    refused it): it is refused by field, on submission and on change."""
    client = world.clients["author"]
    fields = {"category": "public", "description": "短片。", "author_name": "作者"}
    long_title = {**fields, "title": "长" * 81}
    response = send(client, "POST", f"/api/contest-entries/{world.entry.pk}", data=long_title)
    assert response.status_code == 400 and "title" in response.json()["errors"]
    response = send(
        client,
        "POST",
        f"/api/contests/{world.contest.slug}/entries",
        data={**long_title, "originality_declared": "true", "video": _video(), "cover": _png()},
    )
    assert response.status_code == 400 and "title" in response.json()["errors"]
    world.entry.refresh_from_db()
    assert world.entry.title == "作品"
    exact = {**fields, "title": "长" * 80, "team": "队" * 300}
    response = send(client, "POST", f"/api/contest-entries/{world.entry.pk}", data=exact)
    assert response.status_code == 200
    world.entry.refresh_from_db()
    assert (world.entry.title, world.entry.team) == ("长" * 80, "队" * 300)


# --- enterprise claims (h12): a person with a verified mobile, a registered enterprise and a
# claim waiting for the office, made the first time an operation asks for them.
def _claim_world(w: World) -> World:
    if hasattr(w, "claim"):
        return w
    from django.test import Client

    from qualitymonth.core.identity import SESSION_MOBILE
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise
    from qualitymonth.enterprises.services.claims import claim_submit
    from tests.factories import UserFactory

    def enterprise(body: str, name: str):
        return Enterprise.objects.create(
            region=w.campaign.region,
            uscc=body + uscc_check_character(body),
            name=name,
            legal_representative="王某",
            registered_address="某路1号",
        )

    person = UserFactory(username="claimant")
    client = Client()
    client.force_login(person)
    session = client.session
    session[SESSION_MOBILE] = "13900001234"
    session.save()
    w.clients["claimant"] = client
    w.claimed = enterprise("91350200MA0000001", "示例仪器有限公司")
    w.to_claim = enterprise("91350200MA0000002", "示例食品有限公司")
    w.claim = claim_submit(
        user=person, mobile="13900001234", uscc=w.claimed.uscc, position="经理", licence=_png()
    )
    return w


def _reset_claim(w: World) -> None:
    from qualitymonth.enterprises.models import Claim, EnterpriseMember

    _claim_world(w)  # the reset runs before the first request
    Claim.objects.filter(pk=w.claim.pk).update(
        status="pending", reason="", decided_by=None, decided_at=None
    )
    EnterpriseMember.objects.filter(enterprise=w.claimed).delete()


def _claim_path(w: World) -> dict:
    return {"claim_id": _claim_world(w).claim.pk}


SETUPS.update(
    {
        "GET /api/enterprise-claims": Setup(who="claimant", path=lambda w: _claim_world(w) and {}),
        "GET /api/my-enterprises": Setup(who="claimant", path=lambda w: _claim_world(w) and {}),
        "POST /api/enterprise-claims": Setup(
            who="claimant",
            path=lambda w: _claim_world(w) and {},
            base=lambda w, n: {"uscc": w.to_claim.uscc, "position": "质量经理", "licence": _png()},
            reset=lambda w: _claim_world(w).to_claim.claims.all().delete(),
            stored={"position": _latest("enterprises.Claim", "position")},
            lookups=frozenset({"uscc"}),
        ),
        "GET /api/office/enterprise-claims": Setup(who="office"),
        "POST /api/office/enterprise-claims/{claim_id}/decline": Setup(
            who="office",
            path=_claim_path,
            base=lambda w, n: {"reason": "营业执照照片看不清。"},
            reset=_reset_claim,
            stored={"reason": _fresh("claim", "reason")},
        ),
    }
)


# --- the office's enterprise registry (h11): codes of a division no real one uses (999998).
def _registry_code(n: int) -> str:
    from qualitymonth.core.validators import uscc_check_character

    body = f"91999998{n:09d}"
    return body + uscc_check_character(body)


def _registry_enterprise(w: World):
    from qualitymonth.enterprises.models import Enterprise

    if not hasattr(w, "registry_enterprise"):
        w.registry_enterprise = Enterprise.objects.create(
            region=w.campaign.region,
            uscc=_registry_code(0),
            name="示例登记企业有限公司",
            legal_representative="王某",
            registered_address="某路1号",
        )
    return w.registry_enterprise


def _registry_body(uscc: str) -> dict:
    return {
        "uscc": uscc,
        "name": "示例登记企业有限公司",
        "legal_representative": "王某",
        "registered_address": "某路1号",
        "size": "small",
    }


def _registry_stored(name: str):
    def read(w):
        enterprise = _registry_enterprise(w)
        enterprise.refresh_from_db()
        return getattr(enterprise, name)

    return read


SETUPS.update(
    {
        "GET /api/office/enterprises": Setup(
            who="office", lookups=frozenset({"district", "section"})
        ),
        "POST /api/office/enterprises": Setup(
            who="office",
            base=lambda w, n: _registry_body(_registry_code(n)),
            stored={"name": _latest("enterprises.Enterprise", "name")},
            lookups=frozenset({"region", "district", "industry"}),
        ),
        "PUT /api/office/enterprises/{enterprise_id}": Setup(
            who="office",
            path=lambda w: {"enterprise_id": _registry_enterprise(w).pk},
            base=lambda w, n: _registry_body(_registry_enterprise(w).uscc),
            stored={"name": _registry_stored("name")},
            lookups=frozenset({"region", "district", "industry"}),
        ),
    }
)


# --- the one-stop service (h14): an enterprise member, a metrology institute and its staff, and
# three needs (waiting, in service, delivered), made the first time an operation asks for them.
def _need_world(w: World) -> World:
    if hasattr(w, "needs"):
        return w
    from django.test import Client

    from qualitymonth.core.models import Membership, Unit
    from qualitymonth.core.validators import uscc_check_character
    from qualitymonth.enterprises.models import Enterprise, EnterpriseMember, Provider, ServiceType
    from qualitymonth.enterprises.services import needs as need_services
    from tests.factories import MembershipFactory, UnitFactory, UserFactory

    body = "91999997000000001"
    w.need_enterprise = Enterprise.objects.create(
        region=w.campaign.region,
        uscc=body + uscc_check_character(body),
        name="示例服务企业有限公司",
        legal_representative="王某",
        registered_address="某路1号",
    )
    member = UserFactory(username="need-member")
    EnterpriseMember.objects.create(enterprise=w.need_enterprise, user=member)
    w.service_type = ServiceType.objects.create(
        code="hostile-calibration",
        category="metrology",
        name="校准",
        response_workdays=7,
        completion_workdays=15,
    )
    unit = UnitFactory(region=w.campaign.region, code="hostile-nqi", kind=Unit.Kind.NQI)
    w.need_provider = Provider.objects.create(
        region=w.campaign.region, kind="institution", name="示例计量院", unit=unit
    )
    w.need_provider.service_types.add(w.service_type)
    staff = MembershipFactory(
        unit=unit, role=Membership.Role.UNIT_STAFF, user=UserFactory(username="need-provider")
    ).user
    for role, user in (("need_member", member), ("need_provider", staff)):
        w.clients[role] = Client()
        w.clients[role].force_login(user)
    office_user = _office_user(w)
    made = [
        need_services.need_file(
            enterprise=w.need_enterprise,
            service_type=w.service_type,
            description="校准",
            acting_user=member,
        )
        for _ in range(3)
    ]
    for need in made[1:]:
        need_services.need_dispatch(need=need, provider=w.need_provider, acting_user=office_user)
        need_services.need_start(need=need, acting_user=staff)
        need_services.visit_log(
            need=need, acting_user=staff, visited_on=timezone.localdate(), notes="现场"
        )
    w.needs = {"waiting": made[0], "serving": made[1], "delivered": made[2]}
    return w


def _office_user(w: World):
    from qualitymonth.core.models import Membership

    return (
        Membership.objects.filter(
            role=Membership.Role.CAMPAIGN_OFFICE, unit__region=w.campaign.region
        )
        .select_related("user")
        .first()
        .user
    )


def _reset_need(which: str, **fields):
    def reset(w: World) -> None:
        from qualitymonth.enterprises.models import Need

        need = _need_world(w).needs[which]
        Need.objects.filter(pk=need.pk).update(**fields)

    return reset


def _reset_delivered(w: World) -> None:
    from django.utils import timezone as tz

    _reset_need("delivered", status="delivered", rating=None, rating_comment="", closed_at=None)(w)
    type(w.needs["delivered"]).objects.filter(pk=w.needs["delivered"].pk).update(
        delivered_at=tz.now()
    )


def _need_path(which: str):
    return lambda w: {"number": _need_world(w).needs[which].number}


def _need_pdf():
    return SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")


SETUPS.update(
    {
        "GET /api/needs": Setup(who="need_member", path=lambda w: _need_world(w) and {}),
        "POST /api/needs": Setup(
            who="need_member",
            path=lambda w: _need_world(w) and {},
            base=lambda w, n: {
                "enterprise_id": w.need_enterprise.pk,
                "service_type": w.service_type.code,
                "description": "电子秤需要校准",
            },
            stored={"description": _latest("enterprises.Need", "description")},
            lookups=frozenset({"enterprise_id", "service_type"}),
        ),
        "POST /api/needs/{number}/rate": Setup(
            who="need_member",
            path=_need_path("delivered"),
            base=lambda w, n: {"rating": 5, "comment": "很好"},
            reset=lambda w: (_need_world(w), _reset_delivered(w)),
            stored={"comment": lambda w: _fresh_need(w, "delivered").rating_comment},
        ),
        "GET /api/office/needs": Setup(
            who="office", lookups=frozenset({"service_type", "provider", "district"})
        ),
        "POST /api/office/needs/{number}/decline": Setup(
            who="office",
            path=_need_path("waiting"),
            base=lambda w, n: {"reason": "不属于服务范围"},
            reset=lambda w: _reset_need("waiting", status="submitted", decline_reason="")(w),
            stored={"reason": lambda w: _fresh_need(w, "waiting").decline_reason},
        ),
        "POST /api/office/needs/{number}/dispatch": Setup(
            who="office",
            path=_need_path("waiting"),
            base=lambda w, n: {"provider_id": w.need_provider.pk, "reason": ""},
            reset=lambda w: _reset_need("waiting", status="submitted", provider=None)(w),
            lookups=frozenset({"provider_id"}),
            pairs={"provider_id": "provider"},
        ),
        "POST /api/office/needs/{number}/visits": Setup(
            who="need_provider",
            path=_need_path("serving"),
            base=lambda w, n: {
                "visited_on": timezone.localdate().isoformat(),
                "notes": "现场校准",
                "problems_found": 1,
                "problems_solved": 0,
            },
            reset=lambda w: _reset_need("serving", status="in_service")(w),
            stored={"notes": _latest("enterprises.Visit", "notes")},
        ),
        "POST /api/office/needs/{number}/deliverables": Setup(
            who="need_provider",
            path=_need_path("serving"),
            base=lambda w, n: {"title": "校准报告", "file": _need_pdf()},
            reset=lambda w: _reset_need("serving", status="in_service")(w),
            stored={"title": _latest("enterprises.Deliverable", "title")},
        ),
        "POST /api/office/needs/{number}/deliver": Setup(
            who="need_provider",
            path=_need_path("serving"),
            base=lambda w, n: {"fee_standard": "800", "fee_charged": "0", "relief": "waived"},
            reset=lambda w: _reset_need("serving", status="in_service")(w),
            pairs={"fee_standard": "fee_charged", "fee_charged": "fee_standard"},
        ),
    }
)


def _fresh_need(w: World, which: str):
    need = _need_world(w).needs[which]
    need.refresh_from_db()
    return need
