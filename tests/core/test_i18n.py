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


def test_no_translated_text_hides_inside_an_f_string():
    """xgettext cannot read a gettext call inside an f-string: such text is never extracted, so
    it shows in English whatever the language (supervision's publicity records once did)."""
    import re
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "src" / "qualitymonth"
    hidden = re.compile(r"""\bf(["'])[^\n]*?\{\s*(_|gettext|pgettext|ngettext)\(""")
    found = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hidden.search(line)
    ]
    assert not found, found


def test_form_labels_end_in_the_languages_own_colon():
    from django import forms
    from django.utils import translation

    from qualitymonth.core.forms import Form

    class Example(Form):
        name = forms.CharField(label="Name")

    with translation.override("zh-hans"):
        assert Example()["name"].label_tag().endswith("：</label>")
    with translation.override("en"):
        assert Example()["name"].label_tag().endswith(":</label>")
