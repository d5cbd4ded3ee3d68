#!/usr/bin/env bash
# Installs the Rust example toolchain: Debian's rustc with the wasm32-wasi standard library (rustup's toolchains
# here have no wasm target and cannot add one offline) and wasm-tools. Debian's rustc lands in /usr/bin and leaves
# a rustup rustc earlier in PATH alone; build.sh calls /usr/bin/rustc by path. Idempotent; needs root or sudo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d /usr/lib/rustlib/wasm32-wasi ] || [ ! -x /usr/bin/rustc ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq rustc libstd-rust-dev-wasm32 >/dev/null
fi
bash "$here/wasm-tools.sh"
/usr/bin/rustc --version
