#!/bin/bash
# CI-only stand-in for the official mariadb image's healthcheck.sh: the tests docker-compose.yml uses.
#   --connect              the server accepts a TCP connection from the healthcheck user (not so during
#                          initialisation, when networking is off)
#   --innodb_initialized   InnoDB has finished starting
# Every test given must pass; an unknown one is an error. Credentials: /var/lib/mysql/.my-healthcheck.cnf.
set -uo pipefail
CNF=/var/lib/mysql/.my-healthcheck.cnf
[ $# -gt 0 ] || { echo "healthcheck.sh: name at least one test (--connect, --innodb_initialized)" >&2; exit 1; }
[ -r "$CNF" ] || { echo "healthcheck.sh: $CNF is missing (initialisation not finished?)" >&2; exit 1; }
client() { mariadb --defaults-extra-file="$CNF" --host=127.0.0.1 --protocol=tcp --skip-column-names --batch "$@"; }
for test in "$@"; do
  case "$test" in
    --connect) client -e 'SELECT 1' >/dev/null || { echo "healthcheck.sh: cannot connect" >&2; exit 1; } ;;
    --innodb_initialized)
      [ "$(client -e "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'InnoDB' AND support IN ('YES', 'DEFAULT', 'ENABLED')")" = 1 ] \
        || { echo "healthcheck.sh: InnoDB is not initialized" >&2; exit 1; } ;;
    --su-mysql|--no-defaults) ;;   # accepted for compatibility; this check always runs as the caller
    *) echo "healthcheck.sh: unknown test $test" >&2; exit 1 ;;
  esac
done
