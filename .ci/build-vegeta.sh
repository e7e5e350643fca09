#!/usr/bin/env bash
# vegeta, the benchmarks' fixed-rate (open-loop) load generator: github.com/tsenart/vegeta/v12 as
# tools/bench/vegeta/go.mod pins it, into tools/bench/vegeta/bin/vegeta.
exec bash "$(dirname "$0")/go-tool.sh" tools/bench/vegeta github.com/tsenart/vegeta/v12 vegeta
