#!/bin/bash
# CI-only stand-in for the official mongo image's entrypoint, written for the course from its documentation:
# - MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD (both or neither) create a root user in admin,
#   and then the server always runs with authentication;
# - on an empty /data/db only: /docker-entrypoint-initdb.d/*.js (with mongosh, against MONGO_INITDB_DATABASE,
#   default test) and *.sh (run if executable, else sourced), once, against a temporary server on 127.0.0.1
#   started WITHOUT --replSet and --keyFile;
# - then `mongod ARGS` as given (e.g. --replSet rs0 --keyFile FILE --bind_ip_all); started as root it drops to
#   the mongodb user (uid 999).
set -Eeuo pipefail

[ "${1:0:1}" = - ] && set -- mongod "$@"

if [ "$1" = mongod ] && [ "$(id -u)" = 0 ]; then
  find /data/db /data/configdb \! -user mongodb -exec chown mongodb:mongodb {} +
  HOME=/data/db exec setpriv --reuid=mongodb --regid=mongodb --init-groups "$BASH_SOURCE" "$@"
fi

if [ "$1" = mongod ]; then
  user=${MONGO_INITDB_ROOT_USERNAME:-} password=${MONGO_INITDB_ROOT_PASSWORD:-}
  if [[ -n $user && -z $password || -z $user && -n $password ]]; then
    echo "error: set both MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD, or neither" >&2
    exit 1
  fi
  if [ -z "$(ls -A /data/db)" ]; then
    # the temporary server: the same port and data folder, loopback only, no --replSet or --keyFile, no auth
    mongod --bind_ip 127.0.0.1 --port 27017 --dbpath /data/db &
    pid=$!
    # readiness and the root user through PyMongo (beside SecantusDB): mongosh takes seconds to start
    /opt/secantus/bin/python - <<'PY'
import os
from pymongo import MongoClient
client = MongoClient("127.0.0.1", 27017, directConnection=True, serverSelectionTimeoutMS=60000)
client.admin.command("ping")
if os.environ.get("MONGO_INITDB_ROOT_USERNAME"):
    client.admin.command("createUser", os.environ["MONGO_INITDB_ROOT_USERNAME"],
                         pwd=os.environ["MONGO_INITDB_ROOT_PASSWORD"], roles=[{"role": "root", "db": "admin"}])
PY
    shell=(mongosh --quiet --host 127.0.0.1 --port 27017)
    [ -n "$user" ] && shell+=(--username="$user" --password="$password" --authenticationDatabase=admin)  # one word each: a value may begin with "-"
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh) if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
        *.js) echo "$0: running $f"; "${shell[@]}" "${MONGO_INITDB_DATABASE:-test}" "$f" ;;
        *) [ -e "$f" ] && echo "$0: ignoring $f" ;;
      esac
    done
    kill -TERM "$pid"
    wait "$pid" || true
    echo "$0: MongoDB init process complete; ready for start up."
  fi
  # with a root user the server requires authentication, as the official image arranges
  if [ -n "$user" ] && [[ " $* " != *" --auth "* ]] && [[ " $* " != *" --keyFile "* ]]; then
    set -- "$@" --auth
  fi
fi

exec "$@"
