"""A backup restored into an empty database: every signed record still verifies at /verify/.

Run with DATABASE_URL=postgres://... (skipped on SQLite, a failure under CI=true): the restore
runs in other processes against a new database, as an operator would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from inspections.services.reports import generate_report
from tests.signing_fixtures import PASSPHRASE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]

CHECK_VERIFY_PAGES = """
import sys
from django.test import Client
from inspections.models import Report
client = Client()
for report in Report.objects.filter(status="ready"):
    page = client.get(f"/verify/{report.verification_code}/")
    with report.file.open("rb") as fh:
        upload = client.post("/verify/", {"file": fh})
    print(report.verification_code, page.status_code, upload.status_code,
          report.verification_code in upload.content.decode())
"""


@pytest.fixture
def empty_database(require_postgres):
    db = settings.DATABASES["default"]
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    name = f"pccc_restore_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_backup_restores_into_an_empty_database_with_every_record_verifiable(
    submitted, media, signing_settings, empty_database, tmp_path
):
    report = generate_report(submitted.pk)
    assert report.status == "ready"

    call_command("backup", dir=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("pccc-backup-*.tar")
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump", "media.tar"} <= set(tar.getnames())

    restored_media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": empty_database,
        "MEDIA_ROOT": str(restored_media),
        "PCCC_VAR_DIR": str(tmp_path / "var"),
        "SIGNING_P12_PATH": str(signing_settings["p12"]),
        "SIGNING_P12_PASSPHRASE": PASSPHRASE,
        "SIGNING_TRUST_ROOTS": str(signing_settings["ca"]),
        "REDIS_URL": "",
    }
    restored = _manage("restore_backup", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "restored 1 signed records" in restored.stdout
    assert (restored_media / report.file.name).read_bytes() == Path(report.file.path).read_bytes()

    pages = _manage("shell", "-c", CHECK_VERIFY_PAGES, env=env)
    assert pages.returncode == 0, pages.stderr
    assert pages.stdout.splitlines()[-1].split() == [report.verification_code, "200", "200", "True"]

    # A second restore over the restored data is refused: a backup never overwrites a database.
    again = _manage("restore_backup", str(archive), env=env)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_restore_refuses_a_damaged_archive(submitted, media, empty_database, tmp_path):
    call_command("backup", dir=str(tmp_path))
    (archive,) = tmp_path.glob("pccc-backup-*.tar")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "parts", filter="data")
    dump = tmp_path / "parts" / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as tar:
        for name in ("manifest.json", "database.dump", "media.tar"):
            tar.add(tmp_path / "parts" / name, arcname=name)
    env = {**os.environ, "DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "m"),
           "REDIS_URL": ""}  # fmt: skip
    result = _manage("restore_backup", str(damaged), env=env)
    assert result.returncode != 0
    assert "database.dump does not match its checksum" in result.stderr
