"""The backup script's dump restores into a fresh database with the data in it."""

import os
import shutil
import subprocess

import pytest
from django.db import connection

from tests.factories import ResidentFactory

pytestmark = pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump on PATH")


def test_backup_restores(transactional_db, centre, tmp_path):
    ResidentFactory(centre=centre, full_name="Backup Proof")
    cfg = connection.settings_dict
    url = (
        f"postgres://{cfg['USER'] or 'postgres'}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}"
    )
    env = {**os.environ, "DATABASE_URL": f"{url}/{cfg['NAME']}", "BACKUP_DIR": str(tmp_path)}
    subprocess.run(["deploy/backup.sh"], env=env, check=True, capture_output=True, timeout=120)
    dump = next(tmp_path.glob("kendra-*.dump"))
    restored = f"{cfg['NAME']}_restored"
    subprocess.run(
        ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", restored], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={url}/{restored}", str(dump)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        out = subprocess.run(
            ["psql", f"{url}/{restored}", "-tAc", "select full_name from kendra_resident"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "Backup Proof" in out
    finally:
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", restored])
