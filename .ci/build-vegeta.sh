#!/usr/bin/env bash
# Builds vegeta, the benchmarks' fixed-rate (open-loop) load generator, from source through the Go module proxy:
# github.com/tsenart/vegeta/v12 at the version pinned in tools/bench/vegeta/go.mod (go.sum checks every module), into
# tools/bench/vegeta/bin/vegeta. Never downloads a binary nor a Go toolchain.
set -euo pipefail
cd "$(dirname "$0")/../tools/bench/vegeta"

if ! command -v go >/dev/null 2>&1; then
  echo "build-vegeta: go was not found on PATH; tools/bench's fixed-rate load needs vegeta built from tools/bench/vegeta/go.mod (install Go $(sed -n 's/^go //p' go.mod) or newer, then re-run)" >&2
  exit 1
fi
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"
nice -n 10 go build -trimpath -ldflags "-s -w" -o bin/vegeta github.com/tsenart/vegeta/v12
echo "build-vegeta: vegeta $(go list -m -f '{{.Version}}' github.com/tsenart/vegeta/v12) at tools/bench/vegeta/bin/vegeta"
