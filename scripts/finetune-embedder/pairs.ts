// Writes the query adapter's BFCL triples as JSON lines for scripts/finetune-embedder/train.py:
// {"query", "positive", "negatives": [...]} with each function as the index embeds it. No MetaTool data.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { bfclPairs, parseJsonLines } from '../query-adapter/bfcl-pairs.js';
import { CATEGORIES, docText, files } from '../query-adapter/main.js';

const [data, out] = process.argv.slice(2);
if (data === undefined || out === undefined) throw new Error('usage: pairs.ts <bfcl_eval/data dir> <out.jsonl>');
const lines: string[] = [];
for (const c of CATEGORIES) {
  const [q, a] = files(data, c);
  if (!existsSync(q) || !existsSync(a)) throw new Error(`BFCL category ${c} missing (${q})`);
  for (const p of bfclPairs(parseJsonLines(readFileSync(q, 'utf8')), parseJsonLines(readFileSync(a, 'utf8')))) {
    lines.push(JSON.stringify({ id: p.id, query: p.query, positive: docText(p.positive), negatives: p.negatives.map(docText) }));
  }
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.error(`finetune pairs: ${lines.length} BFCL triples -> ${out}`);
