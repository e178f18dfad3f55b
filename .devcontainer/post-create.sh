#!/usr/bin/env bash
# Once, when the dev container is created. The engine outside knows this checkout by its host path
# (COURSE_HOST_WORKSPACE), which compose passes on for bind mounts and reads files through: make that
# path lead here. Then set up as on a laptop (.env with fresh passwords, .venv, the compiler it needs).
set -euo pipefail
here=$(pwd -P)
host=${COURSE_HOST_WORKSPACE:-}
if [ -n "$host" ] && [ "$host" != "$here" ] && [ ! -e "$host" ]; then
  mkdir -p "$(dirname "$host")"
  ln -s "$here" "$host"
fi
./course setup
