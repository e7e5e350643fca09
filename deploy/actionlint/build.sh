#!/usr/bin/env bash
# Builds actionlint (github.com/rhysd/actionlint, the version pinned in go.mod; go.sum checks every module) from
# source through the Go module proxy into deploy/actionlint/bin/actionlint (gitignored), for the test that checks
# .github/workflows. Go's module and build caches are reused, so a second run takes a second or two. Never
# downloads an actionlint binary nor a Go toolchain. Run it through Nx: npx nx run @flightdeck/deploy:actionlint
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "actionlint: go was not found on PATH; install Go $(sed -n 's/^go //p' go.mod) or newer (https://go.dev/doc/install), then re-run" >&2
  exit 1
fi
# A Go older than go.mod asks for must fail saying so, not fetch a toolchain.
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"

version=$(go list -m -f '{{.Version}}' github.com/rhysd/actionlint)
nice -n 10 go build -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=$version" -o bin/actionlint github.com/rhysd/actionlint/cmd/actionlint
echo "actionlint: $(bin/actionlint -version | head -n 1) at deploy/actionlint/bin/actionlint"
