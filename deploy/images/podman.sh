#!/usr/bin/env bash
# Runs podman with a containers.conf that works on this machine, then the arguments given:
#   deploy/images/podman.sh images        deploy/images/podman.sh run --rm flightdeck/gateway --help
# Podman's default ulimits for root (nofile 1048576) exceed the hard limits of some machines, and runc fails to
# start a container then ("error setting rlimits"); the generated file keeps them within this process's hard
# limits (nproc also within kernel.pid_max: runc was refused any higher value here) and picks runc when it is
# installed. A CONTAINERS_CONF already set is used as it is.
set -euo pipefail

if [ -z "${CONTAINERS_CONF:-}" ]; then
  dir="${TMPDIR:-/tmp}/flightdeck-podman-$(id -u)"
  mkdir -p "$dir"
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then nproc=$pid_max; fi
  conf="$dir/containers.conf"
  {
    echo '[containers]'
    echo "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
    if command -v runc >/dev/null 2>&1; then
      echo '[engine]'
      echo 'runtime = "runc"'
    fi
  } >"$conf.$$"
  mv "$conf.$$" "$conf"
  export CONTAINERS_CONF="$conf"
fi

exec podman "$@"
