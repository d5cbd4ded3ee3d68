// End to end over stdio: components whose exports would blow up decoding, schema generation or
// tools/list (too many functions, one huge function type, many medium ones) are refused at load time
// in prompt mode before any approval is asked, and refused again when an older version had stored one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/oci/blob-store.js';
import { sha256Digest } from '../../src/oci/manifest.js';
import { openStore } from '../../src/store/db.js';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };
/** Generous for a loaded 2-core machine; an expanding decoder takes minutes or runs out of memory. */
const REFUSE_WITHIN_MS = 3_000;
const TOOLS_LIST_MAX_BYTES = 64 * 1024;
/** Names the exceeded cap (the export budget, or the decoder's own per-type cap). */
const CAP_REFUSAL = /(the limit is|expands to more than) \d+/;

/** A tuple DAG: level 0 is (u8, u8); each next level is a 16-tuple of the previous (x16 nodes per level). */
function tupleLevels(levels: number): string {
  const lines = ['  (type $t0 (tuple u8 u8))'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `  (type $t${i} (tuple ${Array(16)
        .fill(`$t${i - 1}`)
        .join(' ')}))`,
    );
  return lines.join('\n');
}

/** A component exporting `count` functions that all return `$t<level>`, written as WAT. */
function exportsWat(levels: number, count: number): string {
  const exports = Array.from({ length: count }, (_, i) => `  (export "f${i}" (func $f))`);
  return `(component\n${tupleLevels(levels)}\n  (import "big" (func $f (result $t${levels})))\n${exports.join('\n')}\n)\n`;
}

async function watToWasm(wat: string): Promise<Uint8Array> {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  return parse(wat);
}

interface Bomb {
  what: string;
  path: string;
}

async function listedTools(s: McpSession): Promise<{ names: string[]; bytes: number }> {
  const list = await s.client.listTools();
  return { names: list.tools.map((x) => x.name), bytes: Buffer.byteLength(JSON.stringify(list)) };
}

async function components(s: McpSession): Promise<Array<Record<string, unknown>>> {
  const r = await call(s, 'list_components');
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent?.components as Array<Record<string, unknown>>;
}

describe('load-time export bombs in prompt mode', () => {
  const t = tempHome();
  const files = tempHome('wassette-bomb-');
  const bombs: Bomb[] = [];
  const timings: Record<string, number> = {};
  let s: McpSession;

  beforeAll(async () => {
    const put = async (name: string, wat: string) => {
      const p = join(files.home, name);
      writeFileSync(p, await watToWasm(wat));
      return p;
    };
    bombs.push(
      // 400 exports sharing one 12.5k-node result: over the function count cap.
      { what: 'export-bomb fixture (400 x 12.5k nodes)', path: fixture('export-bomb') },
      // One function whose result expands to ~51M nodes (6 levels): over the per-function cap.
      { what: 'one function of ~51M nodes', path: await put('deep.wasm', exportsWat(6, 1)) },
      // One function of ~12.5k nodes (3 levels): just over the per-function cap, under the decoder's per-type one.
      { what: 'one function of 12.5k nodes', path: await put('one.wasm', exportsWat(3, 1)) },
      // 200 functions (under the count cap) of 785 nodes each (under the per-function cap): 157k in total.
      { what: '200 functions x 785 nodes', path: await put('wide.wasm', exportsWat(2, 200)) },
      // 256 functions (exactly the count cap) of ~12.5k nodes: both the per-function and total caps.
      { what: '256 functions x 12.5k nodes', path: await put('at-count-cap.wasm', exportsWat(3, 256)) },
    );
    s = await startStdioSession({ home: t.home, env: PROMPT });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
    files.cleanup();
    console.log(`load-bomb refusal times (ms): ${JSON.stringify(timings)}`);
  });

  it('refuses each one quickly, asks for no approval, and keeps serving', async () => {
    const before = await listedTools(s);
    const changedBefore = s.listChanged();
    for (const bomb of bombs) {
      const started = performance.now();
      const r = await call(s, 'load_component', { path: bomb.path });
      const elapsed = performance.now() - started;
      timings[bomb.what] = Math.round(elapsed);
      expect(r.isError, `${bomb.what}: ${text(r)}`).toBe(true);
      expect(r.structuredContent?.status, bomb.what).not.toBe('pending');
      expect(r.structuredContent?.error?.code, bomb.what).toBe('invalid-component');
      expect(text(r), bomb.what).toMatch(CAP_REFUSAL);
      expect(elapsed, bomb.what).toBeLessThan(REFUSE_WITHIN_MS);

      // The server answers right after, with nothing registered or announced.
      expect(await components(s), bomb.what).toEqual([]);
      const after = await listedTools(s);
      expect(after.names.sort(), bomb.what).toEqual([...before.names].sort());
      expect(after.bytes, bomb.what).toBeLessThan(TOOLS_LIST_MAX_BYTES);
    }
    expect(s.listChanged()).toBe(changedBefore);
    await s.client.ping();

    const approvals = await runCli(['approvals', 'list', '--all', '--json'], { home: t.home });
    expect(approvals.code, approvals.stderr).toBe(0);
    expect(JSON.parse(approvals.stdout).requests).toEqual([]);
  }, 60_000);

  it('a real component still loads through the prompt afterwards (pending, not refused)', async () => {
    const r = await call(s, 'load_component', { path: fixture('spin') });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent?.status).toBe('pending');
    const approvals = JSON.parse((await runCli(['approvals', 'list', '--json'], { home: t.home })).stdout);
    expect(approvals.requests).toHaveLength(1);
    expect(JSON.stringify(approvals.requests[0])).toContain('spin');
  }, 30_000);

  it('after a restart on the same home no bomb is listed or served', async () => {
    await s.close();
    s = await startStdioSession({ home: t.home, env: PROMPT });
    expect(await components(s)).toEqual([]);
    const tools = await listedTools(s);
    expect(tools.names.filter((n) => /^f\d+$/.test(n))).toEqual([]);
    expect(tools.bytes).toBeLessThan(TOOLS_LIST_MAX_BYTES);
  }, 30_000);
});

describe('restoring an export bomb an older version had stored', () => {
  const t = tempHome();
  let s: McpSession | undefined;
  let startupMs = 0;

  beforeAll(async () => {
    // A normal component next to it, loaded the usual way, must keep being served.
    expect((await runCli(['component', 'load', fixture('spin')], { home: t.home })).code).toBe(0);
    const blobs = BlobStore.forHome(t.home);
    const store = openStore(t.home);
    try {
      const bombs: Array<[string, Uint8Array]> = [
        ['export-bomb', readFileSync(fixture('export-bomb'))],
        ['deep-bomb', await watToWasm(exportsWat(6, 1))],
      ];
      for (const [id, bytes] of bombs) {
        const digest = await blobs.put(bytes, sha256Digest(bytes));
        const count = id === 'export-bomb' ? 400 : 1;
        store.components.upsert({ id, source: join(t.home, `${id}.wasm`), digest, tools: Array.from({ length: count }, (_, i) => `f${i}`) });
      }
    } finally {
      store.close();
    }
    const started = performance.now();
    s = await startStdioSession({ home: t.home });
    startupMs = Math.round(performance.now() - started);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
    console.log(`load-bomb restore: server start with two stored bombs took ${startupMs} ms`);
  });

  it('starts, serves the good component, and lists the bombs as unavailable with the cap as reason', async () => {
    const session = s!;
    expect(startupMs).toBeLessThan(15_000);
    const list = await components(session);
    const byId = new Map(list.map((c) => [c.id, c]));
    expect(byId.get('spin')?.tools).toContain('ping');
    expect(byId.get('spin')?.status).toBeUndefined();
    for (const id of ['export-bomb', 'deep-bomb']) {
      expect(byId.get(id), id).toEqual(expect.objectContaining({ status: 'unavailable', tools: [] }));
      expect(String(byId.get(id)?.error), id).toMatch(CAP_REFUSAL);
    }
    expect((await call(session, 'ping')).structuredContent).toEqual({ result: 42 });

    const tools = await listedTools(session);
    expect(tools.names).toContain('ping');
    expect(tools.names.filter((n) => /^f\d+$/.test(n))).toEqual([]);
    expect(tools.bytes).toBeLessThan(TOOLS_LIST_MAX_BYTES);
  }, 30_000);

  it('unloading a stored bomb removes it', async () => {
    const session = s!;
    for (const id of ['export-bomb', 'deep-bomb']) expect((await call(session, 'unload_component', { id })).isError, id).toBeFalsy();
    expect((await components(session)).map((c) => c.id)).toEqual(['spin']);
  }, 30_000);
});
