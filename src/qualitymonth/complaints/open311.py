"""Open311 GeoReport v2: existing Open311 clients file and follow cases unchanged.

Services are the four kinds of case. Fields the standard has no name for (the business, the
request, the complainant's own address) are service attributes, posted as `attribute[code]`.
Posting needs an API key issued in the admin; reading is public and never shows personal data.
Answers are JSON or XML by the URL's suffix, errors in the standard's list-of-errors shape.
"""

import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from qualitymonth.complaints import selectors, services
from qualitymonth.complaints.models import CaseEvent, Complaint, Open311Key
from qualitymonth.core import ratelimit
from qualitymonth.core.models import Region
from qualitymonth.core.privacy import scrub_personal_text
from qualitymonth.core.validators import refuse_control_characters_in

K = Complaint.Kind
MAX_RESULTS = 1000
DEFAULT_DAYS = 90
POST_LIMIT = (60, 60)  # requests per key per minute
SERVICES = {
    K.COMPLAINT: (
        "投诉 Complaint",
        "消费者与经营者之间的消费纠纷，请求调解。A consumer dispute with a business.",
    ),
    K.REPORT: ("举报 Report", "经营者涉嫌违法的线索。Illegal conduct of a business."),
    K.ENQUIRY: ("咨询 Enquiry", "有关质量、计量、标准、消费权益的问题。A question."),
    K.SUGGESTION: ("建议 Suggestion", "对质量工作的意见建议。A suggestion."),
}
# code → (CaseInput field, datatype, description, required for these kinds)
ATTRIBUTES = [
    ("complainant_address", "string", "您的地址 Your address", {K.COMPLAINT}),
    ("respondent_name", "string", "被投诉/举报的经营者 Business", {K.COMPLAINT, K.REPORT}),
    ("respondent_address", "string", "经营者地址 Business address", {K.COMPLAINT}),
    ("respondent_uscc", "string", "统一社会信用代码 Unified social credit code", set()),
    ("request", "text", "投诉请求 What you ask for", {K.COMPLAINT}),
    ("product_or_service", "string", "商品或服务 Product or service", set()),
    # Checked by the intake like the web form's: "1,5" is refused, not read as 15.
    ("amount", "number", "金额（元，最多两位小数）Amount in yuan, at most 2 decimals", set()),
    ("purchase_date", "datetime", "购买日期 Date of purchase (YYYY-MM-DD)", set()),
    ("district", "singlevaluelist", "所在区 District", set()),
]
# Standard fields and the intake's names for them.
STANDARD_FIELDS = {
    "description": "facts",
    "phone": "complainant_mobile",
    "email": "complainant_email",
}
# A report names conduct the informant saw; its facts and answer could identify them and warn
# the business, so the public feed says only that there is one.
REPORT_DESCRIPTION = "举报内容不公开。The details of a report are not published."
# Dates a case can have: beyond them Python's datetime overflows when shifted to UTC or by the
# default window, and no client means them.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
# XML 1.0 forbids these characters even escaped; one stored in any text would make the whole
# feed unreadable to every client.
_NOT_XML_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[str]):
        super().__init__(errors)
        self.status, self.errors = status, errors


# --- rendering --------------------------------------------------------------------------------
def _xml_value(parent: ET.Element, name: str, value) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_item(child, name[:-1] if name.endswith("s") else "item", item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(child, key, inner)
    elif value is not None:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        child.text = _NOT_XML_RE.sub("", text)


def _xml_item(parent: ET.Element, tag: str, item: dict) -> None:
    element = ET.SubElement(parent, tag)
    for key, value in item.items():
        _xml_value(element, key, value)


def _render(data, fmt: str, *, root: str, item: str | None, status: int = 200):
    if fmt == "json":
        return JsonResponse(
            data, safe=False, status=status, json_dumps_params={"ensure_ascii": False}
        )
    element = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _xml_item(element, item, entry)
    else:
        for key, value in data.items():
            _xml_value(element, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _errors(fmt: str, status: int, messages: list[str]):
    return _render(
        [{"code": status, "description": message} for message in messages],
        fmt,
        root="errors",
        item="error",
        status=status,
    )


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _handled(view):
    def wrapper(request, fmt: str, *args, **kwargs):
        try:
            return view(request, fmt, *args, **kwargs)
        except Open311Error as error:
            return _errors(fmt, error.status, error.errors)

    wrapper.__name__ = view.__name__
    return wrapper


def _region() -> Region:
    region = selectors.intake_region()
    if region is None:
        raise Open311Error(404, ["No jurisdiction is set up here."])
    return region


# --- services ---------------------------------------------------------------------------------
@require_GET
@_handled
def service_list(request, fmt: str):
    data = [
        {
            "service_code": code,
            "service_name": name,
            "description": description,
            "metadata": True,
            "type": "realtime",
            "keywords": "质量,消费,投诉,举报,quality,consumer",
            "group": "市场监管 Market supervision",
        }
        for code, (name, description) in SERVICES.items()
    ]
    return _render(data, fmt, root="services", item="service")


@require_GET
@_handled
def service_definition(request, fmt: str, code: str):
    if code not in SERVICES:
        raise Open311Error(404, [f"service_code {code} not found"])
    districts = Region.objects.filter(parent=_region()).order_by("code")
    attributes = []
    for order, (name, datatype, description, required_for) in enumerate(ATTRIBUTES, start=1):
        attribute = {
            "variable": True,
            "code": name,
            "datatype": datatype,
            "required": code in required_for,
            "datatype_description": description,
            "order": order,
            "description": description,
        }
        if datatype == "singlevaluelist":
            attribute["values"] = [{"key": d.code, "name": d.name} for d in districts]
        attributes.append(attribute)
    return _render(
        {"service_code": code, "attributes": attributes},
        fmt,
        root="service_definition",
        item=None,
    )


# --- requests ---------------------------------------------------------------------------------
def _public_text(text: str) -> str:
    return _NOT_XML_RE.sub("", scrub_personal_text(text))


def _request_row(case: Complaint, notes: dict[int, str]) -> dict:
    # Never the complainant's name, phone or address fields; free text with the personal data
    # people type into it taken out; a report without its facts.
    district = case.district.name if case.district_id else ""
    if case.kind == K.REPORT:
        description, status_notes, address = REPORT_DESCRIPTION, "", district
    else:
        description = _public_text(case.facts)
        status_notes = _public_text(case.final_answer or notes.get(case.pk, ""))
        address = " ".join(p for p in (district, _public_text(case.location)) if p)
    return {
        "service_request_id": case.tracking_number,
        "status": "open" if case.is_open else "closed",
        "status_notes": status_notes,
        "service_name": SERVICES[case.kind][0],
        "service_code": case.kind,
        "description": description,
        "agency_responsible": case.unit.name if case.unit_id else "",
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.updated or case.received_at),
        "expected_datetime": _iso(case.due_on),
        "address": address,
        "address_id": "",
        "zipcode": "",
        # The map point is often the citizen's home: the district is as precise as the public
        # feed gets, and districts have no stored centre to give instead.
        "lat": None,
        "long": None,
        "media_url": "",
    }


def _rows(cases) -> list[dict]:
    cases = list(cases)
    latest = {}
    # One query for every case's latest public note: later events overwrite earlier ones.
    for complaint_id, message in (
        CaseEvent.objects.filter(complaint__in=cases, is_public=True)
        .order_by("created_at", "id")
        .values_list("complaint_id", "message")
    ):
        latest[complaint_id] = message
    return [_request_row(case, latest) for case in cases]


def _parse_when(value: str, name: str) -> dt.datetime:
    """A w3c datetime (or a date) from a query, in UTC; a 400 for one that is malformed, does not
    exist (2025-02-30, T24:00, +25:00) or lies outside the years any case can have."""
    try:
        # A "+" in a query string arrives as a space.
        parsed = parse_datetime(value.replace(" ", "+"))
        if parsed is None:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        parsed = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise Open311Error(
            400, [f"{name}: not a w3c datetime (e.g. 2025-09-01T00:00:00+08:00)"]
        ) from None
    if not EARLIEST <= parsed <= LATEST:
        raise Open311Error(400, [f"{name}: must lie between 1900 and 2100"])
    return parsed


def _cases():
    return (
        Complaint.objects.filter(region=_region())
        .select_related("unit", "district")
        .annotate(updated=Max("events__created_at"))
    )


def _list(request, fmt: str):
    qs = _cases()
    ids = [n.strip() for n in request.GET.get("service_request_id", "").split(",") if n.strip()]
    if ids:
        qs = qs.filter(tracking_number__in=ids[:MAX_RESULTS])
    else:
        start = request.GET.get("start_date", "")
        end = request.GET.get("end_date", "")
        end_at = _parse_when(end, "end_date") if end else timezone.now()
        start_at = (
            _parse_when(start, "start_date") if start else end_at - dt.timedelta(days=DEFAULT_DAYS)
        )
        if start_at > end_at:
            raise Open311Error(400, ["start_date is after end_date"])
        qs = qs.filter(received_at__gte=start_at, received_at__lte=end_at)
        codes = [c for c in request.GET.get("service_code", "").split(",") if c]
        if codes:
            unknown = [c for c in codes if c not in SERVICES]
            if unknown:
                raise Open311Error(400, [f"service_code {', '.join(unknown)} not found"])
            qs = qs.filter(kind__in=codes)
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, ["status must be open, closed or both"])
        if statuses == {"open"}:
            qs = qs.filter(status__in=Complaint.OPEN_STATUSES)
        elif statuses == {"closed"}:
            qs = qs.exclude(status__in=Complaint.OPEN_STATUSES)
    cases = qs.order_by("-received_at", "-id")[:MAX_RESULTS]
    return _render(_rows(cases), fmt, root="service_requests", item="request")


def _api_key(request) -> Open311Key:
    key = request.POST.get("api_key", "")
    found = Open311Key.objects.filter(key_hash=Open311Key.hash(key), is_active=True).first()
    if not key or found is None:
        raise Open311Error(403, ["api_key is missing, unknown or revoked"])
    return found


def _post(request, fmt: str):
    key = _api_key(request)
    if not ratelimit.allow(f"open311:{key.pk}", limit=POST_LIMIT[0], window=POST_LIMIT[1]):
        raise Open311Error(429, ["Too many requests for this api_key; wait a minute"])
    code = request.POST.get("service_code", "")
    if code not in SERVICES:
        raise Open311Error(400, [f"service_code {code or '(empty)'} not found"])
    post = request.POST
    values = {field: post.get(name, "") for name, field in STANDARD_FIELDS.items()}
    for name, *_rest in ATTRIBUTES:
        values[name] = post.get(f"attribute[{name}]", "")
    # Chinese names are family name first.
    values["complainant_name"] = f"{post.get('last_name', '')}{post.get('first_name', '')}".strip()
    values["location"] = post.get("address_string", "")
    values["latitude"], values["longitude"] = post.get("lat", ""), post.get("long", "")
    values["district"] = values["district"] or None
    try:
        refuse_control_characters_in(values, multiline={"facts", "request"})
        case = services.complaint_submit(
            data=services.CaseInput(kind=code, **values),
            region=_region(),
            channel=Complaint.Channel.OPEN311,
        )
    except ValidationError as error:
        names = {v: k for k, v in STANDARD_FIELDS.items()} | {
            "complainant_name": "first_name/last_name",
            "location": "address_string",
            "latitude": "lat",
            "longitude": "long",
        }
        messages = [
            f"{names.get(field, 'attribute[' + field + ']')}: {' '.join(texts)}"
            for field, texts in error.message_dict.items()
        ]
        raise Open311Error(400, messages) from None
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    notice = (
        f"已受理登记，将在 {case.due_on:%Y-%m-%d} 前作出处理决定。Decision due by {case.due_on:%Y-%m-%d}."
        if case.due_on
        else "已受理登记。Received."
    )
    return _render(
        [
            {
                "service_request_id": case.tracking_number,
                "service_notice": notice,
                "account_id": None,
            }
        ],
        fmt,
        root="service_requests",
        item="request",
    )


@csrf_exempt  # an API key, not a cookie, authenticates posts
@require_http_methods(["GET", "POST"])
@_handled
def requests(request, fmt: str):
    return _post(request, fmt) if request.method == "POST" else _list(request, fmt)


@require_GET
@_handled
def request_detail(request, fmt: str, request_id: str):
    case = _cases().filter(tracking_number=request_id).first()
    if case is None:
        raise Open311Error(404, [f"service_request_id {request_id} not found"])
    return _render(_rows([case]), fmt, root="service_requests", item="request")
