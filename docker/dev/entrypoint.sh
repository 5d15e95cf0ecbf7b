#!/bin/bash
# Dev container entrypoint (docker-compose.dev.yml): starts as root, takes the uid and gid that own the
# bind-mounted checkout (/workspace) and runs the command (dev-run.sh) as them, so whatever it writes
# (target/, the m2 volume) belongs to the checkout's owner: uid 1000, root or any other, no .env needed.
# Started as non-root already (compose `user:` or docker run -u): runs the command as that user.
set -euo pipefail
ws=${WORKSPACE:-/workspace}
[ -d "$ws" ] || { echo "dev: $ws is not mounted: run from the repository root with docker-compose.dev.yml" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then exec "$@"; fi

uid=$(stat -c %u "$ws") gid=$(stat -c %g "$ws")
# The m2 volume outlives the container: hand it to this owner if another owner (or root) filled it.
m2=${HOME:-/home/dev}/.m2
if [ -d "$m2" ] && [ "$(stat -c %u:%g "$m2")" != "$uid:$gid" ]; then
  chown -R "$uid:$gid" "$m2"
fi
if [ "$uid" = 0 ]; then
  echo "dev: /workspace is owned by root: running as root"
  exec "$@"
fi
echo "dev: /workspace is owned by uid $uid gid $gid: running as them"
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"
