// End to end through the real stdio server: a component granted read-write on a directory that contains
// WASSETTE_HOME (as a grant on the user's home would) cannot read, rewrite, rename or replace the server's own state
// (its SQLite db with the grants, its secrets, its config file), and a read-write grant on /proc does not reach the worker's
// own memory or environment. The state stays intact, the server keeps serving, the refusals are audited as denials.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, text, type McpSession } from '../helpers/cli.js';

const ID = 'fs-attack';
let T: string;
let home: string;
let s: McpSession;

beforeAll(async () => {
  T = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fence-it-')));
  home = join(T, 'state');
  mkdirSync(home);
  writeFileSync(join(home, 'config.yaml'), 'log_level: info\n');
  s = await startStdioSession({ home });
  expect((await call(s, 'load_component', { path: fixture(ID) })).isError).toBeFalsy();
  for (const [uri, access] of [
    [`fs://${T}`, ['read', 'write']],
    ['fs:///proc', ['read', 'write']],
  ] as const) {
    const g = await call(s, 'grant_storage_permission', { component_id: ID, details: { uri, access } });
    expect(g.structuredContent?.status, text(g)).toBe('granted');
  }
}, 60_000);

afterAll(async () => {
  await s?.close();
  rmSync(T, { recursive: true, force: true });
});

describe('the server state is outside every grant (fs-attack)', () => {
  it('reads, writes, renames and replacements of WASSETTE_HOME and /proc/self are refused as denials', async () => {
    const before = readdirSync(home).sort();
    const dbBefore = readFileSync(join(home, 'wassette.db'));
    writeFileSync(join(T, 'mine.txt'), 'mine');
    const steps = [
      `read ${T} mine.txt`,
      `read ${T} state/wassette.db`,
      `write ${T} state/wassette.db x`,
      `write ${T} state/config.yaml approval: auto`,
      `rename ${T} state ${T} old-state`,
      `mkdir ${T} state/secrets/${ID}`,
      `link ${T} state/wassette.db ${T} db-copy`,
      `list ${T}`,
      `read /proc self/environ`,
      `read /proc thread-self/environ`,
      `write /proc self/mem x`,
      `read /proc version`,
    ];
    const r = await call(s, 'run', { steps });
    expect(r.isError, text(r)).toBeFalsy();
    const out = r.structuredContent?.result as string[];
    expect(out[0]).toBe('ok mine');
    expect(out.slice(1, 7)).toEqual(Array(6).fill('err access'));
    expect(out.slice(8, 11)).toEqual(Array(3).fill('err access'));
    expect(out[11]).toMatch(/^ok Linux/);
    // The guest saw nothing of the db, the environment or the config.
    expect(JSON.stringify(r)).not.toContain('SQLite format');
    expect(JSON.stringify(r)).not.toContain('WASSETTE_HOME=');

    expect(readdirSync(home).sort()).toEqual(before);
    expect(readFileSync(join(home, 'config.yaml'), 'utf8')).toBe('log_level: info\n');
    expect(readFileSync(join(home, 'wassette.db')).subarray(0, 16)).toEqual(dbBefore.subarray(0, 16));
    expect(readdirSync(T).sort()).toEqual(['mine.txt', 'state']);

    const audit = await runCli(['audit', '--json', '--component', ID, '--outcome', 'denied', '--limit', '100'], { home });
    const denied = JSON.parse(audit.stdout).entries as Array<Record<string, string>>;
    expect(denied.some((e) => (e.target ?? '').startsWith(home) && /wassette's own state/.test(e.detail ?? ''))).toBe(true);
    expect(denied.some((e) => /^\/proc\//.test(e.target ?? ''))).toBe(true);

    // The server and its grants are unchanged: the component still reads what it was granted.
    const again = await call(s, 'run', { steps: [`read ${T} mine.txt`] });
    expect(again.structuredContent?.result).toEqual(['ok mine']);
  }, 60_000);
});
