"""What a hostile or careless client types, written for this platform (not a copy of any list).

Each value belongs to a class; a field is sent a sample that holds at least one value of every
class, so every field meets every kind of trouble while the suite stays a few thousand requests.
"""

import json
import zlib
from dataclasses import dataclass


class LoneSurrogate(str):
    """A lone UTF-16 surrogate. Python cannot encode it into a request body, so JSON bodies carry
    it as the escape ``\\ud800`` (which a JSON parser turns back into a lone surrogate), and
    forms, queries and multipart bodies send its escape as text instead."""


class RawNumber(str):
    """A JSON number no Python float can write (``1e309``, ``NaN``): sent unquoted in JSON."""


@dataclass(frozen=True)
class Hostile:
    kind: str
    label: str
    value: object

    def __str__(self) -> str:  # the test ids and failure reports
        return f"{self.kind}:{self.label}"


def _controls() -> list[Hostile]:
    values = []
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        kind = "nul" if code == 0 else "control"
        values.append(Hostile(kind, f"U+{code:04X}", f"质量{chr(code)}月"))
    return values


CORPUS: list[Hostile] = [
    *_controls(),
    Hostile("surrogate", "high", LoneSurrogate("a\ud800b")),
    Hostile("surrogate", "low", LoneSurrogate("\udfff")),
    Hostile("invisible", "RLO", "\u202egnp.exe"),
    Hostile("invisible", "ZWSP", "质\u200b量"),
    Hostile("invisible", "BOM", "\ufeff质量月"),
    Hostile("invisible", "LRM-RLM", "\u200e\u200f双向"),
    Hostile("invisible", "U+FFFE", "a\ufffeb"),
    Hostile("long", "10000-ascii", "A" * 10_000),
    Hostile("long", "10000-cjk", "质" * 10_000),
    Hostile("formula", "equals", "=cmd|' /C calc'!A0"),
    Hostile("formula", "plus", "+1+1"),
    Hostile("formula", "minus", "-2+3"),
    Hostile("formula", "at", "@SUM(1+1)*cmd|'/C calc'!A0"),
    Hostile("formula", "hyperlink", '=HYPERLINK("http://example.invalid","点我")'),
    Hostile("script", "script-tag", "<script>alert(1)</script>"),
    Hostile("script", "img-onerror", '"><img src=x onerror=alert(1)>'),
    Hostile("script", "jinja", "{{7*7}}"),
    Hostile("script", "django-tag", "{% debug %}"),
    Hostile("script", "dollar", "${7*7}"),
    Hostile("sql", "quote-or", "' OR '1'='1"),
    Hostile("sql", "drop", "1; DROP TABLE auth_user; --"),
    Hostile("sql", "like-wildcards", "%_%\\"),
    Hostile("number", "past-bigint", 9223372036854775808),
    Hostile("number", "bigint-as-text", "9223372036854775808"),
    Hostile("number", "negative", -1),
    Hostile("number", "negative-text", "-1"),
    Hostile("number", "overflow-float", "1e309"),
    Hostile("number", "nan", "NaN"),
    Hostile("number", "overflow-float-raw", RawNumber("1e309")),
    Hostile("number", "nan-raw", RawNumber("NaN")),
    Hostile("number", "zero", 0),
    Hostile("number", "fraction", "0.001"),
    Hostile("date", "feb-30", "2025-02-30"),
    Hostile("date", "zero", "0000-00-00"),
    Hostile("date", "hour-24", "9999-12-31T24:00:00"),
    Hostile("date", "year-1", "0001-01-01T00:00:00+25:00"),
    Hostile("shape", "blank", ""),
    Hostile("shape", "spaces", "   "),
    Hostile("shape", "null", None),
    Hostile("shape", "list", ["a", "b"]),
    Hostile("shape", "object", {"$gt": ""}),
    Hostile("shape", "bool", True),
]

KINDS = sorted({item.kind for item in CORPUS})


def sample(key: str, size: int = 12) -> list[Hostile]:
    """A fixed sample for one field: one value of every class (which one depends on the field,
    so that across fields every value is sent), then more to reach `size`."""
    seed = zlib.crc32(key.encode())
    chosen = []
    for n, kind in enumerate(KINDS):
        members = [item for item in CORPUS if item.kind == kind]
        chosen.append(members[(seed + n) % len(members)])
    rest = [item for item in CORPUS if item not in chosen]
    while len(chosen) < size and rest:
        chosen.append(rest.pop((seed + len(chosen)) % len(rest)))
    return chosen


def to_json(payload: dict) -> str:
    """A JSON body that may carry lone surrogates as ``\\udXXX`` escapes (json.dumps writes
    them so with ensure_ascii, which the encoder then never has to encode) and raw numbers."""
    raw = {}

    def mark(value):
        if isinstance(value, RawNumber):
            token = f"__raw_{len(raw)}__"
            raw[token] = str(value)
            return token
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    text = json.dumps(mark(payload), ensure_ascii=True, allow_nan=False)
    for token, number in raw.items():
        text = text.replace(f'"{token}"', number)
    return text


def as_text(value) -> str | list[str]:
    """A value as a form, a query string or a multipart body can carry it: text (a list stays a
    list of values; a lone surrogate, which no encoding can send, as its escape)."""
    if isinstance(value, LoneSurrogate):
        return value.encode("unicode_escape").decode()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
