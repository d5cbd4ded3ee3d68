#!/usr/bin/env bash
# Toolchain for the JavaScript examples: componentize-js from node_modules (a devDependency); nothing to install.
# Idempotent: only checks that `npm install` has put it there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ ! -f "$root/node_modules/@bytecodealliance/componentize-js/package.json" ]; then
  echo "javascript toolchain: @bytecodealliance/componentize-js is missing; run npm install in $root" >&2
  exit 1
fi
