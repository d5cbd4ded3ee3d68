import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_NAME, LazyEmbedder, loadEmbedder, resolveModel } from '../../index/embedder.js';
import { fakeEmbedder, requireModel, tempDir } from './helpers.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('resolveModel', () => {
  it('finds the default model inside the models dir', () => {
    const dir = requireModel();
    expect(resolveModel({ modelsDir: dir })).toEqual({ localModelPath: dir, name: DEFAULT_MODEL_NAME, remote: false });
  });

  it('accepts a model folder path (WASSETTE_EMBED_MODEL=/abs/dir)', () => {
    const dir = requireModel();
    expect(resolveModel({ model: join(dir, DEFAULT_MODEL_NAME), modelsDir: '/nowhere' })).toEqual({
      localModelPath: dir,
      name: DEFAULT_MODEL_NAME,
      remote: false,
      dir: join(dir, DEFAULT_MODEL_NAME),
    });
  });

  it('gives nothing when no local model exists and the network is not allowed', () => {
    expect(resolveModel({ modelsDir: tempDir() })).toBeUndefined();
    expect(resolveModel({ model: '/no/such/model', modelsDir: tempDir(), allowNetwork: true })).toBeUndefined();
  });

  it('downloads (namespaced id, cache in the models dir) only when allowed', () => {
    const dir = tempDir();
    expect(resolveModel({ modelsDir: dir, allowNetwork: true })).toEqual({ localModelPath: dir, name: `Xenova/${DEFAULT_MODEL_NAME}`, remote: true });
    expect(resolveModel({ model: 'org/other', modelsDir: dir, allowNetwork: true })?.name).toBe('org/other');
  });

  it('a model downloaded earlier (cached as <modelsDir>/Xenova/<name>) is local next time, offline', () => {
    const dir = tempDir();
    cpSync(join(requireModel(), DEFAULT_MODEL_NAME), join(dir, 'Xenova', DEFAULT_MODEL_NAME), { recursive: true });
    expect(resolveModel({ modelsDir: dir })).toEqual({ localModelPath: dir, name: `Xenova/${DEFAULT_MODEL_NAME}`, remote: false });
  });

  it('a folder without the int8 ONNX file is not a model', () => {
    const dir = tempDir();
    mkdirSync(join(dir, DEFAULT_MODEL_NAME));
    writeFileSync(join(dir, DEFAULT_MODEL_NAME, 'config.json'), '{}');
    expect(resolveModel({ modelsDir: dir })).toBeUndefined();
  });
});

describe('a model given as a folder', () => {
  it('is read from that folder, never from a same-named copy in the download cache, and its vectors are its own', async () => {
    const folder = join(tempDir(), DEFAULT_MODEL_NAME);
    cpSync(join(requireModel(), DEFAULT_MODEL_NAME), folder, { recursive: true });
    // The models dir holds a broken model of the same name, where the download cache would look first.
    const modelsDir = tempDir();
    mkdirSync(join(modelsDir, DEFAULT_MODEL_NAME, 'onnx'), { recursive: true });
    writeFileSync(join(modelsDir, DEFAULT_MODEL_NAME, 'config.json'), '{"model_type": "bert"}');
    writeFileSync(join(modelsDir, DEFAULT_MODEL_NAME, 'onnx', 'model_quantized.onnx'), 'not a model');
    const { embedder, reason } = await loadEmbedder({ model: folder, modelsDir });
    expect(reason).toBeUndefined();
    expect(embedder?.id).toBe(`${folder}:q8`);
    expect((await embedder!.embed('hello')).length).toBe(384);
  }, 60_000);
});

describe('a model folder with sentence-transformers settings (MiniLM copied, under another name: no adapter)', () => {
  const copy = (settings: Record<string, unknown>): string => {
    const folder = join(tempDir(), 'minilm-settings');
    cpSync(join(requireModel(), DEFAULT_MODEL_NAME), folder, { recursive: true });
    for (const [file, json] of Object.entries(settings)) {
      mkdirSync(join(folder, file, '..'), { recursive: true });
      writeFileSync(join(folder, file), JSON.stringify(json));
    }
    return folder;
  };

  it('pools as 1_Pooling/config.json says: CLS gives other vectors than mean, an explicit mean the same', async () => {
    const text = 'weather forecast for tomorrow';
    const plain = await loadEmbedder({ model: copy({}), modelsDir: tempDir() });
    const mean = await loadEmbedder({ model: copy({ '1_Pooling/config.json': { pooling_mode_mean_tokens: true } }), modelsDir: tempDir() });
    const cls = await loadEmbedder({ model: copy({ '1_Pooling/config.json': { pooling_mode_cls_token: true } }), modelsDir: tempDir() });
    const [p, m, c] = await Promise.all([plain, mean, cls].map(({ embedder }) => embedder!.embed(text)));
    expect(Array.from(m!)).toEqual(Array.from(p!));
    expect(Math.hypot(...c!)).toBeCloseTo(1, 4);
    expect(dot(p!, c!)).toBeLessThan(0.99);
  }, 60_000);

  it('puts the query prompt before search requests only, never before documents', async () => {
    const { embedder } = await loadEmbedder({ model: copy({ 'config_sentence_transformers.json': { prompts: { query: 'query: ' } } }), modelsDir: tempDir() });
    if (embedder?.embedQuery === undefined) throw new Error('no query embedding');
    const text = 'will it rain tomorrow';
    expect(Array.from(await embedder.embedQuery(text))).toEqual(Array.from(await embedder.embed(`query: ${text}`)));
    expect(dot(await embedder.embedQuery(text), await embedder.embed(text))).toBeLessThan(0.999);
  }, 60_000);

  it('an unsupported pooling is a reason to fall back to lexical, not a silent mean', async () => {
    const { embedder, reason } = await loadEmbedder({ model: copy({ '1_Pooling/config.json': { pooling_mode_max_tokens: true } }), modelsDir: tempDir() });
    expect(embedder).toBeUndefined();
    expect(reason).toMatch(/pooling max_tokens is not supported/);
  });
});

describe('loadEmbedder with the real model', () => {
  it('embeds to unit-length 384-d vectors where related texts are closer', async () => {
    const { embedder, reason } = await loadEmbedder({ modelsDir: requireModel() });
    expect(reason).toBeUndefined();
    if (embedder === undefined) throw new Error('no embedder');
    expect(embedder.id).toBe('all-MiniLM-L6-v2:q8');
    const [a, b, c] = [
      await embedder.embed('weather forecast for tomorrow'),
      await embedder.embed('will it rain tomorrow'),
      await embedder.embed('compute a sha256 hash'),
    ];
    expect(a.length).toBe(384);
    expect(embedder.dim).toBe(384);
    expect(Math.hypot(...a)).toBeCloseTo(1, 4);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c) + 0.2);
    // Deterministic: the same text gives the same vector.
    expect(Array.from(await embedder.embed('weather forecast for tomorrow'))).toEqual(Array.from(a));
  });

  it('reports a reason, never throws, when the model files are broken', async () => {
    const dir = tempDir();
    cpSync(join(requireModel(), DEFAULT_MODEL_NAME), join(dir, DEFAULT_MODEL_NAME), { recursive: true });
    writeFileSync(join(dir, DEFAULT_MODEL_NAME, 'onnx', 'model_quantized.onnx'), 'not onnx');
    const { embedder, reason } = await loadEmbedder({ modelsDir: dir });
    expect(embedder).toBeUndefined();
    expect(reason).toMatch(/failed to load/);
  });

  it('reports a missing model without importing anything heavy', async () => {
    const { embedder, reason } = await loadEmbedder({ modelsDir: tempDir() });
    expect(embedder).toBeUndefined();
    expect(reason).toMatch(/no embedding model found .*downloads are off/);
  });
});

describe('LazyEmbedder', () => {
  it('loads once for concurrent callers and only on first use', async () => {
    let loads = 0;
    const fake = fakeEmbedder();
    const lazy = new LazyEmbedder(
      async () => {
        loads++;
        return { embedder: fake };
      },
      () => {},
    );
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(fake);
    expect(b).toBe(fake);
    await lazy.get();
    expect(loads).toBe(1);
  });

  it('reports unavailability exactly once', async () => {
    const told: string[] = [];
    const lazy = new LazyEmbedder({ modelsDir: tempDir() }, (r) => told.push(r));
    expect(await lazy.get()).toBeUndefined();
    expect(await lazy.get()).toBeUndefined();
    expect(told).toHaveLength(1);
  });
});
