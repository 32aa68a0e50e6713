"""The restore drill: back up, wipe, restore, and the figures match the manifest."""

import io
import json
import tarfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from qualitymonth.campaigns.models import Activity, Registration
from qualitymonth.campaigns.services.registrations import registration_cancel, registration_create
from qualitymonth.core.backup import audit_digest, row_counts
from qualitymonth.core.models import AuditEvent
from tests.factories import ActivityFactory, CampaignFactory, UserFactory


def _some_data():
    campaign = CampaignFactory()
    activities = ActivityFactory.create_batch(3, campaign=campaign)
    citizen = UserFactory(username="drill-citizen")
    # The services write the audit trail (registration.create, registration.cancel).
    first = registration_create(
        activity=activities[0], name="张三", mobile="13800138000", user=citizen
    )
    registration_create(activity=activities[1], name="李四", mobile="13900139000")
    registration_cancel(registration=first, acting_user=citizen)
    photo = settings.MEDIA_ROOT / "stories" / "drill.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff drill photo")
    return photo


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_the_same_rows_audit_trail_and_media(tmp_path, capsys):
    photo = _some_data()
    assert AuditEvent.objects.count() >= 3
    archive = tmp_path / "drill.tar"

    call_command("backup", out=str(archive))

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = tar.getnames()
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"]["core_auditevent"] == AuditEvent.objects.count()
    assert manifest["counts"]["campaigns_activity"] == 3
    assert manifest["audit_digest"] == audit_digest()
    assert manifest["migrations"]["core"].startswith("0")
    assert "media/public/stories/drill.jpg" in names
    before = row_counts()

    # The disaster: rows of several tables and an uploaded file gone.
    AuditEvent.objects.all().delete()
    Registration.objects.all().delete()
    Activity.objects.all().delete()
    photo.unlink()
    assert audit_digest() != manifest["audit_digest"]

    call_command("restore", str(archive), yes=True)

    assert "match the manifest" in capsys.readouterr().out
    assert row_counts() == before == manifest["counts"]
    assert audit_digest() == manifest["audit_digest"]
    assert photo.read_bytes() == b"\xff\xd8\xff drill photo"
    assert Registration.objects.filter(status=Registration.Status.CANCELLED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_restore_removes_media_files_added_after_the_backup(tmp_path):
    archive = tmp_path / "empty.tar"
    call_command("backup", out=str(archive))
    stray = settings.MEDIA_ROOT / "later" / "added.png"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"png")

    call_command("restore", str(archive), yes=True)

    assert not stray.exists()


@pytest.mark.django_db(transaction=True)
def test_restore_forgets_what_redis_held_about_the_replaced_database(tmp_path):
    from qualitymonth.core import redis as fast_redis

    client = fast_redis.client()
    if client is None:
        pytest.skip("Redis is not configured")
    archive = tmp_path / "before.tar"
    call_command("backup", out=str(archive))
    client.rpush(fast_redis.key("vote:queue"), '{"e": 1}')  # a vote for a row that will be gone

    call_command("restore", str(archive), yes=True)

    assert client.llen(fast_redis.key("vote:queue")) == 0


@pytest.mark.django_db(transaction=True)
def test_backup_into_a_folder_names_the_archive_by_date(tmp_path):
    call_command("backup", out=str(tmp_path))

    [archive] = tmp_path.glob("qualitymonth-*.tar")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db(transaction=True)
def test_restore_without_yes_refuses_and_changes_nothing(tmp_path):
    CampaignFactory()
    archive = tmp_path / "backup.tar"
    call_command("backup", out=str(archive))
    ActivityFactory()
    activities = Activity.objects.count()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))

    assert Activity.objects.count() == activities


@pytest.mark.django_db(transaction=True)
def test_restore_reports_a_mismatch_and_fails(tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", out=str(archive))
    doctored = tmp_path / "doctored.tar"
    with tarfile.open(archive) as source, tarfile.open(doctored, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data.read())
                manifest["counts"]["core_auditevent"] += 1
                content = json.dumps(manifest).encode()
                member.size = len(content)
                data = io.BytesIO(content)
            target.addfile(member, data)

    with pytest.raises(CommandError, match="core_auditevent"):
        call_command("restore", str(doctored), yes=True)


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path, db):
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"this is not a tar file at all" * 100)

    with pytest.raises(CommandError, match="not a qualitymonth backup"):
        call_command("restore", str(garbage), yes=True)


def test_restore_refuses_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "nowhere.tar"), yes=True)


def test_restore_refuses_an_archive_of_another_engine(tmp_path, db):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    archive = tmp_path / "other.tar"
    manifest = json.dumps({"format": 1, "engine": other, "counts": {}}).encode()
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))

    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", str(archive), yes=True)


def test_backup_refuses_a_folder_that_does_not_exist(tmp_path, db):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", out=str(tmp_path / "nowhere" / "backup.tar"))
