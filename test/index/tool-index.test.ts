import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../../index/documents.js';
import { ToolIndex, ToolIndexError } from '../../index/tool-index.js';
import { fakeEmbedder, tempDir } from './helpers.js';

const kv: SourceInput = {
  source: 'oci://r/kv:1',
  kind: 'component',
  ref: 'oci://r/kv@sha256:aa',
  name: 'kv',
  description: 'Key value store',
  permissions: { storage: ['fs:///data'] },
  signature: { status: 'verified', identity: 'ci@example.com' },
  tools: [
    { name: 'get-value', description: 'Reads a value by key' },
    { name: 'put-value', description: 'Writes a value under a key' },
  ],
};
const mcp: SourceInput = { source: 'files.json', kind: 'mcp', ref: 'mcp:files.json', tools: [{ name: 'read_file', description: 'Reads a file from disk' }] };

describe('ToolIndex without a model', () => {
  it('falls back to lexical ranking, says so once, and still finds tools', async () => {
    const logs: string[] = [];
    const index = ToolIndex.open(join(tempDir(), 'index.db'), { embedder: { modelsDir: join(tempDir(), 'no-models') }, log: (m) => logs.push(m) });
    await index.replaceSource(kv);
    await index.replaceSource(mcp);
    const a = await index.search('read a file', 5);
    const b = await index.search('writes value', 5);
    expect(a.ranking).toBe('lexical');
    expect(a.results[0]).toMatchObject({ name: 'read_file', ref: 'mcp:files.json#read_file', source: 'files.json' });
    expect(b.results[0]).toMatchObject({ name: 'put-value', ref: 'oci://r/kv@sha256:aa', permissions: kv.permissions, signature: kv.signature });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/lexical ranking only: no embedding model found/);
    expect(await index.stats()).toMatchObject({ sources: 2, documents: 4, embedded: 0, ranking: 'lexical' });
    await index.close();
  });

  it.each([
    ['', 5, 'invalid-query'],
    ['   \n\t', 5, 'invalid-query'],
    ['ok', 0, 'invalid-limit'],
    ['ok', 51, 'invalid-limit'],
    ['ok', 2.5, 'invalid-limit'],
  ])('search(%j, %d) is an argument error (%s)', async (q, limit, code) => {
    const index = ToolIndex.open(join(tempDir(), 'index.db'), { embedder: null });
    await expect(index.search(q, limit)).rejects.toMatchObject({ code, constructor: ToolIndexError });
    await index.close();
  });
});

describe('ToolIndex plumbing with a fake embedder', () => {
  it('persists vectors at close and reopens without re-embedding', async () => {
    const db = join(tempDir(), 'index.db');
    const first = fakeEmbedder();
    const a = ToolIndex.open(db, { embedder: async () => first });
    await a.replaceSource(kv);
    expect(first.calls).toBe(3);
    await a.close();
    expect(existsSync(a.vectorPath)).toBe(true);
    expect(a.vectorPath).toBe(join(db, '..', 'index.hnsw'));

    const second = fakeEmbedder();
    const b = ToolIndex.open(db, { embedder: async () => second });
    const res = await b.search('value key', 5);
    expect(res.ranking).toBe('hybrid');
    expect(res.results.map((r) => r.name).sort()).toEqual(['get-value', 'put-value']);
    expect(second.calls).toBe(1);
    expect(await b.stats()).toMatchObject({ documents: 3, embedded: 3, vectors: 3 });
    await b.close();
  });

  it('rebuilds the vector file from SQLite after it is lost or stale', async () => {
    const db = join(tempDir(), 'index.db');
    const a = ToolIndex.open(db, { embedder: async () => fakeEmbedder() });
    await a.replaceSource(kv);
    await a.close();
    rmSync(a.vectorPath);
    writeFileSync(`${a.vectorPath}.json`, '{"format":1,"generation":-1}');
    const e = fakeEmbedder();
    const b = ToolIndex.open(db, { embedder: async () => e });
    expect((await b.search('value', 5, 'dense')).results).toHaveLength(2);
    expect(e.calls).toBe(1);
    await b.close();
    expect(existsSync(b.vectorPath)).toBe(true);
  });

  it('embeds documents indexed while no model was there, and re-embeds when the model changes', async () => {
    const db = join(tempDir(), 'index.db');
    const a = ToolIndex.open(db, { embedder: null });
    await a.replaceSource(kv);
    await a.close();
    const e1 = fakeEmbedder('fake:1');
    const b = ToolIndex.open(db, { embedder: async () => e1 });
    expect((await b.search('value', 5)).ranking).toBe('hybrid');
    expect(e1.calls).toBe(3 + 1);
    await b.close();
    const e2 = fakeEmbedder('fake:2');
    const c = ToolIndex.open(db, { embedder: async () => e2 });
    await c.search('value', 5);
    expect(e2.calls).toBe(3 + 1);
    await c.close();
  });

  it('removeSource takes a source out of both rankers; replace keeps other sources', async () => {
    const index = ToolIndex.open(join(tempDir(), 'index.db'), { embedder: async () => fakeEmbedder() });
    await index.replaceSource(kv);
    await index.replaceSource(mcp);
    await index.replaceSource({ ...kv, tools: [{ name: 'delete-value', description: 'Deletes a value' }] });
    // The old tools are gone; the component document never appears as a result.
    expect((await index.search('value', 10, 'dense')).results.map((r) => r.name).sort()).toEqual(['delete-value', 'read_file']);
    expect(await index.removeSource('oci://r/kv:1')).toEqual({ documents: 2 });
    for (const mode of ['dense', 'lexical', 'hybrid'] as const) {
      const names = (await index.search('value file', 10, mode)).results.map((r) => r.name);
      expect(names).toEqual(['read_file']);
    }
    expect(index.sources()).toEqual(['files.json']);
    await index.close();
  });

  it('a vector file that cannot be written does not fail the committed change', async () => {
    const logs: string[] = [];
    const index = ToolIndex.open(join(tempDir(), 'index.db'), { embedder: async () => fakeEmbedder(), persistIntervalMs: 0, log: (m) => logs.push(m) });
    // Where persist writes its temp file: a directory there makes the write fail.
    mkdirSync(`${index.vectorPath}.${process.pid}.tmp`);
    await index.replaceSource(mcp);
    expect(logs.join('\n')).toMatch(/vector file not written/);
    expect((await index.search('file', 5)).results[0]?.name).toBe('read_file');
    rmSync(`${index.vectorPath}.${process.pid}.tmp`, { recursive: true });
    await index.close();
    expect(existsSync(index.vectorPath)).toBe(true);
  });

  it('a forced lexical search does not load the model', async () => {
    let loads = 0;
    const index = ToolIndex.open(join(tempDir(), 'index.db'), {
      embedder: async () => {
        loads++;
        return fakeEmbedder();
      },
    });
    await index.search('anything', 5, 'lexical');
    expect(loads).toBe(0);
    await index.close();
  });
});

describe('two processes on one db (server and CLI)', () => {
  it("a search sees the other instance's import, and neither persists a file claiming changes it lacks", async () => {
    const db = join(tempDir(), 'index.db');
    const server = ToolIndex.open(db, { embedder: async () => fakeEmbedder(), persistIntervalMs: 0 });
    await server.replaceSource(kv);
    expect((await server.search('file disk', 5, 'dense')).results.map((r) => r.name)).not.toContain('read_file');

    const cli = ToolIndex.open(db, { embedder: async () => fakeEmbedder(), persistIntervalMs: 0 });
    await cli.replaceSource(mcp);
    await cli.close();

    expect((await server.search('file disk', 5, 'dense')).results[0]?.name).toBe('read_file');
    // The server writes again on top of the reloaded state; the file it leaves must hold all 4 documents.
    await server.replaceSource({ ...kv, tools: [{ name: 'get-value', description: 'Reads a value by key' }] });
    await server.close();
    const e = fakeEmbedder();
    const later = ToolIndex.open(db, { embedder: async () => e });
    expect((await later.search('file disk', 5, 'dense')).results[0]?.name).toBe('read_file');
    expect(await later.stats()).toMatchObject({ documents: 3, vectors: 3 });
    expect(e.calls).toBe(1);
    await later.close();
  });

  it('a server whose change raced another process reloads instead of trusting its own vectors', async () => {
    const db = join(tempDir(), 'index.db');
    const server = ToolIndex.open(db, { embedder: async () => fakeEmbedder(), persistIntervalMs: 0 });
    await server.search('warm', 1);
    const cli = ToolIndex.open(db, { embedder: async () => fakeEmbedder(), persistIntervalMs: 0 });
    await cli.replaceSource(mcp);
    await cli.close();
    // No search in between: the server's own write starts from a generation its vectors do not reflect.
    await server.replaceSource(kv);
    await server.close();
    const later = ToolIndex.open(db, { embedder: async () => fakeEmbedder() });
    expect((await later.search('file disk', 5, 'dense')).results[0]?.name).toBe('read_file');
    expect(await later.stats()).toMatchObject({ documents: 4, vectors: 4 });
    await later.close();
  });
});

describe('kill -9 of a writing process', () => {
  it('the next open serves exactly what SQLite committed, vectors included', async () => {
    const dir = tempDir();
    const db = join(dir, 'index.db');
    // .mts: the temp dir has no package.json, and top-level await needs ESM.
    const script = join(dir, 'writer.mts');
    const facade = resolve(import.meta.dirname, '..', '..', 'index', 'tool-index.ts');
    // Vector file rewritten on every change (interval 0), so the kill lands in a write often.
    writeFileSync(
      script,
      `
      import { ToolIndex } from ${JSON.stringify(facade)};
      const embedder = { id: 'fake:1', dim: 32, embed: async (t) => { const v = new Float32Array(32); for (let i = 0; i < t.length; i++) v[t.charCodeAt(i) % 32] += 1; const n = Math.hypot(...v) || 1; return v.map((x) => x / n); } };
      const index = ToolIndex.open(${JSON.stringify(db)}, { embedder: async () => embedder, persistIntervalMs: 0 });
      for (let g = 0; ; g++) {
        const tools = Array.from({ length: 20 }, (_, i) => ({ name: 'gen' + g + '_tool' + i, description: 'tool of generation ' + g }));
        await index.replaceSource({ source: 's.json', kind: 'mcp', ref: 'mcp:s.json', tools });
        if (g === 3) process.stdout.write('ready\\n');
      }
    `,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: resolve(import.meta.dirname, '..', '..') });
    await new Promise<void>((ok, fail) => {
      child.stdout.once('data', () => ok());
      child.once('exit', (code) => fail(new Error(`writer exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    child.stdout.destroy();

    const index = ToolIndex.open(db, { embedder: async () => fakeEmbedder('fake:1', 32) });
    const res = await index.search('tool of generation', 50, 'dense');
    const generations = new Set(res.results.map((r) => r.name.replace(/_tool\d+$/, '')));
    expect(res.results).toHaveLength(20);
    expect(generations.size).toBe(1);
    expect(await index.stats()).toMatchObject({ sources: 1, documents: 20, embedded: 20, vectors: 20 });
    await index.close();
  }, 30_000);
});
