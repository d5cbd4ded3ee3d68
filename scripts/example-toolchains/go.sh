#!/usr/bin/env bash
# Installs the Go example toolchain: checks for Go >= 1.24 (for //go:wasmexport; the machine provides Go), fetches
# the gomod example's module dependencies from the Go module proxy, and installs wasm-tools. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed; install Go 1.24 or newer" >&2
  exit 1
fi
minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [ "$minor" -lt 24 ]; then
  echo "$(go env GOVERSION) is too old: //go:wasmexport needs Go 1.24 or newer" >&2
  exit 1
fi
(cd "$here/../../examples/gomod" && go mod download)
bash "$here/wasm-tools.sh"
go version
