#!/usr/bin/env bash
# Builds the eval example with the shared componentize-py script (--stub-wasi: the evaluator need no clock, random,
# file or socket, so the component asks for none). Usage: examples/eval/build.sh <out.wasm>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../../scripts/example-lib/componentize-py.sh" "$here" eval "${1:?usage: build.sh <out.wasm>}"
