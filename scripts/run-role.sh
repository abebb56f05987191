#!/bin/sh
# Runs one role of the Procfile (release, web, worker, beat): the image's entry point, so the
# container runs exactly the command that `make prod` and PaaS hosts run.
set -eu
cd "$(dirname "$0")/.."
command=$(sed -n "s/^$1: //p" Procfile)
if [ -z "$command" ]; then
  echo "Rôle inconnu : « $1 » (voir Procfile : release, web, worker, beat)." >&2
  exit 64
fi
exec sh -c "exec $command"
