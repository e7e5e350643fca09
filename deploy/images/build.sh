#!/usr/bin/env bash
# Builds the container images of the services with podman, from deploy/Dockerfile, one progress line per step.
#
#   deploy/images/build.sh [options] [service ...]     (services: gateway planning gates deployment analytics; default all)
#     --base-image IMAGE   base of every image; default: the local base built (or reused) by deploy/images/base.sh
#     --prefix NAME        image names are NAME/<service> (default localhost/flightdeck)
#     --tag TAG            image tag (default latest)
#     -h, --help           this help
#
# Podman's layer cache is used when present: the shared build stage (npm ci, then bundling all five services) is
# built once and every image reuses it. npm inside the build gets this machine's CA bundle (npm's cafile, else
# /etc/ssl/certs/ca-certificates.crt) as the build secret `npm-ca`, which no layer keeps. Full logs: tmp/images/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
podman() { "$here/podman.sh" "$@"; }

all_services=(gateway planning gates deployment analytics)
services=()
base=""
prefix=localhost/flightdeck
tag=latest
usage() { sed -n '2,13s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --base-image | --prefix | --tag)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "images: $1 needs a value (see --help)" >&2; exit 2; fi
      case "$1" in --base-image) base="$2" ;; --prefix) prefix="${2%/}" ;; --tag) tag="$2" ;; esac
      shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "images: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *)
      [[ " ${all_services[*]} " == *" $1 "* ]] || { echo "images: '$1' is not a service: give any of ${all_services[*]}" >&2; exit 2; }
      services+=("$1"); shift ;;
  esac
done
[ ${#services[@]} -gt 0 ] || services=("${all_services[@]}")
command -v podman >/dev/null 2>&1 || { echo "images: podman is not installed (Debian: apt-get install -y podman)" >&2; exit 1; }

logs="$root/tmp/images"
mkdir -p "$logs"
now() { echo "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
megabytes() { awk -v n="$1" 'BEGIN { printf "%.1f MB", n / 1000000 }'; }

# Runs one step with its output in tmp/images/<name>.log; on failure shows the end of that log.
step() {
  local name="$1"; shift
  if ! "$@" >"$logs/$name.log" 2>&1; then
    tail -n 40 "$logs/$name.log" >&2
    echo "images: $name failed (full log: $logs/$name.log)" >&2
    exit 1
  fi
}

total=$(now)
if [ -z "$base" ]; then
  t=$(now)
  step base "$here/base.sh"
  base="$(tail -n 1 "$logs/base.log")"
  echo "images: base $base ready in $(since "$t") ($(grep -q '^base: reusing' "$logs/base.log" && echo reused || echo built))"
fi

ca="$(npm config get cafile 2>/dev/null || true)"
{ [ -n "$ca" ] && [ "$ca" != null ] && [ "$ca" != undefined ] && [ -r "$ca" ]; } || ca=/etc/ssl/certs/ca-certificates.crt
# The label repeats the Dockerfile's: buildah 1.28 leaves it empty when it takes that step from its cache.
build=(build -f deploy/Dockerfile --ignorefile deploy/Dockerfile.dockerignore --layers --build-arg "BASE_IMAGE=$base" --label "org.flightdeck.base-image=$base")
[ -r "$ca" ] && build+=(--secret "id=npm-ca,src=$ca")

cd "$root"
t=$(now)
step build-stage podman "${build[@]}" --target build -t "$prefix/build-stage:$tag" .
echo "images: shared build stage $prefix/build-stage:$tag (npm ci, bundling the five services) in $(since "$t")"
base_size="$(podman image inspect --format '{{.Size}}' "$base")"

for service in "${services[@]}"; do
  t=$(now)
  step "$service" podman "${build[@]}" --build-arg "SERVICE=$service" -t "$prefix/$service:$tag" .
  size="$(podman image inspect --format '{{.Size}}' "$prefix/$service:$tag")"
  echo "images: $service $prefix/$service:$tag in $(since "$t"), $(megabytes $((size - base_size))) above the base"
done
echo "images: ${#services[@]} image(s) on $base in $(since "$total")"
