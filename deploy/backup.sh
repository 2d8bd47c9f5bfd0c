#!/usr/bin/env bash
# Nightly PostgreSQL backup, kept 30 days. Cron: 30 1 * * * /srv/kendra/app/deploy/backup.sh
# (with DATABASE_URL=… on its own line of that crontab, or PGPASSFILE: see below)
# Restore (tested by tests/kendra/test_backup.py):
#   createdb kendra_restored && pg_restore --no-owner --dbname=kendra_restored FILE.dump
#
# Environment (e.g. EnvironmentFile=/etc/kendra/kendra.env, or exported by cron):
#   DATABASE_URL       postgres://user:password@host:port/name — read here and handed to
#                      pg_dump as PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE, never on its
#                      command line (which every user of the machine can read in `ps`).
#                      Or leave it unset and give the PG* variables yourself, e.g. PGPASSFILE
#                      pointing at a 0600 ~/.pgpass.
#   BACKUP_DIR         where dumps go (default /var/backups/kendra), created 0700.
#   BACKUP_ENCRYPT_TO  optional: encrypt each dump to this public key and keep no plain copy.
#                      An age recipient (age1…) uses `age`; anything else is a gpg key id or
#                      email in the keyring of the user running the script (`gpg --import`).
#                      Decrypt to restore:  gpg --decrypt FILE.dump.gpg > FILE.dump
#                                      or:  age --decrypt -i key.txt FILE.dump.age > FILE.dump
# Every file is written with mode 0600 (umask 077): a dump holds every resident's record.
set -euo pipefail
umask 077

if [[ -n "${DATABASE_URL:-}" ]]; then
    # Parsed from the environment by Python (not from argv), percent-escapes decoded.
    eval "$(python3 - <<'PY'
import os, shlex
from urllib.parse import unquote, urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
parts = {
    "PGHOST": url.hostname or "",
    "PGPORT": str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": unquote(url.path.lstrip("/")),
}
for name, value in parts.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
PY
)"
    unset DATABASE_URL
fi
: "${PGDATABASE:?set DATABASE_URL, or PGDATABASE with PGHOST/PGUSER and PGPASSFILE}"

DIR=${BACKUP_DIR:-/var/backups/kendra}
mkdir -p -m 0700 "$DIR"
FILE="$DIR/kendra-$(date +%Y%m%d-%H%M).dump"
pg_dump --format=custom --no-owner --file="$FILE"
pg_restore --list "$FILE" >/dev/null   # a dump that cannot be listed is not a backup

if [[ -n "${BACKUP_ENCRYPT_TO:-}" ]]; then
    if [[ "$BACKUP_ENCRYPT_TO" == age1* ]]; then
        age --encrypt --recipient "$BACKUP_ENCRYPT_TO" --output "$FILE.age" "$FILE"
        OUT="$FILE.age"
    else
        gpg --batch --yes --trust-model always --encrypt \
            --recipient "$BACKUP_ENCRYPT_TO" --output "$FILE.gpg" "$FILE"
        OUT="$FILE.gpg"
    fi
    rm -f -- "$FILE"
    FILE=$OUT
fi
chmod 0600 "$FILE"

find "$DIR" \( -name 'kendra-*.dump' -o -name 'kendra-*.dump.gpg' -o -name 'kendra-*.dump.age' \) \
    -mtime +30 -delete
echo "backup written: $FILE"
