import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text } from '../helpers/cli.js';

const t = tempHome();
const ro = mkdtempSync(join(tmpdir(), 'wassette-deny-'));
let s: Awaited<ReturnType<typeof startStdioSession>>;
const dbBytes = () =>
  ['wassette.db', 'wassette.db-wal']
    .map((f) => join(t.home, f))
    .filter(existsSync)
    .reduce((n, f) => n + statSync(f).size, 0);

beforeAll(async () => {
  s = await startStdioSession({ home: t.home });
  const loaded = await call(s, 'load_component', { path: fixture('escape-probe') });
  expect(loaded.isError, text(loaded)).toBeFalsy();
  const g = await call(s, 'grant_storage_permission', { component_id: 'escape-probe', details: { uri: `fs://${ro}`, access: ['read'] } });
  expect(g.isError, text(g)).toBeFalsy();
}, 60_000);
afterAll(async () => {
  await s?.close();
  t.cleanup();
  rmSync(ro, { recursive: true, force: true });
});

describe('denials with multi-MB targets stay small', () => {
  it('keeps the result and the audit database small when each call is refused a 2 MB path', async () => {
    const before = dbBytes();
    for (let i = 0; i < 8; i++) {
      const r = await call(s, 'read_at', { dir: ro, rel: `../${String(i).repeat(2 * 1024 * 1024)}`, follow: true });
      expect(JSON.stringify(r).length).toBeLessThan(64 * 1024);
      // Refused either as a denial (cut to its bounds) or, by the resolver's PATH_MAX bound, before anything is recorded.
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/denied|refused|outside|climbs|name-too-long/i);
    }
    await new Promise((r) => setTimeout(r, 500));
    const grown = dbBytes() - before;
    console.log(`audit db + wal grew ${grown} bytes over 8 calls`);
    expect(grown).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});
