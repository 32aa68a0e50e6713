"""Reference data the registry files enterprises under, kept as data files in `data/`."""

import csv
from pathlib import Path

INDUSTRIES_CSV = Path(__file__).resolve().parent / "data" / "industries.csv"


def read_industries() -> list[dict[str, str]]:
    """GB/T 4754-2017 sections (letters, no section) and divisions (two digits, their letter)."""
    with INDUSTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_industries(industry_model=None) -> int:
    """Create or update every section and division; returns how many rows the file holds.

    The data migration passes its historical model; everyone else gets the current one."""
    if industry_model is None:
        from qualitymonth.enterprises.models import Industry as industry_model
    rows = read_industries()
    sections = {}
    # Sections first: each division points at its section.
    for row in sorted(rows, key=lambda r: bool(r["section"])):
        section = sections[row["section"]] if row["section"] else None
        industry, _ = industry_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row["name_en"], "section": section},
        )
        if section is None:
            sections[row["code"]] = industry
    return len(rows)


def unload_industries(industry_model) -> None:
    """The data migration's reverse: divisions before the sections they point at (PROTECT)."""
    codes = [row["code"] for row in read_industries()]
    industry_model.objects.filter(code__in=codes, section__isnull=False).delete()
    industry_model.objects.filter(code__in=codes).delete()


SERVICES_CSV = Path(__file__).resolve().parent / "data" / "services.csv"


def read_services() -> list[dict[str, str]]:
    """The one-stop service catalogue as the city first sets it up (data/services.csv)."""
    with SERVICES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_services() -> int:
    """Create the service types the catalogue lacks; returns how many were created.

    Not a migration and never an update: once a type exists the office owns it (names, limits,
    charged or free), so loading again keeps every change the office made."""
    from qualitymonth.enterprises.models import ServiceType

    created = 0
    for order, row in enumerate(read_services(), start=1):
        _service_type, added = ServiceType.objects.get_or_create(
            code=row["code"],
            defaults={
                "category": row["category"],
                "name": row["name"],
                "name_en": row["name_en"],
                "description": row["description"],
                "is_charged": row["is_charged"] == "1",
                "response_workdays": int(row["response_workdays"]),
                "completion_workdays": int(row["completion_workdays"]),
                "order": order * 10,
            },
        )
        created += added
    return created
