"""Xiamen 2022 Quality Month demo campaign, after the report in shared/seed. The content lives in
xiamen2022.json next to this module; checks that it is well formed are in
tests/campaigns/test_demo_data.py."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "xiamen2022.json"


def read() -> dict:
    """The data file as it is: campaign, regions, lead_unit, units, focus_areas, domains,
    activities."""
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


_data = read()
CAMPAIGN: dict = _data["campaign"]
REGIONS: dict = _data["regions"]  # province, city, districts
LEAD_UNIT: str = _data["lead_unit"]
UNITS: list[dict] = _data["units"]  # the lead unit, co-organisers, NQI institutions, associations
FOCUS_AREAS: list[dict] = _data["focus_areas"]
DOMAINS: list[dict] = _data["domains"]
ACTIVITIES: list[dict] = _data["activities"]
del _data
