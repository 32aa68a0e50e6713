"""Reference data carries an English name; core.i18n picks it for English readers only."""

from django.utils import translation

from tests.factories import RegionFactory, UnitFactory


def test_english_reader_gets_the_english_name_and_chinese_reader_the_official_one(db):
    region = RegionFactory(name="思明区", name_en="Siming District")
    with translation.override("en"):
        assert region.localized_name == "Siming District" and str(region) == "Siming District"
    with translation.override("zh-hans"):
        assert region.localized_name == "思明区" and str(region) == "思明区"


def test_without_an_english_name_every_reader_gets_the_chinese_one(db):
    region = RegionFactory(name="思明区", name_en="")
    with translation.override("en"):
        assert region.localized_name == "思明区"


def test_a_units_display_name_is_the_english_name_in_english_and_the_short_name_in_chinese(db):
    unit = UnitFactory(
        name="厦门市市场监督管理局",
        short_name="市市场监管局",
        name_en="Xiamen Administration for Market Regulation",
    )
    with translation.override("en"):
        assert unit.display_name == "Xiamen Administration for Market Regulation"
    with translation.override("zh-hans"):
        assert unit.display_name == "市市场监管局"
    unit.name_en = ""
    with translation.override("en"):
        assert unit.display_name == "市市场监管局"
