"""Personal data in free text people typed, taken out before the text is read by the public.

A citizen writes their mobile, home address or name into "what happened" as often as into the
fields meant for them. Every public read (Open311, the board, any public page or API) passes its
free text through `scrub_personal_text`; staff handling the case still read it as typed.

Where a pattern cannot tell a person's number from another (an 18-digit order number looks like a
bank card), it masks: a public reader loses a detail, a citizen does not lose their privacy.
"""

import re

MASK = "[已隐去]"
# Full-width digits and signs read the same to a person; the patterns see them as ASCII.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－＠", "0123456789+-@")

_SEP = r"[ \u3000\-‐‑–—.]"  # what people put between groups of digits

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9_.!#$%&'*+/=?^`{|}~-])[A-Za-z0-9_.!#$%&'*+/=?^`{|}~-]+\s?[@＠]\s?"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# Any number dialled from abroad into China (+86 / 0086 and 9 to 12 digits): a mobile or a landline.
_INTERNATIONAL_RE = re.compile(
    r"(?<![\d+＋])(?:[+＋]|00)\s{0,2}86(?:[\s\-()（）]{0,3}\d){9,12}(?!\d)"
)

# A mainland mobile, with or without +86 / 0086 / 86 in front, in one piece or in groups.
_MOBILE_RE = re.compile(
    rf"(?<![\d+＋])(?:[(（]?(?:[+＋]|00)?\s?86[)）]?{_SEP}{{0,3}})?"
    rf"1[3-9]\d{_SEP}?\d{{4}}{_SEP}?\d{{4}}(?!\d)"
)

# Resident ID: region, birth date, sequence, check digit (X for ten). The date part keeps order
# numbers of the same length from being taken for one; any leftover long run is caught below.
_ID_RE = re.compile(
    r"(?<![\dA-Za-z])[1-9]\d{5}(?:(?:18|19|20)\d{2}|\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[\dXx]?(?![\dA-Za-z])"
)

# Bank cards are 16–19 digits, often written in groups of four.
_CARD_RE = re.compile(r"(?<!\d)\d(?:[ \u3000-]?\d){15,18}(?!\d)")

# A landline with its area code (0 and two or three digits), and an extension if any. Service
# numbers (400/800 hotlines, 12315, 95588) start otherwise and stay: they belong to businesses
# and public bodies, and a reader needs them.
_LANDLINE_RE = re.compile(
    r"(?<![\d+＋])(?:(?:[+＋]|00)86[ -]?|[(（]\s*(?:[+＋]|00)?86\s*[)）]\s*)?"
    r"(?:[(（]\s*0\d{2,3}\s*[)）]\s*|0\d{2,3}[ \u3000\-‐‑–—]?)\d{7,8}"
    r"(?:\s*(?:转|分机|ext\.?|x|-)\s*\d{1,6})?(?!\d)"
)

# An account named after its app: 微信号 abc_123, QQ 12345678.
_HANDLE_RE = re.compile(
    r"((?<![A-Za-z])(?:微信号?|wechat|vx|wx|QQ号?)\s*(?:号码|是|为)?\s*[:：]?\s*)[A-Za-z0-9_-]{5,30}",
    re.IGNORECASE,
)
# Digits after a word that says they are a number to call.
_CALL_RE = re.compile(
    r"((?:电话|手机|座机|联系方式|tel|phone)\s*(?:号码|是|为)?\s*[:：]?\s*)(?![48]00)"
    r"\d[\d \-]{4,}\d(?![\d元块])",
    re.IGNORECASE,
)

# --- addresses: keep the road, mask the house, building and room ------------------------------
_NUM = r"(?:[\dA-Za-z]+(?:[-－][\dA-Za-z]+)*)"
_CN_NUM = r"[一二三四五六七八九十百零〇两]+"
_UNIT = r"(?:号楼|号院|号房|单元|号|栋|幢|座|楼|层|室|房|弄|户)"
_TOKEN = rf"(?:{_NUM}|{_CN_NUM}){_UNIT}"
# A room number written bare after the building ("3栋2单元501"), but not a year or an amount.
_TRAIL = r"(?:[-－]?\d{2,5}(?![\d年月日元块件个次台天%％.]))?"
_PLACE = (
    r"(?:路|街|大道|巷|弄|胡同|里|村|组|屯|小区|花园|公寓|家园|苑|园|城|大厦|广场|社区|新村|公馆|"
    r"府|院|湾|庭|居|阁|邸|坊)"
)
# After a road or estate: every number that follows ("莲花路88号3号楼1201室", "莲花小区5-2-301").
_AFTER_PLACE_RE = re.compile(
    rf"({_PLACE}\s*)((?:{_TOKEN})+{_TRAIL}|\d+(?:[-－]\d+){{1,3}}(?![\d天小个年月日元件次周]))"
)
# Without a road: two building/room parts in a row ("3号楼1201室") or one that can only be a
# home ("1201室", "8栋", "2单元"). A lone "3号" or "3楼" is a date or a shop floor as often.
_BUILDING_RE = re.compile(
    rf"(?<![\dA-Za-z月第])(?:(?:[A-Za-z]?\d+[A-Za-z]?(?:[-－]\d+)*{_UNIT}){{2,}}{_TRAIL}"
    rf"|\d+(?:[-－]\d+)*(?:室(?![一二两三四五六七八九\d]*厅)|栋|幢|单元|弄){_TRAIL})"
)

# --- names a person gives for themselves --------------------------------------------------------
# Common surnames (百家姓, the first few hundred by frequency). Left out on purpose: 于, 向, 和,
# 房, 从 — as words ("本人于昨天", "我是向…") they would mask ordinary text far more often than they
# start a name.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔汤庞樊兰殷施洪翟安颜倪牛温芦季俞章鲁葛伍申尤毕聂焦柴车蓝费卜梅岳甘柯左祝包宁"
    "尚符舒阮纪骆柳粟雍邢欧阳滕游蒲庄涂卫饶凌童齐连管"
)
_COMPOUND_SURNAMES = (
    "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|令狐|端木|独孤|南宫|西门"
)
# Characters that end a name rather than continue it ("本人王五住…", "我是李四的妈妈").
_NAME_STOP = "住在的是今家电手身男女于从已买购因和与及也都就要想向对把被给去来了说姓，。"
_GIVEN = rf"(?:(?![{_NAME_STOP}])[\u4e00-\u9fff])"
# Words that follow 我是 and start with a surname character but are not names.
_NOT_NAMES = (
    "高中|高一|高二|高三|高校|高龄|白领|黄金|马上|钱包|常客|金卡|周边|江苏|江西|湖南|湖北|河南|"
    "河北|山东|山西|广东|广西|云南|贵州|福建|浙江|上海|北京|天津|重庆|四川|陕西|甘肃|吉林|辽宁|"
    "黑龙江|海南|宁夏|新疆|西藏|青海|内蒙古|厦门|武汉|长沙|南京|杭州|苏州|温州|宁波|石家庄|安徽"
)
_SELF_NAME_RE = re.compile(
    r"((?:我叫|我是|本人|我的名字(?:是|叫)|名字叫|名叫|姓名\s*[:：]?|联系人\s*[:：]?)\s*)"
    rf"(?!{_NOT_NAMES})(?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])"
    rf"(?:先生|女士|小姐|阿姨|大爷|师傅|{_GIVEN}{{1,2}})"
    rf"(?=$|[^\u4e00-\u9fff]|[{_NAME_STOP}])"
)
_SURNAME_RE = re.compile(rf"((?:我|本人)姓)(?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])")


def scrub_personal_text(text: str) -> str:
    """The text with phone numbers, e-mails, ID and bank-card numbers, house and room numbers and
    self-introduced names replaced by a mask."""
    if not text:
        return ""
    text = text.translate(_FULL_WIDTH)
    text = _EMAIL_RE.sub(MASK, text)
    text = _HANDLE_RE.sub(rf"\1{MASK}", text)
    # Long runs before short ones: a card number must not be half-eaten as a phone number.
    text = _ID_RE.sub(MASK, text)
    text = _CARD_RE.sub(MASK, text)
    text = _INTERNATIONAL_RE.sub(MASK, text)
    text = _MOBILE_RE.sub(MASK, text)
    text = _LANDLINE_RE.sub(MASK, text)
    text = _CALL_RE.sub(rf"\1{MASK}", text)
    text = _AFTER_PLACE_RE.sub(rf"\1{MASK}", text)
    text = _BUILDING_RE.sub(MASK, text)
    text = _SELF_NAME_RE.sub(rf"\1{MASK}", text)
    return _SURNAME_RE.sub(rf"\1{MASK}", text)
