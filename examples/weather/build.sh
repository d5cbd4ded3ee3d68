#!/usr/bin/env bash
# Builds the weather example into the given .wasm path with componentize-js (http: it calls the weather API).
set -euo pipefail
out="${1:?usage: build.sh <out.wasm>}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tsx="$root/node_modules/.bin/tsx"
[ -x "$tsx" ] || { echo "build.sh: $tsx is missing; run npm install in $root first" >&2; exit 1; }
exec "$tsx" "$root/scripts/examples/componentize-js.ts" "$here" "$out" --features clocks,http
