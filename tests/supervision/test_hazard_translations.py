"""Every text of the hazards' pages has its Chinese translation: in the project's catalogue or
in var/po/sv_hazard.po (merged into it by the lead), with the same placeholders."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "var/po/sv_hazard.po"
MAIN = ROOT / "src/qualitymonth/locale/zh_Hans/LC_MESSAGES/django.po"
TEMPLATES = ROOT / "src/qualitymonth/supervision/templates/supervision/hazards"
TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?\s*%}')
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalogue() -> dict:
    found = {}
    for path in (MAIN, OURS):
        for entry in polib.pofile(str(path)):
            if entry.translated():
                found[(entry.msgctxt, entry.msgid)] = entry
    return found


def test_every_entry_of_ours_is_translated_with_the_same_placeholders():
    if not OURS.exists():
        pytest.skip("merged into the catalogue already")
    for entry in polib.pofile(str(OURS)):
        texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        assert all(texts), entry.msgid
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def test_every_text_of_the_templates_is_translated():
    catalogue = _catalogue()
    missing = []
    for template in TEMPLATES.glob("*.html"):
        for msgid, context in TRANSLATE.findall(template.read_text(encoding="utf-8")):
            if (context or None, msgid) not in catalogue:
                missing.append((template.name, msgid))
    assert not missing
