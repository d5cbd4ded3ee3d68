// Shared by the index tests: the real model's folder (laid out by scripts/fetch-embed-model.sh), a fake embedder, temp dirs.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { Embedder } from '../../index/embedder.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const MODELS_DIR = process.env.WASSETTE_EMBED_MODEL_DIR ?? join(ROOT, 'fixtures', 'build', 'models');

/** Fails (never skips) when the model is missing: the tests are about the real model. */
export function requireModel(): string {
  if (!existsSync(join(MODELS_DIR, 'all-MiniLM-L6-v2', 'onnx', 'model_quantized.onnx'))) {
    throw new Error(`embedding model missing in ${MODELS_DIR}: run bash scripts/fetch-embed-model.sh (npm run model; npm test does it on main)`);
  }
  return MODELS_DIR;
}

/** Deterministic bag-of-words hashing into 32 dimensions: plumbing tests only, no meaning. */
export function fakeEmbedder(id = 'fake:1', dim = 32): Embedder & { calls: number } {
  const e = {
    id,
    dim,
    calls: 0,
    async embed(text: string): Promise<Float32Array> {
      e.calls++;
      const v = new Float32Array(dim);
      for (const w of text
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((x) => x.length > 0)) {
        const h = createHash('sha256').update(w).digest();
        v[(h[0] ?? 0) % dim]! += 1;
      }
      if (v.every((x) => x === 0)) v[0] = 1;
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    },
  };
  return e;
}

const dirs: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wassette-index-test-'));
  dirs.push(d);
  return d;
}
// After the file, not each test: an index opened in beforeAll lives in one of these.
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
