#!/usr/bin/env bash
# Builds the csv-stats example with the shared componentize-py script (--stub-wasi: the statistics need no clock, random,
# file or socket, so the component asks for none). Usage: examples/csv-stats/build.sh <out.wasm>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../../scripts/example-lib/componentize-py.sh" "$here" csv-stats "${1:?usage: build.sh <out.wasm>}"
