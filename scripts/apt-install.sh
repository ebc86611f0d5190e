#!/usr/bin/env bash
# Install Debian packages, waiting for another apt (a boot-time upgrade, a parallel install)
# to let go of its lock rather than failing at once:   scripts/apt-install.sh PACKAGE...
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
wait_lock=(-o DPkg::Lock::Timeout=600)
for attempt in 1 2 3 4 5; do
    if $sudo apt-get "${wait_lock[@]}" update \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${wait_lock[@]}" install -y "$@"; then
        exit 0
    fi
    echo "apt-install: attempt $attempt failed; trying again in $((attempt * 15)) s" >&2
    sleep $((attempt * 15))
done
exit 1
