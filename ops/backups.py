"""Backups that restore: the database and the stored files in one archive, checked on restore.

Order matters: the database is dumped first and the files copied after, so every file a row of
the dump refers to is in the archive (files are content-addressed and only ever added while a
backup runs; a file added after the dump is harmless). The archive is a plain tar:

    manifest.json    when, which database engine, sha256 and size of the two parts
    database.dump    pg_dump custom format (PostgreSQL) or a SQLite backup copy
    media.tar        MEDIA_ROOT as it was after the dump

Signing keys, trust roots and .env are secrets and configuration, not data: they are backed up
separately (docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_and_url() -> tuple[dict, str]:
    db = settings.DATABASES["default"]
    env = {"PGPASSWORD": str(db.get("PASSWORD") or "")}
    url = (
        f"postgresql://{db.get('USER') or ''}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )
    return env, url


def _run(cmd: list[str], env: dict) -> None:
    # A fixed pg_dump/pg_restore argument list, no shell: nothing a user typed reaches it.
    done = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {done.stderr.strip()[-2000:]}")


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def _dump_database(target: Path) -> None:
    if _engine() == "postgresql":
        env, url = _pg_env_and_url()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", "-f", str(target), url], env)
    elif _engine() == "sqlite":
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with sqlite3.connect(target) as dest:
            source.backup(dest)
        source.close()
    else:  # pragma: no cover - the two engines the project supports
        raise BackupError(f"unsupported database {connection.vendor}")


def _media_root() -> Path:
    if getattr(settings, "USE_S3", False):
        raise BackupError(
            "Files are in object storage: back the bucket up with its own versioning or "
            "replication (docs/deploy.md); this command covers local MEDIA_ROOT."
        )
    return Path(settings.MEDIA_ROOT)


def create_backup(directory: Path) -> Path:
    """Write one archive into ``directory`` and return its path."""
    media = _media_root()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        work = Path(tmp)
        dump, files = work / "database.dump", work / "media.tar"
        _dump_database(dump)
        with tarfile.open(files, "w") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": _engine(),
            "parts": {
                part.name: {"sha256": _sha256(part), "bytes": part.stat().st_size}
                for part in (dump, files)
            },
        }
        archive = directory / f"pccc-backup-{stamp}.tar"
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            tar.add(files, arcname=files.name)
        # A crash never leaves a half-written file under the final name.
        partial.rename(archive)
    return archive


@dataclass
class RestoreResult:
    records: int
    files: int


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_backup(archive: Path) -> RestoreResult:
    """Restore into an EMPTY database and an empty MEDIA_ROOT; refuses anything else."""
    media = _media_root()
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore into a new, empty database")
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"MEDIA_ROOT {media} is not empty")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')}")
        for name, part in manifest["parts"].items():
            if _sha256(work / name) != part["sha256"]:
                raise BackupError(f"{name} does not match its checksum: the archive is damaged")
        if manifest["engine"] != _engine():
            raise BackupError(f"backup of {manifest['engine']}, database is {_engine()}")
        if _engine() == "postgresql":
            env, url = _pg_env_and_url()
            _run(
                ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "-d", url,
                 str(work / "database.dump")],
                env,
            )  # fmt: skip
        else:
            connection.close()
            shutil.copyfile(work / "database.dump", settings.DATABASES["default"]["NAME"])
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(work / "media.tar") as tar:
            members = [m for m in tar.getmembers() if m.name.startswith("media/")]
            for member in members:
                member.name = member.name.removeprefix("media/")
            tar.extractall(media, members=[m for m in members if m.name], filter="data")
        files = sum(1 for p in media.rglob("*") if p.is_file())
    connection.close()
    return RestoreResult(records=_count_records(), files=files)


def _count_records() -> int:
    from inspections.models import Report

    return Report.objects.filter(status=Report.Status.READY).count()


def unverifiable_records() -> list[str]:
    """Verification codes of ready records whose file is missing, altered or not trusted."""
    from inspections.models import Report
    from inspections.services.reports import verify_upload

    problems = []
    for report in Report.objects.filter(status=Report.Status.READY).iterator():
        try:
            with report.file.open("rb") as fh:
                data = fh.read()
        except (OSError, ValueError):
            problems.append(f"{report.verification_code}: file missing")
            continue
        verdict = verify_upload(data)
        if verdict.verdict != "valid" or verdict.report is None or verdict.report.pk != report.pk:
            problems.append(f"{report.verification_code}: {verdict.verdict}")
    return problems
