from pathlib import Path

import polib

import qualitymonth

PO = Path(qualitymonth.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_chinese_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(PO))
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    # Keyed by context too: "Submit" is 交卷 in the quiz and 提交作品 in the contest.
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid} == {
        (e.msgctxt, e.msgid): e.msgstr for e in catalogue if e.translated() and not e.msgid_plural
    } | {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid_plural}
