#!/usr/bin/env bash
# Installs the Go example toolchain: checks for Go >= 1.26 (golang.org/x/mod v0.43 asks for it; //go:wasmexport
# itself needs 1.24; the machine provides Go), fetches the gomod example's module dependencies from the Go module
# proxy, and installs wasm-tools. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed; install Go 1.26 or newer" >&2
  exit 1
fi
minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [ "$minor" -lt 26 ]; then
  echo "$(go env GOVERSION) is too old: the gomod example needs Go 1.26 or newer" >&2
  exit 1
fi
(cd "$here/../../examples/gomod" && GOTOOLCHAIN=local go mod download)
bash "$here/wasm-tools.sh"
go version
