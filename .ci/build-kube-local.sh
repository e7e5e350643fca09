#!/usr/bin/env bash
# Builds kube-local's binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) from their
# pinned Go modules, fetched through the Go module proxy, into tools/kube-local/bin. One `go build` for all five
# shares the compilation of the packages they have in common; Go's module and build caches (GOMODCACHE, GOCACHE)
# make a second build take seconds. Needs Go 1.26 (go.mod's `go` line).
set -euo pipefail
cd "$(dirname "$0")/../tools/kube-local"

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "build-kube-local: go was not found on PATH nor in /usr/local/go/bin: kube-local is built with Go 1.26 or newer" >&2
    exit 1
  fi
fi

# Without these, the binaries call themselves v0.0.0-master: `kubectl version` then shows the pinned release.
k8s=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
minor=$(echo "$k8s" | cut -d. -f2)
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$k8s -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"

started=$(date +%s)
mkdir -p bin
nice -n 10 go build -ldflags "$ldflags" -o bin/ tool ./cmd/etcd
echo "build-kube-local: Kubernetes $k8s binaries in tools/kube-local/bin ($(( $(date +%s) - started )) s)"
