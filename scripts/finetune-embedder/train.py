"""Fine-tunes all-MiniLM-L6-v2 on the BFCL triples (scripts/finetune-embedder/pairs.ts) and exports int8 ONNX.

MultipleNegativesRankingLoss by hand: each question against every positive of the batch plus the batch's
BFCL hard negatives (scale 20 = temperature 0.05); a candidate whose text equals the question's positive is
not counted as a negative. Mean pooling + normalise, as transformers.js does at search time. No MetaTool data.

Usage: train.py <pairs.jsonl> <base model dir (safetensors)> <out models dir> <name>
  env: FT_EPOCHS (1), FT_BATCH (32), FT_LR (3e-5), FT_NEG (1 hard negative per question), FT_MAXLEN (64),
       FT_SECONDS (600: stop the epoch loop after this much training), FT_SEED (9), FT_THREADS (2),
       FT_SKIP_TRAIN=1 (export the base model unchanged: the control)
Defaults are the measured run (bench/RESULTS.md, "Fine-tuned embedder"): 1 epoch, 64 tokens, 6 min at load 2-4.
Writes <out>/<name>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx, train.json}.
"""

import json
import os
import random
import shutil
import sys
import time

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoTokenizer, BertModel


def env(name, default, cast):
    return cast(os.environ.get(name, default))


def mean_pool(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)


def main():
    pairs_path, base, out_dir, name = sys.argv[1:5]
    epochs, batch, lr = env("FT_EPOCHS", "1", int), env("FT_BATCH", "32", int), env("FT_LR", "3e-5", float)
    n_neg, max_len, budget, seed = env("FT_NEG", "1", int), env("FT_MAXLEN", "64", int), env("FT_SECONDS", "600", float), env("FT_SEED", "9", int)
    skip = os.environ.get("FT_SKIP_TRAIN") == "1"
    torch.manual_seed(seed)
    rng = random.Random(seed)
    torch.set_num_threads(env("FT_THREADS", "2", int))

    tok = AutoTokenizer.from_pretrained(base)
    model = BertModel.from_pretrained(base, add_pooling_layer=False)
    rows = [json.loads(line) for line in open(pairs_path) if line.strip()]

    def encode(texts):
        t = tok(texts, padding=True, truncation=True, max_length=max_len, return_tensors="pt")
        return mean_pool(model(**t).last_hidden_state, t["attention_mask"])

    log = {"pairs": len(rows), "epochs": epochs, "batch": batch, "lr": lr, "hard_negatives": n_neg, "max_len": max_len, "seed": seed}
    t0 = time.time()
    steps_done = 0
    if not skip:
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        total = epochs * ((len(rows) + batch - 1) // batch)
        warm = max(1, total // 10)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
        model.train()
        stop = False
        for ep in range(epochs):
            order = rows[:]
            rng.shuffle(order)
            losses = []
            for i in range(0, len(order), batch):
                b = order[i : i + batch]
                queries = [r["query"] for r in b]
                cands = [r["positive"] for r in b]
                for r in b:
                    negs = [n for n in r["negatives"] if n != r["positive"]]
                    cands += rng.sample(negs, min(n_neg, len(negs)))
                q = encode(queries)
                d = encode(cands)
                scores = 20.0 * q @ d.T
                # A candidate that is this question's own positive text (same function in another row) is no negative.
                same = torch.tensor([[c == r["positive"] for c in cands] for r in b])
                same[torch.arange(len(b)), torch.arange(len(b))] = False
                scores = scores.masked_fill(same, -1e4)
                loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(b)))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                steps_done += 1
                losses.append(loss.item())
                if steps_done % 10 == 0:
                    print(f"epoch {ep} step {steps_done}/{total} loss {sum(losses[-10:]) / len(losses[-10:]):.4f} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
                if time.time() - t0 > budget:
                    stop = True
                    break
            print(f"epoch {ep} mean loss {sum(losses) / max(1, len(losses)):.4f}", file=sys.stderr, flush=True)
            if stop:
                print(f"time budget {budget}s reached after {steps_done} steps", file=sys.stderr)
                break
    log["steps"] = steps_done
    log["train_seconds"] = round(time.time() - t0, 1)

    # Export: same graph interface as the shipped model.onnx (transformers.js pools and normalises).
    model.eval()
    dest = os.path.join(out_dir, name)
    os.makedirs(os.path.join(dest, "onnx"), exist_ok=True)
    fp32 = os.path.join(dest, "onnx", "model.fp32.onnx")
    sample = tok(["a sample query for export"], return_tensors="pt")
    axes = {0: "batch", 1: "sequence"}
    class Graph(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    with torch.no_grad():
        torch.onnx.export(
            Graph(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            fp32,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(fp32, os.path.join(dest, "onnx", "model_quantized.onnx"), weight_type=QuantType.QInt8)
    os.remove(fp32)
    here = os.path.dirname(os.path.abspath(__file__))
    files = os.path.join(here, "..", "..", "index", "model-files")
    shutil.copy(os.path.join(files, "config.json"), dest)
    shutil.copy(os.path.join(files, "tokenizer_config.json"), dest)
    shutil.copy(os.path.join(base, "tokenizer.json"), dest)
    log["total_seconds"] = round(time.time() - t0, 1)
    log["onnx_bytes"] = os.path.getsize(os.path.join(dest, "onnx", "model_quantized.onnx"))
    with open(os.path.join(dest, "train.json"), "w") as f:
        json.dump(log, f, indent=2)
    print(json.dumps(log), file=sys.stderr)


if __name__ == "__main__":
    main()
