"""The directory of subjects in Excel: the template, the import and the export.

One sheet with a kind column (enterprise, canteen, elevator). All or nothing, as the enterprise
import: every row goes through the same service as the web page, every problem is reported with
its row number, and only a sheet without problems is kept (one transaction). Rows are merged by
their code (a canteen's licence number, an elevator's registration code, an enterprise's USCC):
two rows with one code are one subject, and a code already in the directory updates that subject
(an empty cell keeps what is stored) instead of adding it twice.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Region
from qualitymonth.core.permissions import policy
from qualitymonth.core.spreadsheets import (
    ImportResult,
    RowError,
    SpreadsheetError,
    SpreadsheetWriter,
    cell_text,
    read_sheet,
)
from qualitymonth.core.validators import field_error
from qualitymonth.supervision.models import Canteen, Elevator, RiskGrade, Subject, SubjectKind
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import directories as services

MAX_ROWS = 5000
EXPORT_MAX_ROWS = 20_000

# (field, Chinese header, English header, example). The examples' codes fail the checks on
# purpose, so a template filled in around them cannot register them.
COLUMNS = [
    ("kind", "类型", "Kind", "学校食堂"),
    ("name", "名称", "Name", ""),
    ("district", "所在区", "District", "思明区"),
    ("address", "地址", "Address", "（示例）某路1号"),
    ("risk_grade", "风险等级", "Risk grade", "B"),
    ("enterprise", "统一社会信用代码", "USCC", ""),
    ("supervising_unit", "日常监管单位代码", "Supervising unit code", ""),
    ("school", "学校", "School", "（示例）鹭岛实验幼儿园"),
    ("school_kind", "学校类型", "Kind of school", "幼儿园"),
    ("canteen", "食堂", "Canteen", "食堂"),
    ("licence_number", "食品经营许可证编号", "Food business licence", "JY示例"),
    ("registration_code", "电梯注册代码", "Registration code", ""),
    ("building", "所在建筑", "Building", ""),
    ("user_unit", "使用单位", "User unit", ""),
    ("maintenance_company", "维保单位", "Maintenance company", ""),
    ("last_maintained_on", "最近维保日期", "Last maintained on", ""),
    ("certificate_number", "定期检验证书编号", "Inspection certificate", ""),
    ("certificate_expires_on", "检验有效期至", "Certificate expires on", ""),
]
LABELS = {name: zh for name, zh, _en, _x in COLUMNS}
# Fixed words rather than the translation catalogue's, so a reworded label never breaks a sheet.
KIND_NAMES = {
    SubjectKind.ENTERPRISE: ["企业", "enterprise"],
    SubjectKind.CANTEEN: ["学校食堂", "食堂", "canteen"],
    SubjectKind.ELEVATOR: ["电梯", "elevator"],
}
SCHOOL_KIND_NAMES = {
    Canteen.SchoolKind.KINDERGARTEN: ["幼儿园", "kindergarten"],
    Canteen.SchoolKind.PRIMARY: ["小学", "primary"],
    Canteen.SchoolKind.SECONDARY: ["中学", "初中", "高中", "secondary"],
    Canteen.SchoolKind.UNIVERSITY: ["高校", "大学", "university"],
}
_KINDS = {n.lower(): k for k, names in KIND_NAMES.items() for n in names}
_SCHOOL_KINDS = {n.lower(): k for k, names in SCHOOL_KIND_NAMES.items() for n in names}
_KEY_FIELD = {
    SubjectKind.ENTERPRISE: "enterprise",
    SubjectKind.CANTEEN: "licence_number",
    SubjectKind.ELEVATOR: "registration_code",
}
_DATES = {"last_maintained_on", "certificate_expires_on"}
_REFS = {"district", "enterprise", "supervising_unit"}


def _header_key(header) -> str | None:
    text = cell_text(header).lower()
    if not text:
        return None
    parts = {p.strip() for p in re.split(r"[/|]", text)} | {text}
    for name, zh, en, _example in COLUMNS:
        if parts & {zh.lower(), en.lower(), name}:
            return name
    return None


@dataclass
class _Group:
    kind: str
    rows: list[int]
    raw: dict


def _value(name: str, value):
    if name in _DATES and hasattr(value, "year"):
        return value  # a date cell stays a date
    return cell_text(value)


def _subject_data(kind: str, raw: dict, city: Region) -> dict:
    """The row as the service's `data` (codes looked up); unknown words are field errors."""
    data = {}
    errors: dict[str, list] = {}
    for name, value in raw.items():
        if name in ("kind",) or name not in LABELS:
            continue
        if name == "school_kind":
            found = _SCHOOL_KINDS.get(str(value).lower())
            if found is None:
                errors["school_kind"] = [
                    ValidationError(_("Unknown kind of school “%(v)s”.") % {"v": value})
                ]
            data[name] = found
        elif name == "risk_grade":
            data[name] = str(value).upper()
        else:
            data[name] = value
    refs = {k: data.pop(k) for k in _REFS if k in data}
    try:
        data.update(services.resolve_refs(city, refs))
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    return data


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for field, errors in error.error_dict.items():
        label = LABELS.get(field, "")
        for item in errors:
            for message in item.messages:
                found.append(f"{label}: {message}" if label else message)
    return found


class _Rollback(Exception):
    pass


def subjects_import(*, acting_user, region: Region, file) -> ImportResult:
    """Reads the sheet and creates or updates the subjects of the city, all or nothing."""
    result = ImportResult()
    policy.require(acting_user, SupervisionAction.DIRECTORY, region)
    try:
        rows = read_sheet(file, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10)
    except SpreadsheetError as error:
        result.errors.extend(RowError(row, message) for row, message in error.problems)
        return result
    header = rows[0][1] if rows else ()
    columns = {index: _header_key(cell) for index, cell in enumerate(header)}
    if "kind" not in columns.values():
        result.errors.append(
            RowError(
                1,
                _("Missing columns: %(columns)s. Download the template to see them.")
                % {"columns": "类型 / Kind"},
            )
        )
        return result

    groups: dict[tuple[str, str], _Group] = {}
    for number, row in rows[1:]:
        raw = {
            columns[i]: _value(columns[i], value) for i, value in enumerate(row) if columns.get(i)
        }
        if all(v == "" or v is None for v in raw.values()):
            continue
        result.rows_read += 1
        kind = _KINDS.get(str(raw.get("kind") or "").lower())
        if kind is None:
            result.errors.append(
                RowError(
                    number,
                    _("%(column)s: unknown kind “%(v)s”; write 企业, 学校食堂 or 电梯.")
                    % {"column": LABELS["kind"], "v": raw.get("kind") or ""},
                )
            )
            continue
        key_field = _KEY_FIELD[kind]
        code = str(raw.get(key_field) or "").strip().upper()
        if not code:
            result.errors.append(
                RowError(
                    number,
                    _("%(column)s is empty: each row of this kind needs one.")
                    % {"column": LABELS[key_field]},
                )
            )
            continue
        raw[key_field] = code
        group = groups.setdefault((kind, code), _Group(kind=kind, rows=[], raw={}))
        group.rows.append(number)
        group.raw.update({k: v for k, v in raw.items() if v not in ("", None)})
    if result.rows_read == 0 and not result.errors:
        result.errors.append(RowError(2, _("The sheet has no rows of subjects.")))
        return result

    try:
        with transaction.atomic():
            # Every row is checked, even after a problem, so the sheet is corrected in one go.
            for (kind, code), group in groups.items():
                _import_group(acting_user, region, kind, code, group, result)
            result.errors.sort(key=lambda e: e.row)
            if result.errors:
                raise _Rollback
            audit_record(
                actor=acting_user,
                event_type="supervision.directory.subjects_imported",
                target=region,
                created=len(result.created),
                updated=len(result.updated),
            )
    except _Rollback:
        result.created, result.updated = [], []
    return result


def _existing(region: Region, kind: str, code: str) -> Subject | None:
    qs = Subject.objects.filter(region=region, kind=kind)
    if kind == SubjectKind.CANTEEN:
        return qs.filter(canteen__licence_number=code).first()
    if kind == SubjectKind.ELEVATOR:
        return qs.filter(elevator__registration_code=code).first()
    return qs.filter(enterprise__uscc=code).first()


def _import_group(acting_user, region, kind, code, group: _Group, result: ImportResult) -> None:
    number = group.rows[0]
    merged = (
        _("(rows %(rows)s have the same code and were merged) ")
        % {"rows": ", ".join(map(str, group.rows))}
        if len(group.rows) > 1
        else ""
    )
    try:
        with transaction.atomic():
            data = _subject_data(kind, group.raw, region)
            stored = _existing(region, kind, code)
            if stored is None:
                if (
                    kind == SubjectKind.ELEVATOR
                    and Elevator.objects.filter(registration_code=code).exists()
                ):
                    raise field_error(
                        "registration_code",
                        _("An elevator with this code is registered in another city."),
                    )
                result.created.append(
                    services.subject_create(
                        region=region, kind=kind, data=data, acting_user=acting_user
                    )
                )
            else:
                result.updated.append(
                    services.subject_update(subject=stored, data=data, acting_user=acting_user)
                )
    except ValidationError as error:
        result.errors.extend(RowError(number, merged + m) for m in _messages(error))


# --- the template and the export -----------------------------------------------------------------
_WIDTHS = [10, 28, 10, 28, 8, 22, 14, 26, 10, 10, 20, 24, 24, 24, 24, 14, 20, 14]


def _headers() -> list[str]:
    return [f"{zh} / {en}" for _f, zh, en, _x in COLUMNS]


def import_template(region: Region) -> bytes:
    """An empty sheet with both headers, an example row and the words the columns take."""
    book = SpreadsheetWriter()
    sheet = book.add_sheet("检查对象 Subjects", widths=_WIDTHS)
    sheet.append(_headers(), bold=True)
    sheet.append([example for *_rest, example in COLUMNS])
    values = book.add_sheet("可选值 Values", widths=[14, 14, 14, 10])
    values.append(["类型 Kind", "学校类型 School", "所在区 District", "风险 Risk"], bold=True)
    columns = [
        [names[0] for names in KIND_NAMES.values()],
        [names[0] for names in SCHOOL_KIND_NAMES.values()],
        [r.name for r in Region.objects.filter(parent=region).order_by("code")],
        list(RiskGrade.values),
    ]
    for i in range(max(len(c) for c in columns)):
        values.append([c[i] if i < len(c) else None for c in columns])
    return book.to_bytes()


def _export_row(subject: Subject) -> list:
    canteen = getattr(subject, "canteen", None) if subject.kind == SubjectKind.CANTEEN else None
    elevator = getattr(subject, "elevator", None) if subject.kind == SubjectKind.ELEVATOR else None
    school_kind = SCHOOL_KIND_NAMES.get(canteen.school_kind, [""])[0] if canteen else ""
    values = {
        "kind": KIND_NAMES[subject.kind][0],
        "name": subject.name,
        "district": subject.district.name if subject.district_id else "",
        "address": subject.address,
        "risk_grade": subject.risk_grade,
        "enterprise": subject.enterprise.uscc if subject.enterprise_id else "",
        "supervising_unit": subject.supervising_unit.code if subject.supervising_unit_id else "",
        "school_kind": school_kind,
    }
    for name in services.CANTEEN_FIELDS:
        values.setdefault(name, getattr(canteen, name, "") if canteen else "")
    for name in services.ELEVATOR_FIELDS:
        values.setdefault(name, getattr(elevator, name, "") if elevator else "")
    return [values.get(name, "") for name, *_rest in COLUMNS]


def subjects_export(*, acting_user, region: Region, subjects) -> bytes:
    """The list as a sheet the import reads back; who took it, and how many rows, is on the
    record."""
    policy.require(acting_user, SupervisionAction.VIEW, region)
    total = subjects.count()
    if total > EXPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "%(total)s subjects match: at most %(max)s go into one sheet. Narrow the filter "
                "(a kind, a district) and export again."
            )
            % {"total": total, "max": EXPORT_MAX_ROWS},
            code="too_many",
        )
    book = SpreadsheetWriter()
    sheet = book.add_sheet("检查对象 Subjects", widths=_WIDTHS)
    sheet.append(_headers(), bold=True)
    count = 0
    for subject in subjects.iterator(chunk_size=2000):
        sheet.append(_export_row(subject))
        count += 1
    audit_record(
        actor=acting_user,
        event_type="supervision.directory.subjects_exported",
        target=region,
        rows=count,
    )
    return book.to_bytes()
