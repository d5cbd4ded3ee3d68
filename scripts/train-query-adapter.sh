#!/usr/bin/env bash
# Rebuilds index/model-files/query-adapter.{f32,json} from the hash-pinned BFCL wheel and the embedding model.
# Usage: scripts/train-query-adapter.sh [out-dir]   (default: index/model-files; the model comes from `npm run model`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/index/model-files}"
pip=(pip)
command -v pip >/dev/null 2>&1 || pip=(python3 -m pip)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${pip[@]}" download --quiet --no-deps --only-binary=:all: --require-hashes \
  -r "$root/index/model-files/query-adapter-requirements.txt" -d "$work/wheels"
python3 - "$work/wheels" "$work/bfcl" <<'PY'
import glob, sys, zipfile
(path,) = glob.glob(f"{sys.argv[1]}/bfcl_eval-*.whl")
with zipfile.ZipFile(path) as z:
    z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith("bfcl_eval/data/") and n.endswith(".json")])
PY
WASSETTE_SKIP_ADAPTER_CHECK=1 bash "$root/scripts/fetch-embed-model.sh"
cd "$root" && npx tsx scripts/query-adapter/main.ts "$work/bfcl/bfcl_eval/data" "$out"
