#!/usr/bin/env bash
# Builds the local base image: Debian bookworm from `debootstrap --variant=minbase` (from this machine's apt
# mirror, with bookworm-updates and bookworm-security applied) plus this machine's own node and npm. Nothing is
# pulled from a container registry. Prints the image name on stdout; progress goes to stderr.
#
#   deploy/images/base.sh            reuse the image when one built from the same recipe exists, else build it
#   deploy/images/base.sh --rebuild  build it again
#
# The image is named localhost/flightdeck/base:bookworm-node<version> and labelled with a digest of its recipe
# (this script, the mirror, node and npm versions), so a second run reuses it and a changed recipe rebuilds it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
podman() { "$here/podman.sh" "$@"; }
say() { echo "base: $*" >&2; }

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }
rebuild=false
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=true ;;
    -h | --help) usage; exit 0 ;;
    *) echo "base: unknown argument '$arg' (expected --rebuild or --help)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "base: debootstrap needs root: run it as root (sudo $0)" >&2; exit 1; }
for tool in debootstrap podman node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "base: $tool is not installed (Debian: apt-get install -y ${tool/node/nodejs})" >&2; exit 1; }
done

# The Debian mirror apt uses here: the first URI serving bookworm in a deb822 .sources file or a sources.list line.
mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    awk '/^$/ { if (suite && uri) { print uri; exit } uri=""; suite=0 }
         /^URIs:/ { uri=$2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite=1 }
         END { if (suite && uri) print uri }' "$f"
  done | head -n1 | grep . && return
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' | grep . && return
  echo "base: no Debian bookworm mirror found in /etc/apt/sources.list*; set DEBIAN_MIRROR=http://deb.debian.org/debian" >&2
  return 1
}
debian_mirror="${DEBIAN_MIRROR:-$(mirror)}"
security_mirror="${debian_mirror%/debian}/debian-security"

node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
node_version="$(node --version)"
npm_version="$(npm --version)"
recipe="$({ cat "$0"; echo "$debian_mirror $node_version $npm_version"; } | sha256sum | cut -c1-16)"
image="localhost/flightdeck/base:bookworm-node${node_version#v}"

if ! $rebuild && podman image exists "$image" &&
  [ "$(podman image inspect --format '{{ index .Labels "org.flightdeck.base.recipe" }}' "$image")" = "$recipe" ]; then
  say "reusing $image (recipe $recipe)"
  echo "$image"
  exit 0
fi

rootfs="$(mktemp -d "${TMPDIR:-/var/tmp}/flightdeck-base.XXXXXX")"
cleanup() {
  mountpoint -q "$rootfs/proc" && umount "$rootfs/proc"
  rm -rf "$rootfs"
}
trap cleanup EXIT
# chroot with a clean environment: this machine's variables (NODE_EXTRA_CA_CERTS, ...) mean nothing inside.
in_root() { local root="$1"; shift; env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root chroot "$root" "$@"; }

say "debootstrap --variant=minbase bookworm from $debian_mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$debian_mirror" >"$rootfs.log" 2>&1 || {
  tail -n 30 "$rootfs.log" >&2
  echo "base: debootstrap failed (full log: $rootfs.log)" >&2
  exit 1
}
rm -f "$rootfs.log"

say "applying bookworm-updates and bookworm-security"
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $debian_mirror bookworm main
deb $debian_mirror bookworm-updates main
deb $security_mirror bookworm-security main
SOURCES
mount -t proc proc "$rootfs/proc"
in_root "$rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq && apt-get clean' >"$rootfs.log" 2>&1 || {
  tail -n 30 "$rootfs.log" >&2
  echo "base: upgrading the bookworm root file system failed (full log: $rootfs.log)" >&2
  exit 1
}
rm -f "$rootfs.log"
umount "$rootfs/proc"

say "adding node $node_version ($node_bin) and npm $npm_version ($npm_dir)"
install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# node links against libc, libstdc++ and libgcc only, all part of minbase; prove it runs before importing.
in_root "$rootfs" /usr/local/bin/node -e 'process.stdout.write("")' ||
  { echo "base: $node_bin does not run inside the bookworm root file system (ldd $node_bin shows what it needs)" >&2; exit 1; }
in_root "$rootfs" /usr/local/bin/npm --version >/dev/null

# What a container needs neither at run nor at build time.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/tmp/* "$rootfs"/root/.npm
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"

say "importing $image"
tar -C "$rootfs" --numeric-owner -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --change "LABEL org.flightdeck.base.recipe=$recipe" \
  --change "LABEL org.opencontainers.image.description=Debian bookworm (minbase) with node $node_version and npm $npm_version" \
  - "$image" >/dev/null
echo "$image"
