#!/usr/bin/env bash
# Builds one Go tool from source through the Go module proxy, at the version its module folder's go.mod pins (go.sum
# checks every module), into <folder>/bin/<binary>. Go's module and build caches are reused, so a second run only
# re-checks them. Never downloads a binary nor a Go toolchain.
#   bash .ci/go-tool.sh <module folder> <main package> <binary> [<Go variable stamped with the version>]
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: bash .ci/go-tool.sh <module folder> <main package> <binary> [<version variable>]" >&2
  exit 2
fi
dir=$1 package=$2 binary=$3 version_var=${4:-}
cd "$(dirname "$0")/../$dir"

if ! command -v go >/dev/null 2>&1; then
  echo "go-tool: go was not found on PATH; $binary is built from $dir/go.mod (install Go $(sed -n 's/^go //p' go.mod) or newer, then re-run)" >&2
  exit 1
fi
# A Go older than go.mod asks for must fail saying so, not fetch a toolchain.
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"

version=$(go list -m -f '{{.Version}}' "$(go list -f '{{.Module.Path}}' "$package")")
ldflags="-s -w"
# The tool's own release builds stamp the version the same way; without it some say only "dev" or the minor.
[ -n "$version_var" ] && ldflags="$ldflags -X $version_var=$version"
nice -n 10 go build -trimpath -ldflags "$ldflags" -o "bin/$binary" "$package"
echo "go-tool: $binary $version at $dir/bin/$binary"
