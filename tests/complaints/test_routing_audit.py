"""Switching the live router (`routing use`) and rebuilding the shipped models (`routing build`)
change how every new case is routed: each leaves an audit row."""

import io

import pytest
from django.core.management import CommandError, call_command

from qualitymonth.complaints.models import RouterModel
from qualitymonth.complaints.routing import pipeline, router
from qualitymonth.core.models import AuditEvent
from tests.complaints.test_routing import ROWS, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(tmp_path):
    source = tmp_path / "history.csv"
    write_csv(source, ROWS)
    data = pipeline.read_csv(source, text_column="message", label_column="dept")
    path = tmp_path / "city.joblib"
    pipeline.save(pipeline.train(data), path, target="unit", trained_on=len(data.texts))
    yield path
    router.reset()


def test_routing_use_is_audited(trained):
    first = RouterModel.objects.create(name="old", target="unit", path="/x", is_active=True)
    call_command("routing", "use", str(trained), "--target", "unit", stdout=io.StringIO())
    row = RouterModel.objects.get(is_active=True)
    event = AuditEvent.objects.get(event_type="routing.model_activated")
    assert event.object_id == str(row.pk)
    assert event.detail["replaced"] == [first.pk]
    assert event.detail["labels"] == 3
    assert event.actor_label.startswith("cli")


def test_a_refused_model_file_changes_nothing_and_writes_no_row(tmp_path):
    import joblib

    bad = tmp_path / "bad.joblib"
    joblib.dump({"hello": 1}, bad)
    with pytest.raises(CommandError):
        call_command("routing", "use", str(bad), stdout=io.StringIO())
    assert not RouterModel.objects.exists()
    assert not AuditEvent.objects.filter(event_type="routing.model_activated").exists()


def test_routing_build_is_audited(tmp_path, monkeypatch):
    # Build into a scratch folder from a small file: the shipped models stay as they are.
    source = tmp_path / "data.csv"
    source.write_text(
        "text,unit,nature,category\n"
        + "".join(
            f"{text},{label},{label}-n,{label}-c\n"
            for label, texts in ROWS.items()
            for text in texts
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(router, "training_files", lambda: [source])
    monkeypatch.setattr(router, "shipped_path", lambda target: tmp_path / f"{target}.joblib")
    out = io.StringIO()
    call_command("routing", "build", stdout=out)
    router.reset()
    assert "unit: 30 texts" in out.getvalue()
    event = AuditEvent.objects.get(event_type="routing.models_built")
    assert event.detail["trained_on"] == {"unit": 30, "nature": 30, "category": 30}
    assert len(event.detail["files"]) == 3
