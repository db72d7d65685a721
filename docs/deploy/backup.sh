#!/bin/sh
# Nightly backup of Kring's database: one compressed pg_dump per night, the last
# KRING_BACKUP_KEEP_DAYS (14) kept. Run from cron as a user that may read the database:
#   15 2 * * *  DATABASE_URL=postgres://kring@db.internal/kring /srv/kring/docs/deploy/backup.sh
# Restore drill: docs/deploy.md, "Backups and restore". Tested by tests/deploy/.
set -eu

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://kring@db.internal:5432/kring}"
dir="${KRING_BACKUP_DIR:-/var/backups/kring}"
keep_days="${KRING_BACKUP_KEEP_DAYS:-14}"

mkdir -p "$dir"
umask 077  # a dump holds every post and account: readable by its owner only
file="$dir/kring-$(date +%Y%m%d-%H%M%S).dump"
trap 'rm -f "$file.part"' EXIT  # a failed dump leaves nothing behind

# Custom format: compressed, and pg_restore can restore all or part of it.
pg_dump --format=custom --no-owner --file="$file.part" --dbname="$DATABASE_URL"
mv "$file.part" "$file"  # only a complete dump gets a .dump name

# Retention only after a good dump, so a failing pg_dump never empties the folder.
find "$dir" -maxdepth 1 -name 'kring-*.dump' -mtime +"$keep_days" -delete
echo "$file"
