#!/bin/bash
# Compose only: clone the primary with pg_basebackup -R on first start, then run as a standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h postgres -p 5432; do sleep 1; done
  PGPASSWORD="$COURSE_REPLICATION_PASSWORD" pg_basebackup -h postgres -p 5432 \
    -U "$COURSE_REPLICATION_USER" -D "$PGDATA" -R -X stream -c fast -C -S replica1
fi
exec postgres -D "$PGDATA"
