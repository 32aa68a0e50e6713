"""Enterprise lists in Excel: the template, the import and the export.

All or nothing, as the activity plan import: every row is read with the same form as the web
page, every problem is reported with its row number, and only a sheet without problems is
written, in one transaction. Rows are merged by USCC: two rows with one code in the file are one
enterprise (a later cell fills or replaces an earlier one), and a code already in the registry
updates that enterprise (an empty cell keeps what is stored), each change with its audit row.
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
from qualitymonth.enterprises.forms import EnterpriseForm
from qualitymonth.enterprises.models import Enterprise, Industry
from qualitymonth.enterprises.permissions import Action
from qualitymonth.enterprises.services.registry import (
    enterprise_create,
    enterprise_update,
    normalise_uscc,
)

MAX_ROWS = 2000  # rows below the header, empty ones included

# (form field, Chinese header, English header, example value). The example's code is made up
# and fails the check on purpose, so a template filled in around it cannot register it.
COLUMNS = [
    ("uscc", "统一社会信用代码", "USCC", "91350200MA00000000"),
    ("name", "企业名称", "Name", "厦门示例精密机械有限公司"),
    ("legal_representative", "法定代表人", "Legal representative", "张某"),
    ("registered_address", "注册地址", "Registered address", "厦门市湖里区示例路1号"),
    ("operating_address", "经营地址", "Operating address", ""),
    ("district", "所在区", "District", "湖里区"),
    ("industry", "行业", "Industry", "C34"),
    ("size", "规模", "Size", "小型"),
    ("main_products", "主要产品", "Main products", "精密齿轮"),
    ("contact_name", "联系人", "Contact", "李某"),
    ("contact_mobile", "联系电话", "Contact mobile", ""),
    ("is_key_industry", "重点行业", "Key industry", "否"),
    ("is_sme", "中小企业", "SME", "是"),
    ("is_specialised", "专精特新", "Specialised", "否"),
    ("uscc_exception_reason", "代码例外原因", "Exception reason", ""),
]
REQUIRED_HEADERS = {"uscc", "name"}
_FLAGS = {"is_key_industry", "is_sme", "is_specialised"}
_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", ""}
# Fixed words rather than the translation catalogue's, so a reworded label never breaks a sheet.
SIZE_NAMES = {
    Enterprise.Size.LARGE: ["大", "大型", "large"],
    Enterprise.Size.MEDIUM: ["中", "中型", "medium"],
    Enterprise.Size.SMALL: ["小", "小型", "small"],
    Enterprise.Size.MICRO: ["微", "微型", "micro"],
}
_SIZES = {name: size for size, names in SIZE_NAMES.items() for name in names}
_SIZE_LABEL = {size: names[1] for size, names in SIZE_NAMES.items()}


def _header_key(header) -> str | None:
    text = cell_text(header).lower()
    if not text:
        return None
    parts = {p.strip() for p in re.split(r"[/|]", text)} | {text}
    for name, zh, en, _example in COLUMNS:
        if parts & {zh.lower(), en.lower(), name}:
            return name
    return None


class _Lookups:
    """Names a sheet may use for a district (within the city) and an industry."""

    def __init__(self, region: Region):
        self.districts = {}
        for district in Region.objects.filter(parent=region, level=Region.Level.DISTRICT):
            for key in (district.name, district.name.removesuffix("区"), district.name_en):
                if key:
                    self.districts[key.lower()] = district.code
        self.industries = {}
        for industry in Industry.objects.select_related("section"):
            keys = [industry.code, industry.name, industry.name_en]
            if industry.section is not None:
                # A division is written "C13" or "13"; either is stored depending on the data.
                division = industry.code.removeprefix(industry.section.code)
                keys += [industry.section.code + division, division]
            for key in keys:
                if key:
                    self.industries.setdefault(key.lower(), industry.code)


def _row_data(raw: dict, lookups: _Lookups) -> tuple[dict, list[str]]:
    """One row as the web form's data; names the sheet used that are unknown become messages."""
    labels = {name: zh for name, zh, _en, _x in COLUMNS}
    problems, data = [], {}
    for name, value in raw.items():
        text = cell_text(value)
        if name == "district" and text:
            data[name] = lookups.districts.get(text.lower())
        elif name == "industry" and text:
            data[name] = lookups.industries.get(text.lower())
        elif name == "size" and text:
            data[name] = _SIZES.get(text.lower())
        elif name in _FLAGS:
            lowered = text.lower()
            data[name] = True if lowered in _YES else False if lowered in _NO else None
        else:
            data[name] = text
        if data[name] is None:
            problems.append(
                _("%(column)s: unknown value “%(value)s”.")
                % {"column": labels[name], "value": text}
            )
    return data, problems


@dataclass
class _Group:
    """The rows of one USCC, merged: a later non-empty cell replaces an earlier one."""

    rows: list[int]
    raw: dict


def _stored_data(enterprise: Enterprise) -> dict:
    form = EnterpriseForm(instance=enterprise, regions=[enterprise.region_id])
    data = {name: form.initial.get(name) for name in form.fields}
    data["district"] = enterprise.district.code if enterprise.district_id else ""
    data["industry"] = enterprise.industry.code if enterprise.industry_id else ""
    return {k: ("" if v is None else v) for k, v in data.items()}


def enterprises_import(*, acting_user, region: Region, file) -> ImportResult:
    result = ImportResult()
    policy.require(acting_user, Action.MANAGE, Enterprise(region=region))
    try:
        rows = read_sheet(file, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10)
    except SpreadsheetError as error:
        result.errors.extend(RowError(row, message) for row, message in error.problems)
        return result
    header = rows[0][1] if rows else ()
    columns = {index: _header_key(cell) for index, cell in enumerate(header)}
    missing = REQUIRED_HEADERS - {key for key in columns.values() if key}
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

    groups: dict[str, _Group] = {}
    for number, row in rows[1:]:
        raw = {columns[i]: value for i, value in enumerate(row) if columns.get(i)}
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        result.rows_read += 1
        code = normalise_uscc(cell_text(raw.get("uscc")))
        if not code:
            result.errors.append(
                RowError(number, _("The unified social credit code is empty: each row needs one."))
            )
            continue
        group = groups.setdefault(code, _Group(rows=[], raw={}))
        group.rows.append(number)
        group.raw.update({k: v for k, v in raw.items() if cell_text(v) != ""})

    if result.rows_read == 0 and not result.errors:
        result.errors.append(RowError(2, _("The sheet has no enterprise rows.")))
    existing = {
        e.uscc: e
        for e in Enterprise.objects.filter(uscc__in=list(groups)).select_related(
            "region", "district", "industry"
        )
    }
    lookups = _Lookups(region)
    valid: list[tuple[int, Enterprise | None, dict]] = []
    for code, group in groups.items():
        number = group.rows[0]
        merged = (
            _("(rows %(rows)s have the same code and were merged) ")
            % {"rows": ", ".join(map(str, group.rows))}
            if len(group.rows) > 1
            else ""
        )
        stored = existing.get(code)
        if stored is not None and not policy.can(acting_user, Action.MANAGE, stored):
            result.errors.append(
                RowError(
                    number,
                    merged
                    + _(
                        "An enterprise with this code is already registered in %(city)s, which "
                        "another office keeps: %(name)s."
                    )
                    % {"city": stored.region, "name": stored.name},
                )
            )
            continue
        data, problems = _row_data(group.raw, lookups)
        form_data = {**(_stored_data(stored) if stored else {}), **data, "uscc": code}
        for flag in _FLAGS:
            if not form_data.get(flag):
                form_data.pop(flag, None)  # an unchecked box is an absent one
        regions = [stored.region_id if stored else region.pk]
        form = EnterpriseForm(data=form_data, instance=stored, regions=regions)
        if not form.is_valid() or problems:
            for name, errors in form.errors.items():
                if name in {"district", "industry", "size"} and problems:
                    continue  # already said in the sheet's words
                label = form.fields[name].label if name in form.fields else ""
                problems.extend(f"{label}: {m}" if label else m for m in errors)
            result.errors.extend(RowError(number, merged + message) for message in problems)
            continue
        valid.append((number, stored, form.service_data()))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for number, stored, data in valid:
                try:
                    if stored is None:
                        result.created.append(
                            enterprise_create(acting_user=acting_user, region=region, data=data)
                        )
                    else:
                        result.updated.append(
                            enterprise_update(acting_user=acting_user, enterprise=stored, data=data)
                        )
                except ValidationError as error:
                    result.errors.extend(RowError(number, message) for message in error.messages)
                    raise
            audit_record(
                actor=acting_user,
                event_type="enterprise.import",
                target=region,
                created=len(result.created),
                updated=len(result.updated),
            )
    except ValidationError:
        result.created, result.updated = [], []
    return result


def _export_row(enterprise: Enterprise) -> list:
    values = {
        "district": enterprise.district.name if enterprise.district_id else "",
        "industry": enterprise.industry.code if enterprise.industry_id else "",
        "size": _SIZE_LABEL.get(enterprise.size, ""),
        **{flag: "是" if getattr(enterprise, flag) else "否" for flag in _FLAGS},
    }
    return [values.get(name, getattr(enterprise, name, "")) for name, *_rest in COLUMNS]


def _headers() -> list[str]:
    return [f"{zh} / {en}" for _f, zh, en, _x in COLUMNS]


_WIDTHS = [22, 30, 12, 30, 30, 10, 10, 8, 24, 10, 14, 8, 8, 8, 24]


def import_template(region: Region) -> bytes:
    """An empty sheet with both headers, an example row and the values the columns take."""
    book = SpreadsheetWriter()
    sheet = book.add_sheet("企业名录 Enterprises", widths=_WIDTHS)
    sheet.append(_headers(), bold=True)
    examples = {
        "district": next(
            (r.name for r in Region.objects.filter(parent=region).order_by("code")), ""
        ),
    }
    sheet.append([examples.get(name, example) for name, *_rest, example in COLUMNS])
    values = book.add_sheet("可选值 Values", widths=[14, 40, 10, 10, 10])
    values.append(["所在区 District", "行业 Industry", "规模 Size", "是/否 Yes/no"], bold=True)
    columns = [
        [r.name for r in Region.objects.filter(parent=region).order_by("code")],
        [f"{i.code} {i.name}" for i in Industry.objects.all()],
        [names[1] for names in SIZE_NAMES.values()],
        ["是", "否"],
    ]
    for i in range(max(len(c) for c in columns)):
        values.append([c[i] if i < len(c) else None for c in columns])
    return book.to_bytes()


# A sheet of this many rows is about 4 MB and a few seconds of work in the request; a whole
# province's registry is exported district by district.
EXPORT_MAX_ROWS = 20_000


def enterprises_export(*, acting_user, enterprises) -> bytes:
    """The office's list as a sheet the import reads back. It carries contacts' numbers, so
    who took it, and how many rows, is on the record."""
    policy.require(acting_user, Action.MANAGE)
    total = enterprises.count()
    if total > EXPORT_MAX_ROWS:
        raise ValidationError(
            _(
                "%(total)s enterprises match: at most %(max)s go into one sheet. Narrow the "
                "filter (a district, an industry) and export again."
            )
            % {"total": total, "max": EXPORT_MAX_ROWS},
            code="too_many",
        )
    book = SpreadsheetWriter()
    sheet = book.add_sheet("企业名录 Enterprises", widths=_WIDTHS)
    sheet.append(_headers(), bold=True)
    count = 0
    for enterprise in enterprises.select_related("district", "industry").iterator(chunk_size=2000):
        sheet.append(_export_row(enterprise))
        count += 1
    audit_record(actor=acting_user, event_type="enterprise.export", rows=count)
    return book.to_bytes()
