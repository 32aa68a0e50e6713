"""Backup and restore of one installation: the database and the uploaded media in one .tar.

The archive holds `manifest.json` (first), the database (`database.dump`, PostgreSQL's custom
format from pg_dump, or `database.sqlite3`, a copy made with SQLite's online backup API) and the
media folders under `media/public/` and `media/private/` when they are file systems. An object
store (MEDIA_STORAGE=s3) is left to its own versioning or replication: the manifest says so.

The manifest's figures (row counts of every model table, the audit trail's digest) are taken in
the same snapshot the dump is made from, so after a restore they must match exactly; the restore
recomputes them and says whether they do.
"""

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Archive folder -> the storage (settings.STORAGES) whose files it holds.
MEDIA_FOLDERS = {"media/public": "default", "media/private": "private"}
OBJECT_STORE_NOTE = (
    "object store: not in this archive; it is backed up by the bucket's own versioning "
    "or replication"
)


class BackupError(Exception):
    """Something an operator must fix; the message says what, without a traceback."""


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    audit_digest: str
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.differences


# --- the figures --------------------------------------------------------------------------


def audit_digest(using: str = DEFAULT_DB_ALIAS) -> str:
    """sha256 over every AuditEvent row in id order, each field in a stable text form."""
    from qualitymonth.core.models import AuditEvent

    names = [f.attname for f in AuditEvent._meta.concrete_fields]
    digest = hashlib.sha256(json.dumps(names).encode() + b"\n")
    rows = AuditEvent.objects.using(using).order_by("id").values_list(*names)
    for row in rows.iterator(chunk_size=2000):
        line = json.dumps(
            row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_stable
        )
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def _stable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def model_tables(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables of every installed model (many-to-many tables included) that exist."""
    existing = set(connections[using].introspection.table_names())
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables & existing)


def row_counts(using: str = DEFAULT_DB_ALIAS, tables: list[str] | None = None) -> dict[str, int]:
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for table in model_tables(using) if tables is None else tables:
            # Raw SQL: a model's default manager may hide rows, the backup holds them all.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app."""
    recorder = MigrationRecorder(connections[using])
    latest = {}
    for app, name in recorder.migration_qs.order_by("applied", "id").values_list("app", "name"):
        latest[app] = name
    return dict(sorted(latest.items()))


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _media_folders() -> dict[str, Path | None]:
    """Archive folder -> local folder, or None when that storage is an object store."""
    folders = {}
    for arcname, alias in MEDIA_FOLDERS.items():
        storage = storages[alias]
        folders[arcname] = (
            Path(storage.location) if isinstance(storage, FileSystemStorage) else None
        )
    return folders


# --- backup -------------------------------------------------------------------------------


def backup_create(*, out: Path, using: str = DEFAULT_DB_ALIAS) -> tuple[Path, dict]:
    """Write the archive to `out` (a file, or a folder to write a dated file into)."""
    out = Path(out)
    if out.is_dir():
        out = out / f"qualitymonth-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
    if not out.parent.is_dir():
        raise BackupError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    engine = _engine(using)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".qm-backup-") as work:
        database_file = Path(work) / DATABASE_FILES[engine]
        with _snapshot(using, engine, database_file):
            manifest = {
                "format": ARCHIVE_FORMAT,
                "created_at": timezone.now().isoformat(),
                "engine": engine,
                "database": DATABASE_FILES[engine],
                "migrations": migration_state(using),
                "counts": row_counts(using),
                "audit_digest": audit_digest(using),
                "media": {},
            }
        folders = _media_folders()
        for arcname, folder in folders.items():
            manifest["media"][arcname] = _folder_summary(folder)
        partial = out.with_name(out.name + ".partial")
        # Owner-only: the archive holds every person's data the platform keeps.
        handle = os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        with handle, tarfile.open(fileobj=handle, mode="w") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.add(database_file, arcname=DATABASE_FILES[engine])
            for arcname, folder in folders.items():
                if folder is not None and folder.is_dir():
                    archive.add(folder, arcname=arcname)
        os.replace(partial, out)
    return out, manifest


@contextlib.contextmanager
def _snapshot(using: str, engine: str, database_file: Path) -> Iterator[None]:
    """Dump the database; the block runs in the same snapshot, so its figures match the dump."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction: it opens its own snapshot.")
    with transaction.atomic(using=using):
        if engine == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={database_file}",
                ],
                connection.settings_dict,
            )
        else:
            # The settings open SQLite transactions IMMEDIATE, so from here no one else writes
            # until the block ends. The copy goes through a second connection: the backup API
            # spins on a source connection that holds a write transaction itself.
            connection.ensure_connection()
            source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
            target = sqlite3.connect(database_file)
            with contextlib.closing(source), contextlib.closing(target):
                source.backup(target)
        yield


def _folder_summary(folder: Path | None) -> dict:
    if folder is None:
        return {"storage": "object store", "note": OBJECT_STORE_NOTE}
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return {
        "storage": "filesystem",
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
    }


def _add_bytes(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """The connection settings as libpq's environment: nothing secret on a command line,
    where any user of the machine can read it in the process list."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(command: list[str], settings_dict: dict) -> None:
    try:
        done = subprocess.run(
            command, env=_pg_env(settings_dict), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")


# --- restore ------------------------------------------------------------------------------


def archive_manifest(path: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """The archive's manifest, once it is known to be a backup this installation can restore."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    try:
        with tarfile.open(path, "r:*") as archive:
            member = archive.getmember(MANIFEST)
            manifest = json.loads(archive.extractfile(member).read())
            names = set(archive.getnames())
    except (tarfile.TarError, KeyError, AttributeError, ValueError, OSError):
        raise BackupError(
            f"{path} is not a qualitymonth backup (a .tar with a manifest.json, made by "
            "`qualitymonth backup`)."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"{path}: the manifest is not one this version can read.")
    engine = _engine(using)
    if manifest.get("engine") != engine:
        raise BackupError(
            f"{path} holds a {manifest.get('engine')} database; this installation runs "
            f"{engine}. Move data between engines with dumpdata/loaddata, not restore."
        )
    if DATABASE_FILES[engine] not in names:
        raise BackupError(f"{path}: the archive has no {DATABASE_FILES[engine]}.")
    return manifest


def backup_restore(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Replace the database and the media folders with the archive's, then check the figures."""
    path = Path(path)
    manifest = archive_manifest(path, using)
    engine = manifest["engine"]
    notes = _newer_migrations(manifest)
    with tarfile.open(path, "r:*") as archive, tempfile.TemporaryDirectory() as work:
        archive.extract(DATABASE_FILES[engine], work, filter="data")
        database_file = Path(work) / DATABASE_FILES[engine]
        connection = connections[using]
        # Let go of our own connection first: it must hold no lock the restore waits for.
        connection.close()
        if engine == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(database_file),
                ],
                connection.settings_dict,
            )
        else:
            _sqlite_restore(database_file, connection.settings_dict["NAME"])
        for arcname, folder in _media_folders().items():
            archived = manifest.get("media", {}).get(arcname, {})
            if archived.get("storage") != "filesystem":
                notes.append(f"{arcname}: {OBJECT_STORE_NOTE}; left as it is.")
            elif folder is None:
                notes.append(
                    f"{arcname}: the archive holds a folder but this installation uses an object "
                    "store; not restored (copy it into the bucket with the store's own tools)."
                )
            else:
                _replace_folder(archive, arcname, folder)
    forgotten = _forget_redis()
    if forgotten:
        notes.append(
            f"Redis: {forgotten} keys of this deployment removed (queues, counters, copies and "
            "cached pages of the database that was replaced)."
        )
    existing = set(connections[using].introspection.table_names())
    counts = row_counts(using, tables=[t for t in manifest["counts"] if t in existing])
    digest = audit_digest(using)
    differences = [
        f"{table}: {expected} rows in the manifest, {counts.get(table, 'no table')} now"
        for table, expected in manifest["counts"].items()
        if counts.get(table) != expected
    ]
    if digest != manifest["audit_digest"]:
        differences.append(
            f"audit digest: {manifest['audit_digest']} in the manifest, {digest} now"
        )
    return RestoreResult(manifest, counts, digest, differences, notes)


def _forget_redis() -> int:
    """What Redis holds describes the database just replaced: queued answers and votes for rows
    that may not exist now (or, with reused ids, other rows), vote totals, account checks, cached
    pages. All of this deployment's keys go (its prefix only; another deployment sharing the
    server keeps its own)."""
    from qualitymonth.core import redis as fast_redis

    client = fast_redis.client()
    if client is None:
        return 0
    removed, batch = 0, []
    for name in client.scan_iter(match=fast_redis.key("*"), count=1000):
        batch.append(name)
        if len(batch) >= 1000:
            removed += client.delete(*batch)
            batch = []
    if batch:
        removed += client.delete(*batch)
    return removed


def _newer_migrations(manifest: dict) -> list[str]:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    installed = {config.label for config in apps.get_app_configs()}
    return [
        f"{app}: the archive's database is at migration {name}, which this code does not have."
        for app, name in manifest.get("migrations", {}).items()
        if app in installed and (app, name) not in known
    ]


def _sqlite_restore(source: Path, target: str) -> None:
    if not target or target == ":memory:" or str(target).startswith("file:"):
        raise BackupError("Restore needs a SQLite database file, not an in-memory database.")
    # The backup API, not a file copy: it writes through SQLite's own locking and its WAL, so
    # another process that still has the file open never reads a half-copied page.
    src, dst = sqlite3.connect(source), sqlite3.connect(target, timeout=20)
    with contextlib.closing(src), contextlib.closing(dst):
        src.backup(dst)


def _replace_folder(archive: tarfile.TarFile, arcname: str, folder: Path) -> None:
    """Make `folder` hold exactly the archive's files under `arcname`."""
    prefix = arcname + "/"
    members = [m for m in archive.getmembers() if m.name.startswith(prefix)]
    folder.mkdir(parents=True, exist_ok=True)
    # Unpack next to the folder first: a broken archive stops before anything is removed.
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=f".{folder.name}-restore-") as work:
        archive.extractall(work, members=members, filter="data")
        unpacked = Path(work, arcname)
        for child in folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        if unpacked.is_dir():
            for child in unpacked.iterdir():
                shutil.move(child, folder / child.name)
