#!/bin/bash
# CI-only stand-in for the official mariadb image's entrypoint, written for the course from its documentation:
# - MARIADB_ROOT_PASSWORD (or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD / MARIADB_RANDOM_ROOT_PASSWORD), MARIADB_DATABASE,
#   MARIADB_USER, MARIADB_PASSWORD, MARIADB_ROOT_HOST (default %); the MYSQL_* names are accepted too;
# - on an empty data folder only: system tables, time zones, root, the `healthcheck` user and
#   /var/lib/mysql/.my-healthcheck.cnf (read by healthcheck.sh), the database and user; then
#   /docker-entrypoint-initdb.d/*.sh (run if executable, else sourced), *.sql and *.sql.gz, once, against a
#   temporary server with networking off (Unix socket only);
# - then the real server; /etc/mysql/conf.d/*.cnf is read; started as root it drops to `mysql`.
set -Eeuo pipefail

[ "${1:0:1}" = - ] && set -- mariadbd "$@"
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

if [[ "$1" = mariadbd || "$1" = mysqld ]] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$DATADIR" /run/mysqld
  find "$DATADIR" /run/mysqld \! -user mysql -exec chown mysql:mysql {} +
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH_SOURCE" "$@"
fi

for name in ROOT_PASSWORD ALLOW_EMPTY_ROOT_PASSWORD RANDOM_ROOT_PASSWORD ROOT_HOST DATABASE USER PASSWORD; do
  mysql_name=MYSQL_$name maria_name=MARIADB_$name
  [ -n "${!maria_name:-}" ] || export "$maria_name=${!mysql_name:-}"
done
: "${MARIADB_ROOT_HOST:=%}"

sql_quote() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }
sql() { mariadb --protocol=socket --socket="$SOCKET" -uroot "$@"; }   # root, before its password is set

init_files() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
      *.sql) echo "$0: running $f"; sql -p"$MARIADB_ROOT_PASSWORD" "${MARIADB_DATABASE:-mysql}" < "$f" ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | sql -p"$MARIADB_ROOT_PASSWORD" "${MARIADB_DATABASE:-mysql}" ;;
      *) [ -e "$f" ] && echo "$0: ignoring $f" ;;
    esac
  done
}

initialize() {
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    echo "error: the database is uninitialized and none of MARIADB_ROOT_PASSWORD," \
         "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, MARIADB_RANDOM_ROOT_PASSWORD is set" >&2
    exit 1
  fi
  if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    MARIADB_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    export MARIADB_ROOT_PASSWORD
    echo "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
  fi
  echo "$0: initializing the data folder"
  mariadb-install-db --datadir="$DATADIR" --skip-test-db --auth-root-authentication-method=normal \
    --skip-name-resolve --default-time-zone=SYSTEM >/dev/null
  mariadbd --skip-networking --socket="$SOCKET" --default-time-zone=SYSTEM --skip-log-bin &
  local pid=$!
  for _ in $(seq 300); do
    mariadb-admin --socket="$SOCKET" -uroot ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "error: the temporary server exited" >&2; exit 1; }
    sleep 0.1
  done
  mariadb-tzinfo-to-sql /usr/share/zoneinfo 2>/dev/null | sql mysql

  local root_pw health_pw
  root_pw=$(sql_quote "$MARIADB_ROOT_PASSWORD")
  health_pw=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.global_priv WHERE user = '' OR (user = 'root' AND host NOT IN ('localhost'));"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root_pw;"
    if [ "$MARIADB_ROOT_HOST" != localhost ]; then
      echo "CREATE USER 'root'@$(sql_quote "$MARIADB_ROOT_HOST") IDENTIFIED BY $root_pw;"
      echo "GRANT ALL ON *.* TO 'root'@$(sql_quote "$MARIADB_ROOT_HOST") WITH GRANT OPTION;"
      echo "GRANT PROXY ON ''@'%' TO 'root'@$(sql_quote "$MARIADB_ROOT_HOST") WITH GRANT OPTION;"
    fi
    # healthcheck.sh logs in as this user, which may do nothing but connect
    for host in 127.0.0.1 ::1 localhost; do
      echo "CREATE USER 'healthcheck'@'$host' IDENTIFIED BY '$health_pw';"
    done
    if [ -n "$MARIADB_DATABASE" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE//\`/\`\`}\`;"
    fi
    if [ -n "$MARIADB_USER" ]; then
      echo "CREATE USER $(sql_quote "$MARIADB_USER")@'%' IDENTIFIED BY $(sql_quote "$MARIADB_PASSWORD");"
      [ -n "$MARIADB_DATABASE" ] && \
        echo "GRANT ALL ON \`${MARIADB_DATABASE//\`/\`\`}\`.* TO $(sql_quote "$MARIADB_USER")@'%';"
    fi
    echo "FLUSH PRIVILEGES;"
  } | sql mysql
  (umask 077; printf '[client]\nport=3306\nsocket=%s\nuser=healthcheck\npassword=%s\n' \
     "$SOCKET" "$health_pw" > "$DATADIR/.my-healthcheck.cnf")

  init_files
  kill -TERM "$pid"
  wait "$pid" || true
  echo "$0: MariaDB init process complete; ready for start up."
}

if [[ "$1" = mariadbd || "$1" = mysqld ]] && [ ! -d "$DATADIR/mysql" ]; then
  initialize
fi

exec "$@"
