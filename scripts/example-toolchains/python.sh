#!/usr/bin/env bash
# Installs the Python example toolchain into the toolchain cache: componentize-py (ships its own CPython build) and
# wasm-tools. Only PyPI is used. Idempotent.
set -euo pipefail
here="$(dirname "$0")"
. "$here/common.sh"
pip_target "$TOOLCHAINS/componentize-py" componentize-py==0.25.1 8623cd8cab8453cb0cd8bf03f3c7103420d06f2f3d360186a280a70a1ca5e89f
bash "$here/wasm-tools.sh"
PYTHONPATH="$TOOLCHAINS/componentize-py" python3 -c 'import sys; from componentize_py import script; sys.argv = ["componentize-py", "--version"]; script()'
