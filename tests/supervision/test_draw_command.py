"""`qualitymonth supervision verify-draw`: from the database and offline from draw.json; a
changed file or stored row is reported, with exit code 1."""

import json

import pytest
from django.core.management import call_command

from qualitymonth.supervision import draw_selectors as selectors
from qualitymonth.supervision.models import DrawnInspector
from qualitymonth.supervision.services import draws as services
from tests.supervision import draw_helpers as h

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[int, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("supervision", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_verify_draw_from_the_database_and_from_the_file(
    campaign, office_user, sv_unit, inspectors, tmp_path
):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=10, count=3)
    services.drawn_subject_replace(
        drawn=task.drawn.get(position=2), reason="停业", acting_user=office_user
    )
    code, out = _run("verify-draw", "--task", task.number)
    assert code == 0 and "matches" in out
    path = tmp_path / "draw.json"
    data = selectors.draw_file(task)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out = _run("verify-draw", "--file", str(path))
    assert code == 0 and "matches" in out
    data["drawn"][0]["subject"] = data["drawn"][1]["subject"]
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out = _run("verify-draw", "--file", str(path))
    assert code == 1 and "NOT" in out


def test_a_changed_stored_row_fails_verification(campaign, office_user, sv_unit, inspectors):
    task = h.drawn_task(campaign, office_user, sv_unit, inspectors, n_subjects=6, count=2)
    row = DrawnInspector.objects.filter(drawn__task=task).first()
    spare = next(i for i in inspectors if not row.drawn.inspectors.filter(inspector=i).exists())
    DrawnInspector.objects.filter(pk=row.pk).update(inspector=spare)
    code, out = _run("verify-draw", "--task", task.number)
    assert code == 1 and "NOT" in out


def test_unreadable_input_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("supervision", "verify-draw", "--file", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError):
        call_command("supervision", "verify-draw", "--task", "CC1999-00001")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CommandError):
        call_command("supervision", "verify-draw", "--file", str(bad))
    bad.write_text('{"seed": "x"}')
    assert _run("verify-draw", "--file", str(bad))[0] == 1


def test_a_file_with_infinite_numbers_is_reported_not_a_crash(tmp_path):
    # JSON's Infinity reads as a float that int() cannot convert (OverflowError).
    bad = tmp_path / "inf.json"
    bad.write_text(
        '{"seed": "ab", "seed_digest": "x", "drawn": [{"position": Infinity}],'
        ' "population": {"subjects": [1], "inspectors": [], "n": Infinity, "per_subject": 2}}'
    )
    code, out = _run("verify-draw", "--file", str(bad))
    assert code == 1 and "Not a draw" in out
