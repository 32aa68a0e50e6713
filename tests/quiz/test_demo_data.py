"""The demo question bank (quiz/demo/questions.json) is well formed: what the module's old
self-check asserted, plus the model's own limits. No database needed."""

import json
from collections import Counter

import pytest

from qualitymonth.quiz.demo import questions
from qualitymonth.quiz.models import Question, QuestionDomain

FIELDS = {"kind", "domain", "difficulty", "stem", "options", "answer", "explanation", "source"}
BANK = questions.QUESTIONS


def _where(n: int, q: dict) -> str:
    return f"question {n} ({q.get('stem', '')[:30]})"


def test_the_file_is_utf8_json_with_two_keys():
    raw = questions.DATA.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    assert list(data) == ["domains", "questions"]
    assert questions.read() == data


def test_the_nine_domains_are_the_models_in_order():
    codes = [code for code, _name in questions.DOMAINS]
    assert codes == list(QuestionDomain.values)
    assert all(isinstance(pair, tuple) and pair[1].strip() for pair in questions.DOMAINS)


@pytest.mark.parametrize("n", range(len(BANK)))
def test_every_question_is_well_formed(n):
    q = BANK[n]
    where = _where(n + 1, q)
    assert set(q) == FIELDS, where
    assert q["kind"] in Question.Kind.values, where
    assert q["domain"] in QuestionDomain.values, where
    assert type(q["difficulty"]) is int and q["difficulty"] in (1, 2, 3), where
    assert isinstance(q["stem"], str) and q["stem"].strip(), where
    options, answer = q["options"], q["answer"]
    assert all(isinstance(o, str) and o.strip() for o in options), where
    assert len(set(options)) == len(options), f"duplicate option: {where}"
    # Every answer is one of the options, listed once, in order.
    assert answer and all(type(i) is int and 0 <= i < len(options) for i in answer), where
    assert len(set(answer)) == len(answer) and answer == sorted(answer), where
    if q["kind"] == "single":
        assert len(options) == 4 and len(answer) == 1, where
    elif q["kind"] == "multiple":
        assert 4 <= len(options) <= 5, where
        assert 2 <= len(answer) < len(options), where
    else:
        assert options == ["正确", "错误"] and len(answer) == 1, where
    assert q["explanation"].strip() and q["source"].strip(), where
    max_source = Question._meta.get_field("source").max_length
    assert len(q["source"]) <= max_source, f"source too long for the model field: {where}"
    # The model's own validation agrees.
    Question(**q).clean()


def test_stems_are_unique():
    dupes = [stem for stem, n in Counter(q["stem"] for q in BANK).items() if n > 1]
    assert not dupes, dupes


def test_the_bank_is_big_enough_in_every_domain():
    assert len(BANK) >= 210
    by_domain = Counter(q["domain"] for q in BANK)
    for code in QuestionDomain.values:
        assert by_domain[code] >= 20, (code, by_domain[code])
    assert set(Counter(q["kind"] for q in BANK)) == set(Question.Kind.values)
