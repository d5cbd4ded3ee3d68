// Method search on the MetaTool dev sample only: field weights and fusion weights, with query embeddings cached.
import { rmSync } from 'node:fs';
import type { FieldWeights } from '../index/store-schema.js';
import { loadMetaTool } from './eval-data.js';
import { score } from './eval-metrics.js';
import { METATOOL_DIR, buildIndex, evalQueries, judge, realEmbedder } from './eval-search.js';
import { cachedEmbedder } from './cached-embedder.js';

const set = loadMetaTool(METATOOL_DIR);
const embedder = cachedEmbedder(await realEmbedder());
const { dev } = evalQueries(set);
const fieldGrid: FieldWeights[] = [
  { name: 1, description: 1, params: 1, context: 1 },
  { name: 2, description: 1, params: 0.5, context: 0.3 },
  { name: 3, description: 1, params: 0.5, context: 0.3 },
  { name: 0.5, description: 1, params: 0.5, context: 0.3 },
];
const denseGrid = (process.env.SWEEP_DENSE ?? '0.5,0.6,0.7,0.8,0.9').split(',').map(Number);
for (const fieldWeights of fieldGrid) {
  const { index, dir } = await buildIndex(set, embedder, { fieldWeights });
  const lex = score(await judge(index, dev, 'lexical'));
  console.log(`fields ${JSON.stringify(fieldWeights)} lexical hit1 ${lex.hit1.toFixed(3)} hit5 ${lex.hit5.toFixed(3)}`);
  await index.close();
  for (const denseWeight of denseGrid) {
    const { index: ix, dir: d2 } = await buildIndex(set, embedder, { fieldWeights, fusion: { denseWeight } });
    const m = score(await judge(ix, dev, 'hybrid'));
    console.log(`  dense ${denseWeight} hybrid hit1 ${m.hit1.toFixed(3)} hit5 ${m.hit5.toFixed(3)} ndcg ${m.ndcg10.toFixed(3)}`);
    await ix.close();
    rmSync(d2, { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
}
