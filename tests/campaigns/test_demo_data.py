"""The Xiamen 2022 demo campaign (campaigns/demo/xiamen2022.json) is well formed: what the
module's old self-check asserted, plus the models' own limits. No database needed."""

import json
import re
from collections import Counter

import pytest

from qualitymonth.campaigns.demo import xiamen2022 as data
from qualitymonth.campaigns.models import Activity, Campaign, Domain, FocusArea
from qualitymonth.core.models import Unit

ACTIVITY_FIELDS = {
    "title",
    "unit",
    "co_units",
    "domains",
    "focus",
    "kind",
    "type",
    "day",
    "start",
    "district",
    "venue",
    "capacity",
    "themed",
    "summary",
    "description",
}
UNIT_FIELDS = {"code", "name", "name_en", "short_name", "kind", "co_organiser"}
UNITS = {u["code"]: u for u in data.UNITS}
DISTRICTS = {d["name"] for d in data.REGIONS["districts"]}
DOMAIN_CODES = [d["code"] for d in data.DOMAINS]
FOCUS_CODES = [f["code"] for f in data.FOCUS_AREAS]
CO_ORGANISERS = [u["code"] for u in data.UNITS if u["co_organiser"]]


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def test_the_file_is_utf8_json_with_its_sections():
    parsed = json.loads(data.DATA.read_bytes().decode("utf-8"))
    assert list(parsed) == [
        "campaign",
        "regions",
        "lead_unit",
        "units",
        "focus_areas",
        "domains",
        "activities",
    ]
    assert data.read() == parsed


def test_campaign_and_regions():
    assert set(data.CAMPAIGN) == {"year", "theme", "theme_en", "slogan", "description"}
    assert data.CAMPAIGN["year"] == 2022
    assert len(data.CAMPAIGN["theme"]) <= _max(Campaign, "theme")
    assert len(data.CAMPAIGN["theme_en"]) <= _max(Campaign, "theme_en")
    assert len(data.CAMPAIGN["slogan"]) <= _max(Campaign, "slogan")
    assert data.REGIONS["province"]["code"] == "350000"
    assert data.REGIONS["city"]["code"] == "350200"
    assert [d["code"] for d in data.REGIONS["districts"]] == [
        "350203",
        "350205",
        "350206",
        "350211",
        "350212",
        "350213",
    ]
    for region in [data.REGIONS["province"], data.REGIONS["city"], *data.REGIONS["districts"]]:
        assert set(region) == {"code", "name", "name_en"} and region["name_en"], region


def test_units():
    assert len(UNITS) == len(data.UNITS), "duplicate unit codes"
    assert len({u["name"] for u in data.UNITS}) == len(data.UNITS), "duplicate unit names"
    for u in data.UNITS:
        assert set(u) == UNIT_FIELDS, u["code"]
        assert u["kind"] in Unit.Kind.values, u["code"]
        assert re.fullmatch(r"[a-z0-9_]+", u["code"]), u["code"]
        assert len(u["name"]) <= _max(Unit, "name") and u["name_en"], u["code"]
        assert len(u["short_name"]) <= _max(Unit, "short_name"), u["code"]
    assert data.LEAD_UNIT in UNITS and not UNITS[data.LEAD_UNIT]["co_organiser"]
    assert len(CO_ORGANISERS) == 16
    assert {"police", "construction", "culture_tourism", "health"} <= set(CO_ORGANISERS)


def test_vocabularies():
    assert FOCUS_CODES == ["education", "improvement", "supervision", "infrastructure"]
    assert DOMAIN_CODES == [
        "agriculture",
        "product",
        "service",
        "transport",
        "engineering",
        "culture",
        "tourism",
        "medical",
        "finance",
    ]
    for model, rows in ((FocusArea, data.FOCUS_AREAS), (Domain, data.DOMAINS)):
        for row in rows:
            assert set(row) == {"code", "name", "name_en"} and row["name_en"], row
            assert len(row["name"]) <= _max(model, "name"), row


def test_titles_are_unique():
    dupes = [t for t, n in Counter(a["title"] for a in data.ACTIVITIES).items() if n > 1]
    assert not dupes, dupes


@pytest.mark.parametrize("n", range(len(data.ACTIVITIES)))
def test_every_activity_is_well_formed(n):
    a = data.ACTIVITIES[n]
    t = a["title"]
    assert set(a) - {"hours", "days"} == ACTIVITY_FIELDS, t
    # Every unit, co-unit, domain, focus area and district exists.
    assert a["unit"] in UNITS, t
    assert all(c in UNITS and c != a["unit"] for c in a["co_units"]), t
    assert len(set(a["co_units"])) == len(a["co_units"]), t
    assert 1 <= len(a["domains"]) <= 3 and set(a["domains"]) <= set(DOMAIN_CODES), t
    assert len(set(a["domains"])) == len(a["domains"]), t
    assert a["focus"] in FOCUS_CODES, t
    assert a["kind"] in Activity.Kind.values, t
    assert a["type"] in Activity.Type.values, t
    assert type(a["day"]) is int and 1 <= a["day"] <= 30, t
    assert re.fullmatch(r"\d\d:\d\d", a["start"]), t
    hh, mm = (int(x) for x in a["start"].split(":"))
    assert "08:30" <= a["start"] <= "19:30" and mm < 60, t
    assert ("hours" in a) != ("days" in a), t
    if "days" in a:
        assert type(a["days"]) is int and a["day"] + a["days"] - 1 <= 30, t
        assert a["capacity"] is None, t
    else:
        assert 0 < a["hours"] <= 8 and hh + a["hours"] <= 22, t
    if a["kind"] == "online":
        assert a["district"] is None, t
    else:
        assert a["district"] in DISTRICTS, t
    assert a["venue"] and len(a["venue"]) <= _max(Activity, "venue"), t
    assert len(t) <= _max(Activity, "title"), t
    assert a["capacity"] is None or (type(a["capacity"]) is int and 20 <= a["capacity"] <= 300), t
    in_system = a["unit"] == data.LEAD_UNIT or UNITS[a["unit"]]["kind"] == "nqi"
    assert a["themed"] is in_system, t
    assert 30 <= len(a["summary"]) <= 60, (t, len(a["summary"]))
    assert a["description"].count("。") >= 2, t


def test_the_programme_as_a_whole():
    activities = data.ACTIVITIES
    themed = [a for a in activities if a["themed"]]
    assert len(activities) >= 76 and len(themed) >= 45
    assert {a["focus"] for a in themed} == set(FOCUS_CODES)
    named = [
        "首席质量官",
        "计量服务中小企业行",
        "工业企业质量诊断帮扶行动",
        "校园食品安全守护行动",
        "安心乘梯守护行动",
        "卓越绩效",
        "质量专家企业行",
        "现场实地观摩",
        "质量品牌优秀经验宣传分享",
        "“美好生活，质量引领”微视频创作大赛",
        "质量知识竞答",
        "厦门质量品牌故事“云展播”",
        "质量科普",
        "典型案件曝光",
        "质量“关键小事”",
        "质量基础设施“一站式”服务",
    ]
    for word in named:
        assert any(word in a["title"] for a in themed), word
    for code in CO_ORGANISERS:
        assert any(a["unit"] == code for a in activities), f"no activity for {code}"
    assert any(
        UNITS[a["unit"]]["kind"] == "association" and not UNITS[a["unit"]]["co_organiser"]
        for a in activities
    )
    domain_count = Counter(d for a in activities for d in a["domains"])
    assert all(domain_count[code] >= 3 for code in DOMAIN_CODES), domain_count
    district_count = Counter(a["district"] for a in activities if a["district"])
    assert all(district_count[name] >= 5 for name in DISTRICTS), district_count
    kind_count = Counter(a["kind"] for a in activities)
    assert kind_count["hybrid"] >= 3
    assert 0.15 <= kind_count["online"] / len(activities) <= 0.3, kind_count
    with_capacity = [a for a in activities if a["capacity"] is not None]
    assert 40 <= len(with_capacity) <= 60
    assert sum(1 for a in with_capacity if a["capacity"] <= 30) >= 4
    days = Counter(a["day"] for a in activities)
    assert len(days) >= 25 and max(days.values()) <= 6, days
