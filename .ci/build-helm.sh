#!/usr/bin/env bash
# The real helm CLI for the chart tests: helm.sh/helm/v4 as tools/helm/go.mod pins it, into tools/helm/bin/helm.
exec bash "$(dirname "$0")/go-tool.sh" tools/helm helm.sh/helm/v4/cmd/helm helm helm.sh/helm/v4/internal/version.version
