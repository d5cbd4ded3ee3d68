// End to end through the real stdio server: runaway components (spin, grow, recurse, big output) are
// stopped by the configured limits with a clear error, the server and other components keep answering,
// and a component's policy.yaml `resources.limits` overrides the server default.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const TIMEOUT_MS = 1000;
const t = tempHome();
const dir = mkdtempSync(join(tmpdir(), 'wassette-limits-'));
let s: McpSession;
/** Tool names by component id, as the server named them (copies of a fixture share base names). */
const tools = new Map<string, string[]>();

function tool(id: string, base: string): string {
  const name = tools.get(id)?.find((n) => n === base || n.endsWith(`__${base}`));
  if (!name) throw new Error(`${id} has no tool ${base}: ${tools.get(id)?.join(', ')}`);
  return name;
}

async function load(path: string): Promise<void> {
  const r = await call(s, 'load_component', { path });
  expect(r.isError, text(r)).toBeFalsy();
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await f();
  return { value, ms: performance.now() - start };
}

beforeAll(async () => {
  // Same bytes as fixtures, but each with its own policy.yaml beside it.
  copyFileSync(fixture('spin'), join(dir, 'quick-spin.wasm'));
  writeFileSync(join(dir, 'quick-spin.policy.yaml'), 'version: "1.0"\nresources:\n  limits:\n    timeout: 300ms\n');
  copyFileSync(fixture('grow'), join(dir, 'roomy-grow.wasm'));
  // Its own timeout too: growing 2047 pages one at a time takes over a second on a loaded 2-core machine.
  writeFileSync(join(dir, 'roomy-grow.policy.yaml'), 'version: "1.0"\nresources:\n  limits:\n    memory: 128Mi\n    timeout: 15000ms\n');
  // Asks for far more than the server's ceiling allows: it gets the ceiling.
  copyFileSync(fixture('grow'), join(dir, 'greedy-grow.wasm'));
  writeFileSync(join(dir, 'greedy-grow.policy.yaml'), 'version: "1.0"\nresources:\n  limits:\n    memory: 64Gi\n    timeout: 15000ms\n');

  s = await startStdioSession({
    home: t.home,
    env: {
      WASSETTE_CALL_TIMEOUT_MS: String(TIMEOUT_MS),
      WASSETTE_MEMORY_LIMIT: '64Mi',
      WASSETTE_MAX_MEMORY_LIMIT: '128Mi',
      WASSETTE_MAX_OUTPUT_BYTES: '65536',
    },
  });
  for (const name of ['spin', 'grow', 'recurse', 'big-output']) await load(fixture(name));
  await load(join(dir, 'quick-spin.wasm'));
  await load(join(dir, 'roomy-grow.wasm'));
  await load(join(dir, 'greedy-grow.wasm'));
  // Names settle only once every component is in (a shared base name gets a component prefix).
  const list = await call(s, 'list_components');
  for (const c of list.structuredContent?.components as Array<{ id: string; tools: string[] }>) tools.set(c.id, c.tools);
}, 60_000);

afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
  t.cleanup();
});

describe('limits over MCP', () => {
  it('stops a spinning call at the time limit with a clear error; the next call gets a fresh instance', async () => {
    expect((await call(s, tool('spin', 'ping'))).structuredContent).toEqual({ result: 42 });
    const { value: r, ms } = await timed(() => call(s, tool('spin', 'spin')));
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/timeout/);
    expect(text(r)).toContain(`exceeded its ${TIMEOUT_MS} ms limit`);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
    expect((await call(s, tool('spin', 'ping'))).structuredContent).toEqual({ result: 42 });
  }, 20_000);

  it('keeps another component answering quickly while one spins', async () => {
    // Warm: the first call pays for starting the component's worker, which is not what this measures.
    await call(s, tool('big-output', 'blob'), { n: 1 });
    const spinning = call(s, tool('spin', 'spin'));
    await new Promise((res) => setTimeout(res, 100));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { value, ms } = await timed(() => call(s, tool('big-output', 'blob'), { n: 3 }));
      expect(value.structuredContent).toEqual({ result: 'xxx' });
      latencies.push(ms);
    }
    const r = await spinning;
    expect(r.isError).toBe(true);
    // Measured: a few ms each; the spin holds its own worker thread, not the server's event loop.
    // Blocked, each call would wait for the 1 s spin; the bound leaves room for a loaded 2-core CI box.
    expect(Math.max(...latencies), latencies.join(', ')).toBeLessThan(400);
    console.info(`latency of big-output.blob while spin runs: ${latencies.map((x) => x.toFixed(1)).join(', ')} ms`);
  }, 20_000);

  it('caps memory growth at WASSETTE_MEMORY_LIMIT', async () => {
    // 64 MiB = 1024 pages of 64 KiB; one page is there from the start.
    expect((await call(s, tool('grow', 'grow'), { pages: 1 })).structuredContent).toEqual({ result: 1023 });
  }, 20_000);

  it('turns unbounded recursion into an error and keeps the server alive', async () => {
    const r = await call(s, tool('recurse', 'recurse'));
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/trap|stack/i);
    expect((await call(s, tool('recurse', 'depth'), { n: 100 })).structuredContent).toEqual({ result: 100 });
    expect((await call(s, tool('spin', 'ping'))).structuredContent).toEqual({ result: 42 });
  }, 20_000);

  it('refuses a result above WASSETTE_MAX_OUTPUT_BYTES with a clear error', async () => {
    const r = await call(s, tool('big-output', 'blob'), { n: 100_000 });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('output-too-large');
    expect((await call(s, tool('big-output', 'blob'), { n: 1000 })).structuredContent).toEqual({ result: 'x'.repeat(1000) });
  }, 20_000);

  it("applies a component's policy limits instead of the defaults", async () => {
    const { value: r, ms } = await timed(() => call(s, tool('quick-spin', 'spin')));
    expect(text(r)).toContain('exceeded its 300 ms limit');
    expect(ms).toBeLessThan(TIMEOUT_MS);
    expect((await call(s, tool('roomy-grow', 'grow'), { pages: 1 })).structuredContent).toEqual({ result: 2047 });
    const policy = await call(s, 'get_policy', { component_id: 'roomy-grow' });
    expect(policy.structuredContent?.policy_yaml).toContain('128Mi');
  }, 20_000);

  it('never lets a policy raise a limit above the server ceiling, and says so in the log', async () => {
    // 128 MiB (WASSETTE_MAX_MEMORY_LIMIT) = 2048 pages, not the 64Gi the policy asks for.
    expect((await call(s, tool('greedy-grow', 'grow'), { pages: 1 })).structuredContent).toEqual({ result: 2047 });
    expect(s.stderr()).toMatch(/greedy-grow: memory limit 64Gi is above max_memory_limit \(134217728 bytes\); it runs at the ceiling/);
  }, 30_000);
});
