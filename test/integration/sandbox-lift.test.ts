// End to end through the real stdio server: a result whose list entries alias one large guest region,
// or that has tens of millions of elements, is refused before it is lifted; the server's peak RSS
// (VmHWM) grows by far less than the copies would need, and the next call works.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const MiB = 1024 * 1024;
const t = tempHome();
let s: McpSession;
const names = new Map<string, string>();

/** Peak resident set of the server process so far, in MiB (Linux). */
function peakMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.pid!()}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

beforeAll(async () => {
  s = await startStdioSession({
    home: t.home,
    env: { WASSETTE_MEMORY_LIMIT: '96Mi', WASSETTE_MAX_OUTPUT_BYTES: String(4 * MiB), WASSETTE_CALL_TIMEOUT_MS: '60000' },
  });
  const r = await call(s, 'load_component', { path: fixture('alias-lists') });
  expect(r.isError, text(r)).toBeFalsy();
  const list = await call(s, 'list_components');
  for (const c of list.structuredContent?.components as Array<{ tools: string[] }>) {
    for (const n of c.tools) names.set(n.replace(/^.*__/, ''), n);
  }
}, 60_000);

afterAll(async () => {
  await s?.close();
  t.cleanup();
});

describe('lifting a result over MCP', () => {
  it('refuses aliasing and element-count results with bounded server memory; the next call works', async () => {
    const tool = (n: string): string => names.get(n) ?? names.get(n.replace(/-/g, '_')) ?? n;
    expect((await call(s, tool('alias-str'), { n: 2, size: 3 })).structuredContent).toEqual({ result: ['xxx', 'xxx'] });
    const before = peakMb();
    for (const [name, args] of [
      ['alias', { n: 192, size: 16 * MiB }],
      ['alias-str', { n: 64, size: 3 * MiB }],
      ['many', { n: 50_000_000 }],
      ['empties', { n: 8_000_000 }],
    ] as const) {
      const r = await call(s, tool(name), args);
      expect(r.isError, `${name}: ${text(r)}`).toBe(true);
      expect(text(r)).toMatch(/output limit/);
      expect((await call(s, tool('alias-str'), { n: 1, size: 2 })).structuredContent).toEqual({ result: ['xx'] });
    }
    const growth = peakMb() - before;
    console.info(`server peak RSS growth over the four attacks: ${growth.toFixed(1)} MiB`);
    // Guest memory (at most 96 MiB, the memory limit) + 8x the output limit + a worker restart's worth.
    // Unguarded, the first attack alone copies 192 x 16 MiB = 3 GiB.
    expect(growth).toBeLessThan(96 + 32 + 96);
  }, 120_000);
});
