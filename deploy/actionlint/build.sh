#!/usr/bin/env bash
# actionlint (github.com/rhysd/actionlint as go.mod here pins it) into deploy/actionlint/bin/actionlint (gitignored), for
# the test that checks .github/workflows. Run it through Nx: npx nx run @flightdeck/deploy:actionlint
exec bash "$(dirname "$0")/../../.ci/go-tool.sh" deploy/actionlint github.com/rhysd/actionlint/cmd/actionlint actionlint github.com/rhysd/actionlint.version
