"""scrub_personal_text: a corpus of what people type, what must go and what must stay."""

import pytest

from qualitymonth.core.privacy import MASK, scrub_personal_text

# (text as typed, the personal part that must not survive, what must survive)
SCRUBBED = [
    ("请联系13800138000", "13800138000", "请联系"),
    ("电话138-0013-8000，随时打", "0013", "随时打"),
    ("电话138 0013 8000", "0013", "电话"),
    ("+86 139 1234 5678", "1234", ""),
    ("手机+8613912345678谢谢", "13912345678", "谢谢"),
    ("008613912345678", "13912345678", ""),
    ("（+86）139-1234-5678", "5678", ""),
    ("86-13912345678", "13912345678", ""),
    ("全角１３８００１３８０００", "8000", "全角"),
    ("座机0592-1234567", "1234567", "座机"),
    ("座机(0592)1234567", "1234567", "座机"),
    ("座机（0592）1234567", "1234567", "座机"),
    ("座机05921234567", "05921234567", "座机"),
    ("北京010-12345678转8001", "12345678", "北京"),
    ("请拨打 0592-5123456-8001", "5123456", "请拨打"),
    ("+86 592 1234567", "1234567", ""),
    ("联系电话5123456", "5123456", "联系电话"),
    ("邮箱zhang.san@example.com", "zhang.san", "邮箱"),
    ("我的邮箱是 li_si+shop@163.com，请回复", "li_si", "请回复"),
    ("身份证350203199001011234", "350203199001011234", "身份证"),
    ("身份证号码：11010519491231002X", "1231002X", "身份证号码"),
    ("老身份证350203900101123", "350203900101123", "老身份证"),
    ("银行卡6222021234567890123", "6222021234567890123", "银行卡"),
    ("银行卡号 6217 0012 3456 7890 123", "3456 7890", "银行卡号"),
    ("微信号abc_12345", "abc_12345", "微信号"),
    ("QQ 12345678", "12345678", "QQ"),
    ("住思明区莲花路88号3号楼1201室", "1201", "住思明区莲花路"),
    ("住址：思明区湖滨南路100号", "100号", "湖滨南路"),
    ("上海市某某路123弄4号502室", "502", "上海市某某路"),
    ("我住在阳光花园8栋1单元302，楼下就是店", "302", "楼下就是店"),
    ("住在3栋2单元501", "501", "住在"),
    ("莲花小区5-2-301", "5-2-301", "莲花小区"),
    ("国贸大厦A座1501", "1501", "国贸大厦"),
    ("楼上3号楼1201室漏水", "1201", "漏水"),
    ("我叫张三丰，住思明区", "张三丰", "住思明区"),
    ("本人王五住湖里区", "王五", "住湖里区"),
    ("我是李四的妈妈", "李四", "的妈妈"),
    ("我是欧阳小明。", "欧阳小明", "。"),
    ("我是陈先生", "陈先生", "我是"),
    ("我姓王", "王", "我姓"),
    ("姓名：赵六", "赵六", "姓名"),
    ("联系人:孙七", "孙七", "联系人"),
]

# Ordinary text that must come back unchanged.
KEPT = [
    "花了¥1,280元",
    "金额12800元，退款3999.00元",
    "1,280,000元",
    "2025年9月3日购买",
    "9月3号买的",
    "2025-09-03 14:30",
    "2025/9/3",
    "2025.09.03",
    "型号BCD-218WD的冰箱",
    "KFR-35GW/(35592)FNhAa-B1空调",
    "iPhone 15 Pro 256G，花了5999元买了2台",
    "标准GB 4806.7-2016",
    "厦门市湖里区鹭佳电器商行",
    "订单号2022091500001",
    "投诉编号20250903123456",
    "客服热线400-888-8888",
    "8008208820",
    "电话400-123-4567",
    "拨打12315投诉",
    "我是消费者",
    "我是高中生，",
    "我是王府井百货的会员",
    "我是张家口人",
    "本人于昨天购买",
    "本人在王府井百货购买",
    "我是在9月买的",
    "我叫了外卖",
    "5号电池没电",
    "地铁1号线",
    "商场3楼的店",
    "三室一厅，3室2厅",
    "知道1-2天内",
    "第3单元课文",
    "快递单号SF1234567890123",
]


@pytest.mark.parametrize(("text", "personal", "kept"), SCRUBBED)
def test_personal_data_in_free_text_is_masked(text, personal, kept):
    scrubbed = scrub_personal_text(text)
    assert personal not in scrubbed
    assert MASK in scrubbed
    assert kept in scrubbed


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_is_left_as_typed(text):
    assert scrub_personal_text(text) == text


def test_the_issues_example_keeps_the_road_and_loses_everything_else():
    text = "我叫张三丰，住思明区莲花路88号3号楼1201室，电话138-0013-8000，+8613912345678"
    assert scrub_personal_text(text) == (f"我叫{MASK}，住思明区莲花路{MASK}，电话{MASK}，{MASK}")


def test_empty_and_none_give_an_empty_string():
    assert scrub_personal_text("") == ""
    assert scrub_personal_text(None) == ""


@pytest.mark.parametrize(
    "text",
    ["a" * 10_000, " " * 10_000, "1" * 10_000, "路1" * 5_000, "我是王" * 3_000, "+86 " * 3_000],
)
def test_long_input_is_handled(text):
    """Hostile lengths come back (no catastrophic backtracking turns a read into a hang)."""
    assert isinstance(scrub_personal_text(text), str)
