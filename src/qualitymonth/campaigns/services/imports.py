"""Importing a unit's activity plan from the Excel sheet it already keeps.

All or nothing: every row is validated with the same form as the web page, every bad row is
reported with its row number, and only a sheet without errors is written, in one transaction.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from qualitymonth.campaigns.forms import ActivityForm
from qualitymonth.campaigns.models import Activity, Campaign
from qualitymonth.campaigns.services.activities import activity_create
from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Unit
from qualitymonth.core.spreadsheets import (
    ImportResult,
    RowError,
    SpreadsheetError,
    SpreadsheetWriter,
    cell_text,
    read_sheet,
)

MAX_ROWS = 500  # rows below the header, empty ones included

# (form field, Chinese header, English header, example value)
COLUMNS = [
    ("title", "标题", "Title", "计量服务中小企业行（湖里站）"),
    ("summary", "简介", "Summary", "计量专家上门为中小企业校准检测设备"),
    ("activity_type", "类型", "Type", "服务行"),
    ("kind", "形式", "Form", "线下"),
    ("domains", "领域", "Domains", "产品、工程"),
    ("focus_area", "重点方面", "Focus area", "强化质量基础设施协同服务"),
    ("starts_at", "开始时间", "Starts at", "2022-09-15 09:00"),
    ("ends_at", "结束时间", "Ends at", "2022-09-15 11:30"),
    ("district", "区", "District", "湖里区"),
    ("venue", "地点", "Venue", "湖里区某工业园区"),
    ("capacity", "名额", "Capacity", "60"),
    ("description", "详细说明", "Description", ""),
]
REQUIRED_HEADERS = {
    "title",
    "activity_type",
    "kind",
    "domains",
    "focus_area",
    "starts_at",
    "ends_at",
}
_SPLIT_RE = re.compile(r"[,，、;；/\s]+")


def import_template(campaign: Campaign) -> bytes:
    """An empty plan sheet with both headers, an example row and the allowed values."""
    book = SpreadsheetWriter()
    sheet = book.add_sheet("活动计划 Plan", widths=[30, 30, 10, 10, 16, 24, 18, 18, 10, 24, 8, 40])
    sheet.append([f"{zh} / {en}" for _f, zh, en, _x in COLUMNS], bold=True)
    example_day = campaign.starts_on + dt.timedelta(
        days=min(14, (campaign.ends_on - campaign.starts_on).days)
    )
    examples = {
        "starts_at": f"{example_day:%Y-%m-%d} 09:00",
        "ends_at": f"{example_day:%Y-%m-%d} 11:30",
        "focus_area": next((f.name for f in campaign.focus_areas.all()), ""),
        "domains": "、".join(d.name for d in campaign.domains.all()[:2]),
        "district": next((r.name for r in campaign.region.children.all()), ""),
    }
    sheet.append([examples.get(name, example) for name, *_rest, example in COLUMNS])
    values = book.add_sheet("可选值 Values")
    values.append(["类型 Type", "形式 Form", "领域 Domains", "重点方面 Focus area", "区 District"])
    columns = [
        [names[0] for names in TYPE_NAMES.values()],
        [names[0] for names in KIND_NAMES.values()],
        [d.name for d in campaign.domains.all()],
        [f.name for f in campaign.focus_areas.all()],
        [r.name for r in campaign.region.children.all()],
    ]
    for i in range(max(len(c) for c in columns)):
        values.append([c[i] if i < len(c) else None for c in columns])
    return book.to_bytes()


# The words offices write in their sheets. Fixed here rather than taken from the translation
# catalogue, so that a reworded menu label never breaks a unit's existing plan files.
KIND_NAMES = {
    "offline": ["线下"],
    "online": ["线上", "网上"],
    "hybrid": ["线上线下", "线上+线下", "线上线下结合", "混合"],
}
TYPE_NAMES = {
    "training": ["培训"],
    "site_visit": ["现场观摩", "观摩"],
    "open_day": ["开放日"],
    "lecture": ["讲座", "宣讲"],
    "contest": ["竞赛", "比赛", "大赛"],
    "service_tour": ["服务行", "企业行"],
    "inspection": ["监督检查", "检查行动", "专项检查"],
    "exhibition": ["展示", "展览", "展播"],
    "consultation": ["咨询", "咨询服务"],
    "forum": ["论坛", "交流会"],
    "other": ["其他"],
}


def _choice_lookup(choices, names: dict[str, list[str]]) -> dict[str, str]:
    lookup = {}
    for code, label in choices:
        for key in [code, str(label), *names.get(code, [])]:
            lookup[key.lower()] = code
    return lookup


class _Lookups:
    def __init__(self, campaign: Campaign):
        self.domains = {}
        for d in campaign.domains.all():
            self.domains[d.name.lower()] = d.pk
            self.domains[d.code.lower()] = d.pk
        self.focus = {}
        for f in campaign.focus_areas.all():
            self.focus[f.name.lower()] = f.pk
            self.focus[f.code.lower()] = f.pk
        self.districts = {}
        for r in campaign.region.children.all():
            self.districts[r.name.lower()] = r.pk
            self.districts[r.name.lower().removesuffix("区")] = r.pk
        with translation.override("en"):
            self.kinds = _choice_lookup(Activity.Kind.choices, KIND_NAMES)
            self.types = _choice_lookup(Activity.Type.choices, TYPE_NAMES)
        self.units = {}
        for u in Unit.objects.filter(is_active=True):
            for key in (u.name, u.short_name, u.code):
                if key:
                    self.units[key.lower()] = u.pk


def _datetime_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d 00:00")
    text = cell_text(value).replace("/", "-").replace("T", " ")
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}", text):
        text = text[:-3]
    return text


def _header_key(header) -> str | None:
    text = cell_text(header).lower()
    if not text:
        return None
    parts = {p.strip() for p in re.split(r"[/|]", text)} | {text}
    for name, zh, en, _example in COLUMNS:
        if parts & {zh.lower(), en.lower(), name}:
            return name
    return None


def _row_form_data(raw: dict[str, object], lookups: _Lookups) -> tuple[dict, dict, list[str]]:
    """Turn one sheet row into the web form's data; unknown names become messages."""
    problems: list[str] = []
    data: dict = {}
    multi: dict = {}
    for name in ("title", "summary", "venue", "description"):
        data[name] = cell_text(raw.get(name))
    for name in ("starts_at", "ends_at"):
        data[name] = _datetime_text(raw.get(name))
    data["capacity"] = cell_text(raw.get("capacity"))

    def pick(name: str, table: dict, label: str, *, required: bool) -> None:
        value = cell_text(raw.get(name))
        if not value:
            if required:
                problems.append(_("%(column)s is empty.") % {"column": label})
            return
        key = table.get(value.lower())
        if key is None:
            problems.append(
                _("%(column)s: unknown value “%(value)s”.") % {"column": label, "value": value}
            )
        else:
            data[name] = key

    pick("kind", lookups.kinds, _("Form"), required=True)
    pick("activity_type", lookups.types, _("Type"), required=True)
    pick("focus_area", lookups.focus, _("Focus area"), required=True)
    pick("district", lookups.districts, _("District"), required=False)
    domain_ids = []
    for name in filter(None, _SPLIT_RE.split(cell_text(raw.get("domains")))):
        key = lookups.domains.get(name.lower())
        if key is None:
            problems.append(_("Domains: unknown value “%(value)s”.") % {"value": name})
        else:
            domain_ids.append(key)
    multi["domains"] = domain_ids
    return data, multi, problems


def activities_import(*, acting_user, campaign: Campaign, organiser: Unit, file) -> ImportResult:
    result = ImportResult()
    try:
        rows = read_sheet(file, max_rows=MAX_ROWS)
    except SpreadsheetError as error:
        result.errors.extend(RowError(row, message) for row, message in error.problems)
        return result
    header = rows[0][1] if rows else ()
    columns = {index: _header_key(cell) for index, cell in enumerate(header)}
    found = {key for key in columns.values() if key}
    missing = REQUIRED_HEADERS - found
    if missing:
        labels = [f"{zh} / {en}" for name, zh, en, _x in COLUMNS if name in missing]
        result.errors.append(
            RowError(
                1,
                _("Missing columns: %(columns)s. Download the template to see them.")
                % {"columns": "、".join(labels)},
            )
        )
        return result

    lookups = _Lookups(campaign)
    valid: list[tuple[int, dict]] = []
    seen: set[tuple] = set()
    organisers = Unit.objects.filter(pk=organiser.pk)
    for number, row in rows[1:]:
        raw = {columns[i]: value for i, value in enumerate(row) if columns.get(i)}
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        result.rows_read += 1
        data, multi, problems = _row_form_data(raw, lookups)
        form_data = {**data, "organiser": organiser.pk}
        form_data["domains"] = multi["domains"]
        form = ActivityForm(data=form_data, campaign=campaign, organisers=organisers)
        if not form.is_valid() or problems:
            for name, errors in form.errors.items():
                if (
                    name in {"kind", "activity_type", "focus_area", "district", "domains"}
                    and problems
                ):
                    continue  # already said in the unit's words
                label = form.fields[name].label if name in form.fields else ""
                for message in errors:
                    problems.append(f"{label}: {message}" if label else message)
            for message in problems:
                result.errors.append(RowError(number, message))
            continue
        data = form.service_data()
        key = (data["title"], data["starts_at"])
        if (
            key in seen
            or Activity.objects.filter(
                campaign=campaign,
                organiser=organiser,
                title=data["title"],
                starts_at=data["starts_at"],
            ).exists()
        ):
            result.errors.append(
                RowError(number, _("This activity is already planned (same title and start)."))
            )
            continue
        seen.add(key)
        valid.append((number, data))

    if result.rows_read == 0 and not result.errors:
        result.errors.append(RowError(2, _("The sheet has no activity rows.")))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for number, data in valid:
                try:
                    result.created.append(
                        activity_create(
                            acting_user=acting_user,
                            campaign=campaign,
                            organiser=organiser,
                            data=data,
                        )
                    )
                except ValidationError as error:
                    result.errors.extend(RowError(number, message) for message in error.messages)
                    raise
            audit_record(
                actor=acting_user,
                event_type="activity.import",
                target=campaign,
                organiser=organiser.code,
                count=len(result.created),
            )
    except ValidationError:
        result.created = []
    return result
