import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredEmbedding } from '../../index/store-schema.js';
import { VectorIndex } from '../../index/vectors.js';
import { tempDir } from './helpers.js';

const DIM = 8;
function unit(seed: number): Float32Array {
  const v = Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed * 7.3 + i * 1.1));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
const items = (ids: number[]): StoredEmbedding[] => ids.map((id) => ({ id, vector: unit(id) }));

function open(path: string, generation: number, stored: StoredEmbedding[], model = 'm:1'): VectorIndex {
  return VectorIndex.open(path, { dim: DIM, model, generation, embeddings: () => stored });
}

describe('VectorIndex', () => {
  it('finds the nearest vector by cosine and reports similarity', () => {
    const v = open(join(tempDir(), 'index.hnsw'), 1, items([1, 2, 3, 4, 5]));
    const [hit] = v.search(unit(3), 2);
    expect(hit?.id).toBe(3);
    expect(hit?.similarity).toBeCloseTo(1, 5);
    expect(v.search(unit(3), 100)).toHaveLength(5);
  });

  it('reads its own file back when the generation matches', () => {
    const path = join(tempDir(), 'index.hnsw');
    const a = open(path, 7, items([1, 2, 3]));
    expect(a.origin).toBe('rebuilt');
    a.persist(7);
    // Empty stored embeddings: had it rebuilt, it would be empty.
    const b = open(path, 7, []);
    expect(b.origin).toBe('file');
    expect(b.size).toBe(3);
    expect(b.search(unit(2), 1)[0]?.id).toBe(2);
  });

  it.each([
    ['the file is missing', (p: string) => rmSync(p)],
    ['the sidecar is missing', (p: string) => rmSync(`${p}.json`)],
    ['the file is truncated', (p: string) => writeFileSync(p, readFileSync(p).subarray(0, 40))],
    [
      'the file has a flipped byte',
      (p: string) => {
        const b = readFileSync(p);
        b[b.length - 10] = (b[b.length - 10] ?? 0) ^ 0xff;
        writeFileSync(p, b);
      },
    ],
    ['the sidecar is garbage', (p: string) => writeFileSync(`${p}.json`, '{not json')],
  ])('rebuilds from SQLite when %s', (_why, damage) => {
    const path = join(tempDir(), 'index.hnsw');
    open(path, 1, items([1, 2, 3])).persist(1);
    damage(path);
    const v = open(path, 1, items([1, 2, 3, 4]));
    expect(v.origin).toBe('rebuilt');
    expect(v.size).toBe(4);
    expect(v.search(unit(4), 1)[0]?.id).toBe(4);
  });

  it('rebuilds when the db moved on after the file was written (crash before persist)', () => {
    const path = join(tempDir(), 'index.hnsw');
    open(path, 1, items([1, 2])).persist(1);
    const v = open(path, 2, items([1, 2, 9]));
    expect(v.origin).toBe('rebuilt');
    expect(v.search(unit(9), 1)[0]?.id).toBe(9);
  });

  it('rebuilds when the model changed', () => {
    const path = join(tempDir(), 'index.hnsw');
    open(path, 1, items([1])).persist(1);
    expect(open(path, 1, items([1]), 'm:2').origin).toBe('rebuilt');
  });

  it('never returns deleted documents, also after persist and reopen, and reuses their slots', () => {
    const path = join(tempDir(), 'index.hnsw');
    const v = open(path, 1, items([1, 2, 3]));
    v.remove([2]);
    expect(v.search(unit(2), 3).map((h) => h.id)).not.toContain(2);
    v.persist(2);
    const w = open(path, 2, []);
    expect(w.origin).toBe('file');
    expect(w.size).toBe(2);
    expect(
      w
        .search(unit(2), 3)
        .map((h) => h.id)
        .sort(),
    ).toEqual([1, 3]);
    w.add(items([4]));
    expect(w.search(unit(4), 1)[0]?.id).toBe(4);
    expect(w.size).toBe(3);
  });

  it('grows past its initial capacity', () => {
    const v = open(join(tempDir(), 'index.hnsw'), 1, []);
    v.add(items(Array.from({ length: 1500 }, (_, i) => i + 1)));
    expect(v.size).toBe(1500);
    expect(v.search(unit(1234), 1)[0]?.id).toBe(1234);
  });

  it('rejects a vector of the wrong dimension', () => {
    const v = open(join(tempDir(), 'index.hnsw'), 1, []);
    expect(() => v.add([{ id: 1, vector: new Float32Array(3) }])).toThrow(/3 dimensions, expected 8/);
  });

  it('writes the file and the sidecar by rename (no temp files left)', () => {
    const dir = tempDir();
    const path = join(dir, 'index.hnsw');
    open(path, 1, items([1])).persist(1);
    expect(existsSync(path) && existsSync(`${path}.json`)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['index.hnsw', 'index.hnsw.json']);
    expect(JSON.parse(readFileSync(`${path}.json`, 'utf8'))).toMatchObject({ generation: 1, live: 1, model: 'm:1', dim: DIM });
  });
});
