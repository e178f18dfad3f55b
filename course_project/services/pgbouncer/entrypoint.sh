#!/bin/bash
# Compose only: render pgbouncer.ini (the template the native backend also uses), then run in the foreground.
set -euo pipefail
export LISTEN_ADDR=0.0.0.0 LISTEN_PORT=6432 UPSTREAM_HOST=postgres UPSTREAM_PORT=5432
export PIDFILE=/tmp/pgbouncer.pid LOGFILE=/tmp/pgbouncer.log AUTH_FILE=/tmp/userlist.txt
printf '"%s" "%s"\n' "$COURSE_PGBOUNCER_AUTH_USER" "$COURSE_PGBOUNCER_AUTH_PASSWORD" > "$AUTH_FILE"
chmod 600 "$AUTH_FILE"
envsubst '${LISTEN_ADDR} ${LISTEN_PORT} ${UPSTREAM_HOST} ${UPSTREAM_PORT} ${PIDFILE} ${LOGFILE} ${AUTH_FILE} ${COURSE_PGBOUNCER_AUTH_USER}' \
  < /etc/course/pgbouncer.ini > /tmp/pgbouncer.ini
exec pgbouncer /tmp/pgbouncer.ini
