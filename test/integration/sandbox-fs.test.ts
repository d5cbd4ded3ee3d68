// End to end through the real stdio server: the fs-attack component performs the rename + symlink escape from
// issue 7 against a host tree with a sentinel (standing in for /etc) outside its one read-write grant, and reads an
// absolute path outside its grants through the `/` preopen as wasi-libc would; the sentinel is never read, written or
// listed, nothing is created outside the grant, and the refusals reach the agent and `wassette audit` as denials.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const ID = 'fs-attack';
const SENTINEL = 'SENTINEL-PASSWD-0123456789';
const t = tempHome();
let s: McpSession;
let T: string;
let G: string;
let etc: string;
let sentinelMtimes: number[];

async function auditJson(...filters: string[]): Promise<Array<Record<string, any>>> {
  const r = await runCli(['audit', '--json', '--component', ID, '--limit', '500', ...filters], { home: t.home });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).entries;
}

function mtimes(): number[] {
  return [etc, join(etc, 'passwd'), join(etc, 'secret-dir')].map((p) => statSync(p).mtimeMs);
}

function sentinelUntouched(): void {
  expect(readdirSync(etc).sort()).toEqual(['passwd', 'secret-dir']);
  expect(readFileSync(join(etc, 'passwd'), 'utf8')).toBe(SENTINEL);
  expect(readdirSync(join(etc, 'secret-dir'))).toEqual([]);
  expect(mtimes()).toEqual(sentinelMtimes);
  // Nothing created anywhere outside the grant.
  expect(readdirSync(T).sort()).toEqual(['etc', 'srv']);
  expect(readdirSync(join(T, 'srv'))).toEqual(['g']);
}

beforeAll(async () => {
  T = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fs-it-')));
  G = join(T, 'srv', 'g');
  etc = join(T, 'etc');
  mkdirSync(join(etc, 'secret-dir'), { recursive: true });
  mkdirSync(join(G, 'p', 'q'), { recursive: true });
  writeFileSync(join(etc, 'passwd'), SENTINEL);
  // The link the guest made (`G/p/q/a -> ../..`, harmless where it is); a guest may no longer create it,
  // so the test plants it, as any other program could.
  symlinkSync('../..', join(G, 'p', 'q', 'a'));
  sentinelMtimes = mtimes();

  s = await startStdioSession({ home: t.home });
  const loaded = await call(s, 'load_component', { path: fixture(ID) });
  expect(loaded.isError, text(loaded)).toBeFalsy();
  const g = await call(s, 'grant_storage_permission', { component_id: ID, details: { uri: `fs://${G}`, access: ['read', 'write'] } });
  expect(g.structuredContent?.status).toBe('granted');
}, 60_000);

afterAll(async () => {
  await s?.close();
  rmSync(T, { recursive: true, force: true });
  t.cleanup();
});

describe('filesystem confinement over MCP (fs-attack)', () => {
  it('the rename + symlink attack through an old descriptor reaches nothing outside the grant', async () => {
    // The sequence: each way of putting `G/a -> ../..` in place is refused to the guest...
    const first = [
      `mkdir ${G} a`,
      `mkdir ${G} a/etc`,
      `open old ${G} a/etc dir,read`,
      `rename ${G} a ${G} b`,
      `symlink ${G} ../.. p/q/a2`,
      `rename ${G} p/q/a ${G} a`,
      `link ${G} p/q/a ${G} a`,
    ];
    const r1 = await call(s, 'run', { steps: first });
    expect(r1.isError, text(r1)).toBeFalsy();
    expect(r1.structuredContent?.result).toEqual(['ok', 'ok', 'ok', 'ok', 'err not-permitted', 'err not-permitted', 'err not-permitted']);
    // ...so another program puts it there, while the guest still holds the old descriptor (same instance).
    symlinkSync('../..', join(G, 'a'));

    const steps = [
      `read old passwd`,
      `sread old passwd`,
      `open made old pwned create,write`,
      `write old pwned2 x`,
      `mkdir old made-dir`,
      `list old`,
      `read ${G} a/etc/passwd`,
      `sread ${G} a/etc/passwd`,
      `write ${G} a/etc/pwned3 x`,
      `mkdir ${G} a/etc/made-dir2`,
      `open new ${G} a/etc dir,read,follow`,
      `rename ${G} b/etc ${G} a/etc/moved`,
      `link ${G} b/etc/pwned ${G} a/etc/linked`,
      `read / ${etc.slice(1)}/passwd`,
      `list /`,
      `swrite old streamed.txt via-stream`,
      `sread ${G} b/etc/streamed.txt`,
    ];
    const r = await call(s, 'run', { steps });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent?.result).toEqual([
      // The old descriptor is the directory it was opened on (now G/b/etc), not the string G/a/etc.
      'err no-entry',
      'err no-entry',
      'ok',
      'ok',
      'ok',
      'ok made-dir,pwned,pwned2',
      // New paths through the link climb above G.
      'err not-permitted',
      'err not-permitted',
      'err not-permitted',
      'err not-permitted',
      'err not-permitted',
      'err not-permitted',
      'err not-permitted',
      // `/` refuses what is outside the grants and lists nothing.
      'err not-permitted',
      'ok ',
      // The shim's own streams, served from the objects we opened.
      'ok',
      'ok via-stream',
    ]);

    expect(JSON.stringify([r1, r])).not.toContain(SENTINEL);
    sentinelUntouched();
    expect(lstatSync(join(G, 'b', 'etc', 'pwned')).isFile()).toBe(true);

    // Every refusal reached the agent with the grant that would allow it.
    expect(text(r)).toMatch(/denied storage access to/);
    expect(text(r)).toContain(`grant_storage_permission {uri: 'fs://${etc}', access: ['read']}`);
    const denied = await auditJson('--outcome', 'denied');
    expect(denied.some((e) => e.capability === 'storage' && String(e.target).startsWith(etc))).toBe(true);
    expect(denied.filter((e) => /symlink/.test(e.detail)).length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('an absolute path outside every grant, read through `/` as wasi-libc does, is a denial naming the grant', async () => {
    const r = await call(s, 'read_file', { dir: '/', path: `${etc.slice(1)}/passwd` });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r)).not.toContain(SENTINEL);
    expect(r.structuredContent?.denials?.[0]).toMatchObject({ capability: 'storage', target: join(etc, 'passwd') });
    expect(text(r)).toContain(`grant_storage_permission {uri: 'fs://${etc}', access: ['read']}`);
    const calls = (await auditJson()).filter((e) => e.tool === 'read_file');
    expect(calls.map((e) => e.outcome)).toEqual(['denied', 'denied']);
    expect(calls.find((e) => e.capability === 'storage')?.target).toBe(join(etc, 'passwd'));
    sentinelUntouched();

    // The same path inside the grant is routed to the grant's descriptor.
    writeFileSync(join(G, 'hello.txt'), 'hello');
    const ok = await call(s, 'read_file', { dir: '/', path: `${G.slice(1)}/hello.txt` });
    expect(ok.structuredContent).toEqual({ result: 'hello' });
  }, 60_000);

  it('the denial carries the exact grant call (with this component id); making it as given allows the read', async () => {
    const r = await call(s, 'read_file', { dir: '/', path: `${etc.slice(1)}/passwd` });
    const allow = r.structuredContent?.error?.denials?.[0]?.allow ?? r.structuredContent?.denials?.[0]?.allow;
    expect(allow).toEqual({ tool: 'grant_storage_permission', arguments: { component_id: ID, details: { uri: `fs://${etc}`, access: ['read'] } } });
    expect(text(r)).toContain(`to allow it, call grant_storage_permission ${JSON.stringify(allow.arguments)}`);
    const granted = await call(s, allow.tool, allow.arguments);
    expect(granted.isError, text(granted)).toBeFalsy();
    const again = await call(s, 'read_file', { dir: '/', path: `${etc.slice(1)}/passwd` });
    expect(again.isError, text(again)).toBeFalsy();
    expect(again.structuredContent?.result).toContain(SENTINEL);
  }, 60_000);
});
