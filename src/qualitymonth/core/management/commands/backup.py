"""`qualitymonth backup --out PATH`: the database and the media folders in one .tar.

PATH is the archive to write, or a folder to write `qualitymonth-YYYYmmdd-HHMMSS.tar` into.
What the archive holds and how to restore it: core/backup.py and the README's "Backup and
restore"."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitymonth.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup) and the media folders into "
        "one .tar with a manifest of row counts and the audit trail's digest. 备份数据库与上传文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, help="The .tar to write, or a folder to write it into"
        )

    def handle(self, *args, out: str, **options):
        try:
            path, manifest = backup_create(out=Path(out))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB).")
        self.stdout.write(
            f"  database: {manifest['engine']}, {len(manifest['counts'])} tables, {rows} rows"
        )
        self.stdout.write(f"  audit trail sha256: {manifest['audit_digest']}")
        for arcname, media in manifest["media"].items():
            if media["storage"] == "filesystem":
                self.stdout.write(f"  {arcname}: {media['files']} files, {media['bytes']} bytes")
            else:
                self.stdout.write(f"  {arcname}: {media['note']}")
