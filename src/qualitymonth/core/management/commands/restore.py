"""`qualitymonth restore PATH --yes`: put back what `qualitymonth backup` wrote.

Replaces the whole database and the media folders with the archive's, then recomputes the row
counts and the audit trail's digest and exits non-zero unless they match the manifest. Stop the
app processes and workers first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitymonth.core.backup import BackupError, archive_manifest, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive (replaces the database and the media folders), then check "
        "the row counts and the audit trail's digest against its manifest. 从备份恢复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar written by `qualitymonth backup`")
        parser.add_argument(
            "--yes", action="store_true", help="Yes, replace this installation's data"
        )

    def handle(self, *args, path: str, yes: bool, **options):
        try:
            manifest = archive_manifest(Path(path))
            if not yes:
                raise CommandError(
                    f"{path} (made {manifest['created_at']}) would replace this installation's "
                    "whole database and media folders; nothing was changed. Stop the app, then "
                    "run the restore again with --yes."
                )
            result = backup_restore(path=Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from None
        for note in result.notes:
            self.stderr.write(f"Note: {note}")
        rows = sum(result.counts.values())
        self.stdout.write(
            f"Restored {path} (made {manifest['created_at']}): {len(result.counts)} tables, "
            f"{rows} rows, audit trail sha256 {result.audit_digest}."
        )
        if not result.matches:
            raise CommandError(
                "The restored data does not match the archive's manifest:\n  "
                + "\n  ".join(result.differences)
            )
        self.stdout.write("Row counts and the audit trail's digest match the manifest.")
