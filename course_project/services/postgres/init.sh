#!/bin/bash
# Provision the course's PostgreSQL roles, databases and extensions on a new primary.
# One script for both paths: the postgres image runs it from /docker-entrypoint-initdb.d,
# and `./course services up` runs it natively. psql connects as the superuser through
# PGHOST/PGPORT; names and passwords come from the COURSE_* variables.
set -euo pipefail
su_psql() { psql -v ON_ERROR_STOP=1 --no-psqlrc -q --username "${PGUSER:-postgres}" "$@"; }

su_psql -d postgres \
  -v app_user="$COURSE_USER" -v app_password="$COURSE_PASSWORD" \
  -v db="$COURSE_DB" -v analytics_db="$COURSE_ANALYTICS_DB" \
  -v repl_user="$COURSE_REPLICATION_USER" -v repl_password="$COURSE_REPLICATION_PASSWORD" \
  -v auth_user="$COURSE_PGBOUNCER_AUTH_USER" -v auth_password="$COURSE_PGBOUNCER_AUTH_PASSWORD" <<'SQL'
-- The application role owns its databases (so it can migrate) and may create test databases.
CREATE ROLE :"app_user" LOGIN CREATEDB PASSWORD :'app_password';
CREATE DATABASE :"db" OWNER :"app_user";
CREATE DATABASE :"analytics_db" OWNER :"app_user";
-- Streaming replication only: no access to any database.
CREATE ROLE :"repl_user" LOGIN REPLICATION PASSWORD :'repl_password';
-- pgBouncer looks passwords up through a SECURITY DEFINER function, nothing more.
CREATE ROLE :"auth_user" LOGIN PASSWORD :'auth_password';
-- Lets the app role read replication lag in pg_stat_replication (notebook 05).
GRANT pg_monitor TO :"app_user";
SQL

# pgBouncer 1.18 has no auth_dbname: the lookup function must exist in every database
# clients reach through it (template1 covers databases created later, such as test_*).
for db in template1 postgres "$COURSE_DB" "$COURSE_ANALYTICS_DB"; do
  su_psql -d "$db" -v auth_user="$COURSE_PGBOUNCER_AUTH_USER" <<'SQL'
CREATE SCHEMA IF NOT EXISTS pgbouncer AUTHORIZATION :"auth_user";
CREATE OR REPLACE FUNCTION pgbouncer.user_lookup(i_username text, OUT uname text, OUT phash text)
RETURNS record LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS
$$ SELECT usename::text, passwd::text FROM pg_catalog.pg_shadow WHERE usename = i_username $$;
REVOKE ALL ON FUNCTION pgbouncer.user_lookup(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pgbouncer.user_lookup(text) TO :"auth_user";
SQL
done

# Extensions the lessons use (all trusted in PostgreSQL 15, created here once).
for db in template1 "$COURSE_DB" "$COURSE_ANALYTICS_DB"; do
  su_psql -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;"
done

# Compose only: the server settings file is mounted, not written into the data folder.
if [ -n "${COURSE_INCLUDE_CONF:-}" ]; then
  echo "include '$COURSE_INCLUDE_CONF'" >> "$PGDATA/postgresql.conf"
fi
# Compose only: the replica connects from another container, not from 127.0.0.1.
if [ -n "${COURSE_HBA_REPLICATION:-}" ]; then
  echo "host replication $COURSE_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
