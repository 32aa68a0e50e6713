import pytest
from django.core.exceptions import ValidationError

from qualitymonth.core.validators import mask_mobile, mask_name, normalize_mobile, validate_mobile


@pytest.mark.parametrize(
    "raw", ["13800138000", "+86 138 0013 8000", "138-0013-8000", "0086 19912345678"]
)
def test_mainland_mobiles_are_accepted_after_normalising(raw):
    validate_mobile(normalize_mobile(raw))


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1380013800",
        "23800138000",
        "12800138000",
        "138001380001",
        "abcdefghijk",
        "+1 415 555 0100",
    ],
)
def test_other_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_mobile(raw)


def test_masks_hide_the_middle():
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("李") == "李"
    # A short note after the name stays readable; digits in brackets are masked with the name.
    assert mask_name("陈某某（示例）") == "陈*某（示例）"
    assert mask_name("王小明(13800138000)") == "王" + "*" * 14 + ")"


def test_numbers_typed_into_free_text_are_masked():
    from qualitymonth.core.validators import mask_numbers_in_text

    text = "请联系13912345678，身份证350203199001011234，订单号2022091500001"
    masked = mask_numbers_in_text(text)
    assert "139****5678" in masked and "13912345678" not in masked
    assert "350203********1234" in masked
    assert "2022091500001" in masked  # a 13-digit order number is neither
