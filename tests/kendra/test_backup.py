"""The backup script's dump restores into a fresh database with the data in it; it is
written 0600, can be encrypted to a public key, and the password never is in argv."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

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
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
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


def _url():
    cfg = connection.settings_dict
    host, port = cfg["HOST"] or "127.0.0.1", cfg["PORT"] or 5432
    return f"postgres://{cfg['USER'] or 'postgres'}@{host}:{port}/{cfg['NAME']}"


def test_the_password_is_not_on_pg_dumps_command_line(tmp_path):
    """pg_dump and pg_restore stand-ins record what they were given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("pg_dump", "pg_restore"):
        script = bin_dir / tool
        script.write_text(
            "#!/usr/bin/env bash\n"
            f'echo "{tool} $*" >> "$SEEN"\n'
            f'echo "{tool} env $PGUSER $PGPASSWORD $PGHOST $PGPORT $PGDATABASE" >> "$SEEN"\n'
            'for a in "$@"; do [[ $a == --file=* ]] && echo dump > "${a#--file=}"; done\n'
            "exit 0\n"
        )
        script.chmod(0o755)
    seen = tmp_path / "seen.txt"
    backups = tmp_path / "backups"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "SEEN": str(seen),
        "DATABASE_URL": "postgres://kendra:s3cret%40pw@db.internal:5433/kendra",
        "BACKUP_DIR": str(backups),
    }
    subprocess.run(["deploy/backup.sh"], env=env, check=True, capture_output=True, timeout=60)
    lines = seen.read_text().splitlines()
    argv = [line for line in lines if " env " not in line]
    assert argv and all("s3cret" not in line and "postgres://" not in line for line in argv)
    assert "pg_dump env kendra s3cret@pw db.internal 5433 kendra" in lines
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    (dump,) = backups.glob("kendra-*.dump")
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600


@pytest.mark.skipif(not shutil.which("gpg"), reason="needs gpg on PATH for the encryption test")
def test_a_backup_encrypted_to_a_public_key_leaves_no_plain_copy(
    transactional_db, centre, tmp_path
):
    ResidentFactory(centre=centre, full_name="Encrypted Proof")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    gpg_env = {**os.environ, "GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Kendra Backup <backup@kendra.test>",
        ]
        + ["default", "default", "never"],
        env=gpg_env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    backups = tmp_path / "backups"
    env = {
        **gpg_env,
        "DATABASE_URL": _url(),
        "BACKUP_DIR": str(backups),
        "BACKUP_ENCRYPT_TO": "backup@kendra.test",
    }
    subprocess.run(["deploy/backup.sh"], env=env, check=True, capture_output=True, timeout=120)
    assert not list(backups.glob("kendra-*.dump")), "no plain copy is kept"
    (encrypted,) = backups.glob("kendra-*.dump.gpg")
    assert stat.S_IMODE(encrypted.stat().st_mode) == 0o600
    assert b"Encrypted Proof" not in encrypted.read_bytes()
    plain = tmp_path / "restored.dump"
    subprocess.run(
        ["gpg", "--batch", "--decrypt", "--output", str(plain), str(encrypted)],
        env=gpg_env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    listing = subprocess.run(
        ["pg_restore", "--list", str(plain)], check=True, capture_output=True, text=True
    ).stdout
    assert "kendra_resident" in listing
    assert Path(plain).stat().st_size > 0
