#!/usr/bin/env bash
# Builds the real helm CLI from source through the Go module proxy: helm.sh/helm/v4 at the version pinned in
# tools/helm/go.mod (go.sum checks every module), into tools/helm/bin/helm. Go's module and build caches are
# reused, so a second run only re-checks them. Never downloads a helm binary nor a Go toolchain.
set -euo pipefail
cd "$(dirname "$0")/../tools/helm"

if ! command -v go >/dev/null 2>&1; then
  echo "build-helm: go was not found on PATH; the chart tests need the helm CLI built from tools/helm/go.mod (install Go $(sed -n 's/^go //p' go.mod) or newer, then re-run)" >&2
  exit 1
fi
# A Go older than go.mod asks for must fail saying so, not fetch a toolchain.
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -mod=readonly"

version=$(go list -m -f '{{.Version}}' helm.sh/helm/v4)
# helm's own Makefile stamps the version the same way; without it `helm version` says only the minor.
nice -n 10 go build -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$version" -o bin/helm helm.sh/helm/v4/cmd/helm
echo "build-helm: $(bin/helm version --short) at tools/helm/bin/helm"
