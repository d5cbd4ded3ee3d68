// Trains the query adapter on BFCL (scripts/train-query-adapter.sh fetches the data) and writes
// <out>/query-adapter.f32 (W row-major, float32 LE) and <out>/query-adapter.json (checksum, how it was made).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ToolInput, sourceDocuments } from '../../index/documents.js';
import { DEFAULT_MODEL_NAME, loadEmbedder } from '../../index/embedder.js';
import type { AdapterManifest } from '../../index/query-adapter.js';
import { bfclPairs, parseJsonLines } from './bfcl-pairs.js';
import { DEFAULT_TRAIN, type TrainExample, trainQueryAdapter } from './train.js';

// Single-turn categories with one answer function per question (parallel: several calls of one function).
export const CATEGORIES = [
  'simple_python',
  'simple_java',
  'simple_javascript',
  'multiple',
  'parallel',
  'live_simple',
  'live_multiple',
  'live_parallel',
  'unused_datasets/exec_simple',
  'unused_datasets/exec_multiple',
  'unused_datasets/exec_parallel',
  'unused_datasets/rest',
];

export function files(data: string, category: string): [string, string] {
  const [dir, name] = category.startsWith('unused_datasets/') ? [join(data, 'unused_datasets'), category.slice('unused_datasets/'.length)] : [data, category];
  const question = dir === data ? join(data, `BFCL_v4_${name}.json`) : join(dir, 'question', `BFCL_v4_${name}.json`);
  return [question, join(dir, 'possible_answer', `BFCL_v4_${name}.json`)];
}

/** What the index embeds for the tool when an MCP tools/list file lists it. */
export function docText(tool: ToolInput): string {
  const [doc] = sourceDocuments({ source: 'bfcl', kind: 'mcp', ref: 'bfcl', tools: [tool] });
  if (doc === undefined) throw new Error(`no document for ${tool.name}`);
  return doc.embedText;
}

async function main(): Promise<void> {
  const [data, outArg] = process.argv.slice(2);
  if (data === undefined) throw new Error('usage: main.ts <bfcl_eval/data dir> [out dir]');
  const out = resolve(outArg ?? 'index/model-files');
  const pairs = CATEGORIES.flatMap((c) => {
    const [q, a] = files(data, c);
    if (!existsSync(q) || !existsSync(a)) throw new Error(`BFCL category ${c} missing (${q})`);
    return bfclPairs(parseJsonLines(readFileSync(q, 'utf8')), parseJsonLines(readFileSync(a, 'utf8')));
  });
  const texts = new Map<string, number>();
  const row = (s: string): number => {
    let i = texts.get(s);
    if (i === undefined) {
      i = texts.size;
      texts.set(s, i);
    }
    return i;
  };
  const examples: TrainExample[] = pairs.map((p) => ({
    query: row(p.query),
    positive: row(docText(p.positive)),
    negatives: p.negatives.map((n) => row(docText(n))),
  }));
  console.error(`query adapter: ${pairs.length} BFCL pairs, ${texts.size} texts to embed`);

  const modelsDir = process.env.WASSETTE_EMBED_MODEL_DIR ?? resolve(import.meta.dirname, '..', '..', 'fixtures', 'build', 'models');
  const { embedder, reason } = await loadEmbedder({ modelsDir });
  if (embedder === undefined) throw new Error(`${reason}; run npm run model first`);
  const dim = embedder.dim;
  const t0 = performance.now();
  const vectors = new Float32Array(texts.size * dim);
  let i = 0;
  // The plain model's vectors (embed, never embedQuery): the adapter learns on top of them.
  for (const text of texts.keys()) vectors.set(await embedder.embed(text), dim * i++);
  const embedMs = performance.now() - t0;
  const options = { ...DEFAULT_TRAIN, dim };
  const t1 = performance.now();
  const w = trainQueryAdapter(vectors, examples, { ...options, log: (l) => console.error(`query adapter: ${l}`) });
  const trainMs = performance.now() - t1;

  const bytes = Buffer.alloc(w.length * 4);
  for (let k = 0; k < w.length; k++) bytes.writeFloatLE(w[k] ?? 0, k * 4);
  const manifest: AdapterManifest & Record<string, unknown> = {
    model: DEFAULT_MODEL_NAME,
    dim,
    file: 'query-adapter.f32',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    data: 'bfcl-eval==2026.3.23 (query-adapter-requirements.txt)',
    categories: CATEGORIES,
    pairs: pairs.length,
    texts: texts.size,
    train: options,
    seconds: { embed: Math.round(embedMs / 100) / 10, train: Math.round(trainMs / 100) / 10 },
  };
  writeFileSync(join(out, 'query-adapter.f32'), bytes);
  writeFileSync(join(out, 'query-adapter.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.error(`query adapter: written to ${out} (embed ${(embedMs / 1000).toFixed(0)} s, train ${(trainMs / 1000).toFixed(0)} s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
