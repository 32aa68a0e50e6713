"""Demo question bank for the quality-knowledge quiz: facts checked against the laws and standards
named in each explanation. The content lives in questions.json next to this module; checks that it
is well formed are in tests/quiz/test_demo_data.py."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "questions.json"


def read() -> dict:
    """The data file as it is: {"domains": [{code, name}], "questions": [{kind, domain, ...}]}."""
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


_data = read()
# code, Chinese name — exactly these nine, in this order
DOMAINS: list[tuple[str, str]] = [(d["code"], d["name"]) for d in _data["domains"]]
# kind, domain, difficulty, stem, options, answer (indexes into options), explanation, source
QUESTIONS: list[dict] = _data["questions"]
del _data
