import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldComponents, fuse, minMax } from '../../index/search.js';
import { ToolIndex } from '../../index/tool-index.js';
import { requireModel, tempDir } from './helpers.js';
import { FIXTURE_QUERIES, FIXTURE_SOURCES } from './tools-fixture.js';

describe('fusion (pure)', () => {
  it('minMax maps to [0, 1] and a single value to 1', () => {
    expect([
      ...minMax(
        new Map([
          [1, 2],
          [2, 4],
          [3, 3],
        ]),
      ).values(),
    ]).toEqual([0, 1, 0.5]);
    expect([...minMax(new Map([[1, 5]])).values()]).toEqual([1]);
  });

  it.each([
    // dense, lexical, weight, expected order
    [
      [
        [1, 0.9],
        [2, 0.5],
      ],
      [
        [2, 10],
        [3, 1],
      ],
      0.8,
      [1, 2, 3],
    ],
    [
      [
        [1, 0.9],
        [2, 0.5],
      ],
      [
        [2, 10],
        [3, 1],
      ],
      0.2,
      [2, 1, 3],
    ],
    // A lexical-only candidate scores from lexical alone; min-max puts the worst dense one at 0.
    [
      [
        [1, 0.9],
        [2, 0.5],
      ],
      [[3, 10]],
      0.8,
      [1, 3, 2],
    ],
    [
      [],
      [
        [7, 3],
        [8, 1],
      ],
      0.8,
      [7, 8],
    ],
  ] as const)('dense %j + lexical %j at %d -> %j', (d, l, w, order) => {
    expect(fuse(new Map(d.map(([a, b]) => [a, b])), new Map(l.map(([a, b]) => [a, b])), w).map((r) => r.id)).toEqual(order);
  });
});

describe('foldComponents (pure)', () => {
  const docs = new Map([
    [1, { kind: 'tool' as const, source: 'kv' }],
    [2, { kind: 'tool' as const, source: 'weather' }],
    [3, { kind: 'component' as const, source: 'weather' }],
    [4, { kind: 'tool' as const, source: 'weather' }],
  ]);
  const toolsOf = (s: string) => (s === 'weather' ? [2, 4, 5] : [1]);

  it("lifts a component's tools by its score and never returns the component itself", () => {
    const out = foldComponents(
      [
        { id: 1, score: 0.6 },
        { id: 3, score: 1 },
        { id: 2, score: 0.5 },
      ],
      docs,
      toolsOf,
      0.3,
    );
    // 2: 0.7*0.5+0.3 = 0.65; 1: 0.42; 4 and 5 (not returned by a ranker): 0.3 from the component alone.
    expect(out.map((r) => r.id)).toEqual([2, 1, 4, 5]);
    expect(out[0]?.score).toBeCloseTo(0.65, 10);
    expect(out.find((r) => r.id === 1)?.score).toBeCloseTo(0.42, 10);
  });

  it("with weight 0 the order is the tools' own", () => {
    expect(
      foldComponents(
        [
          { id: 1, score: 0.6 },
          { id: 3, score: 1 },
          { id: 2, score: 0.5 },
        ],
        docs,
        toolsOf,
        0,
      )
        .slice(0, 2)
        .map((r) => r.id),
    ).toEqual([1, 2]);
  });
});

describe('hybrid search with the real model', () => {
  let index: ToolIndex;
  const logs: string[] = [];
  beforeAll(async () => {
    index = ToolIndex.open(join(tempDir(), 'index.db'), { embedder: { modelsDir: requireModel() }, log: (m) => logs.push(m) });
    for (const s of FIXTURE_SOURCES) await index.replaceSource(s);
  }, 120_000);

  it.each(FIXTURE_QUERIES)('%j ranks %s first', async (query, tools) => {
    const res = await index.search(query, 5);
    expect(res.ranking).toBe('hybrid');
    expect(tools.split('|')).toContain(res.results[0]?.name);
  });

  it('returns the search_tools result shape with a pinned ref', async () => {
    const res = await index.search("what's the weather in Paris", 3);
    const top = res.results[0];
    expect(top).toMatchObject({
      name: 'current-conditions',
      source: 'oci://ghcr.io/example/weather:1.0.0',
      kind: 'tool',
      description: 'Temperature, wind and humidity now',
    });
    expect(top?.ref).toMatch(/^oci:\/\/ghcr\.io\/example\/weather@sha256:/);
    expect(top?.score).toBeGreaterThan(0);
    expect(res.results.map((r) => r.score)).toEqual([...res.results.map((r) => r.score)].sort((a, b) => b - a));
    expect(logs).toEqual([]);
  });

  it("a terse tool is found through its component's description", async () => {
    const terse = ToolIndex.open(join(tempDir(), 'index.db'), { embedder: { modelsDir: requireModel() } });
    await terse.replaceSource({
      source: 'kv',
      kind: 'component',
      ref: 'oci://x/kv@sha256:1',
      name: 'kv',
      description: 'Key-value store for small strings',
      tools: [{ name: 'get' }, { name: 'set' }],
    });
    await terse.replaceSource({
      source: 'meteo',
      kind: 'component',
      ref: 'oci://x/meteo@sha256:2',
      name: 'meteo',
      description: 'Weather forecasts for any city',
      tools: [{ name: 'get' }],
    });
    const res = await terse.search('weather forecast for Berlin', 3);
    expect(res.results[0]).toMatchObject({ name: 'get', source: 'meteo', kind: 'tool' });
    expect(res.results.every((r) => r.kind === 'tool')).toBe(true);
    await terse.close();
  });

  it('dense alone understands a paraphrase with no shared word', async () => {
    const res = await index.search('is it going to rain tomorrow', 3, 'dense');
    expect(res.ranking).toBe('dense');
    expect(res.results.slice(0, 2).map((r) => r.name)).toContain('get-forecast');
  });

  it('a 10,000-character query is truncated, not slow', async () => {
    const t0 = performance.now();
    const res = await index.search(`weather ${'lorem ipsum '.repeat(900)}`, 5);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(res.results.length).toBeGreaterThan(0);
  });

  it('replacing a source takes its old tools out of both rankers', async () => {
    const qr = FIXTURE_SOURCES.find((s) => s.name === 'qr');
    if (qr === undefined) throw new Error('fixture');
    await index.replaceSource({ ...qr, tools: [{ name: 'make-barcode', description: 'Encodes digits as an EAN-13 barcode' }] });
    const res = await index.search('QR code for a URL', 10);
    expect(res.results.map((r) => r.name)).not.toContain('make-qr-code');
    await index.replaceSource(qr);
    expect((await index.search('QR code for a URL', 3)).results[0]?.name).toBe('make-qr-code');
  });
});
