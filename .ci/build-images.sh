#!/usr/bin/env bash
# CI step: builds every service's container image with podman (deploy/images/build.sh: the local Debian base,
# then the five images, one progress line each with its time), for deploy/test/images.test.ts and
# stack.test.ts. Installs podman, runc, debootstrap, and the network stack the stack test's podman network uses
# (netavark, with aardvark-dns for container names, iptables for published ports), and shellcheck (the deploy
# tests run it, and actionlint runs it on the release workflow's scripts), with apt-get when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }
missing=()
have podman || missing+=(podman)
have runc || missing+=(runc)
have debootstrap || missing+=(debootstrap)
[ -x /usr/lib/podman/netavark ] || missing+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || missing+=(aardvark-dns)
have iptables || missing+=(iptables)
have shellcheck || missing+=(shellcheck)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    echo "installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "missing ${missing[*]}: install them (Debian: apt-get install -y ${missing[*]}) and re-run" >&2
    exit 1
  fi
fi

start=$SECONDS
bash deploy/images/build.sh
echo "images: built in $((SECONDS - start))s"
