#!/bin/bash
# Provision the course's MariaDB database and user (least privilege: that database only).
# One script for both paths: the mariadb image runs it from /docker-entrypoint-initdb.d,
# and `./course services up` runs it natively with MARIADB_CLIENT set.
set -euo pipefail
client=${MARIADB_CLIENT:-mariadb -uroot -p${MARIADB_ROOT_PASSWORD}}
q() { printf "%s" "${1//\'/\'\'}"; }   # escape for a single-quoted SQL string
$client <<SQL
CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$(q "$MARIADB_USER")'@'%' IDENTIFIED BY '$(q "$MARIADB_PASSWORD")';
GRANT ALL PRIVILEGES ON \`${MARIADB_DATABASE}\`.* TO '$(q "$MARIADB_USER")'@'%';
-- Django's test runner creates test_<name>; allow exactly that one too.
GRANT ALL PRIVILEGES ON \`test\\_${MARIADB_DATABASE}\`.* TO '$(q "$MARIADB_USER")'@'%';
SQL
