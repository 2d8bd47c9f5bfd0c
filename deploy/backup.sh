#!/usr/bin/env bash
# Nightly PostgreSQL backup, kept 30 days. Cron: 30 1 * * * /srv/kendra/app/deploy/backup.sh
# Restore (tested by tests/kendra/test_backup.py):
#   createdb kendra_restored && pg_restore --no-owner --dbname=kendra_restored FILE.dump
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
DIR=${BACKUP_DIR:-/var/backups/kendra}
mkdir -p "$DIR"
FILE="$DIR/kendra-$(date +%Y%m%d-%H%M).dump"
pg_dump --format=custom --no-owner --file="$FILE" "$DATABASE_URL"
pg_restore --list "$FILE" >/dev/null   # a dump that cannot be listed is not a backup
find "$DIR" -name 'kendra-*.dump' -mtime +30 -delete
echo "backup written: $FILE"
