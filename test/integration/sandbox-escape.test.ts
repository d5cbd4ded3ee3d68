// End to end through the real stdio server: the escape-probe component tries every way out of its
// sandbox; each refusal reaches the agent with its reason and lands in `wassette audit`; grants made
// over MCP (and secrets set from the CLI) take effect on the next call and end with revoke/reset.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const ID = 'escape-probe';
const t = tempHome();
let s: McpSession;
let http: Server;
let port: number;
let root: string;
let ro: string;
let rw: string;
let outside: string;

async function auditJson(...filters: string[]): Promise<Array<Record<string, any>>> {
  const r = await runCli(['audit', '--json', '--component', ID, '--limit', '500', ...filters], { home: t.home });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).entries;
}

async function cli(...args: string[]): Promise<string> {
  const r = await runCli(args, { home: t.home });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** A refused probe call: isError, the guest's WASI code, and the host's reason in the text the agent reads. */
async function refused(tool: string, args: Record<string, unknown>, capability: string, reason: RegExp): Promise<string> {
  const r = await call(s, tool, args);
  expect(r.isError, text(r)).toBe(true);
  expect(text(r)).toMatch(new RegExp(`denied ${capability} access to`));
  expect(text(r)).toMatch(reason);
  expect(r.structuredContent?.denials?.[0]?.capability).toBe(capability);
  return String(r.structuredContent?.error ?? '');
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-escape-')));
  ro = join(root, 'ro');
  rw = join(root, 'rw');
  outside = join(root, 'outside');
  for (const d of [ro, rw, outside]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ro, 'a.txt'), 'alpha');
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  symlinkSync('../outside/secret.txt', join(ro, 'link-out'));
  symlinkSync(join(outside, 'secret.txt'), join(ro, 'link-abs'));

  // The guest blocks its own worker in the server process, not this one: a plain server here is fine.
  http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      res.end();
      return;
    }
    res.end(`hello from ${req.headers.host}`);
  });
  await new Promise<void>((res) => http.listen(0, '127.0.0.1', res));
  port = (http.address() as AddressInfo).port;

  s = await startStdioSession({ home: t.home, env: { PROBE_VISIBLE: 'server-value' } });
  const loaded = await call(s, 'load_component', { path: fixture(ID) });
  expect(loaded.isError, text(loaded)).toBeFalsy();
}, 60_000);

afterAll(async () => {
  await s?.close();
  await new Promise((res) => http?.close(res));
  rmSync(root, { recursive: true, force: true });
  t.cleanup();
});

describe('deny-by-default sandbox over MCP (escape-probe)', () => {
  it('starts with no directories (only the deny-by-default root), no environment, no network and no sockets', async () => {
    expect((await call(s, 'list_preopens')).structuredContent).toEqual({ result: ['/'] });
    expect(
      await refused(
        'read_at',
        { dir: '/', rel: 'etc/passwd', follow: true },
        'storage',
        /grant_storage_permission \{uri: 'fs:\/\/\/etc', access: \['read'\]\}/,
      ),
    ).toBe('not-permitted');
    expect(await refused('read_at', { dir: '', rel: '/etc/passwd', follow: true }, 'storage', /not relative to \//)).toBe('not-permitted');
    expect((await call(s, 'env_keys')).structuredContent).toEqual({ result: [] });
    expect((await call(s, 'get_env', { key: 'PROBE_VISIBLE' })).structuredContent).toEqual({ result: null });

    await refused('fetch_url', { url: `http://localhost:${port}/ok` }, 'network', new RegExp(`grant_network_permission \\{host: 'localhost:${port}'\\}`));
    expect(await refused('tcp_connect', { a: 127, b: 0, c: 0, d: 1, port }, 'sockets', /tcp/)).toBe('access-denied');
    expect(await refused('udp_create', {}, 'sockets', /udp/i)).toBe('access-denied');
  }, 30_000);

  it('refuses paths that leave a read grant: absolute, .., symlinks', async () => {
    const g = await call(s, 'grant_storage_permission', { component_id: ID, details: { uri: `fs://${ro}`, access: ['read'] } });
    expect(g.structuredContent?.status).toBe('granted');
    expect((await call(s, 'read_at', { dir: ro, rel: 'a.txt', follow: true })).structuredContent).toEqual({ result: 'alpha' });
    for (const rel of ['/etc/passwd', '../outside/secret.txt', 'link-out', 'link-abs']) {
      const code = await refused('read_at', { dir: ro, rel, follow: true }, 'storage', /outside the granted|climbs out|not relative to a granted/);
      expect(code, rel).toBe('not-permitted');
    }
  }, 30_000);

  it('refuses writing through a read-only grant and changes nothing', async () => {
    const code = await refused('write_at', { dir: ro, rel: 'a.txt', data: 'overwritten' }, 'storage', /is granted read-only/);
    expect(code).toBe('read-only');
    expect(await refused('write_via_readonly_open', { dir: ro, rel: 'a.txt' }, 'storage', /read-only/)).toBe('read-only');
    expect(readFileSync(join(ro, 'a.txt'), 'utf8')).toBe('alpha');
  });

  it('writes once write access is granted, and stops after revoke (next call, same server)', async () => {
    await call(s, 'grant_storage_permission', { component_id: ID, details: { uri: `fs://${rw}`, access: ['read', 'write'] } });
    expect((await call(s, 'write_at', { dir: rw, rel: 'out.txt', data: 'written' })).isError).toBeFalsy();
    expect(readFileSync(join(rw, 'out.txt'), 'utf8')).toBe('written');
    const r = await call(s, 'revoke_storage_permission', { component_id: ID, details: { uri: `fs://${rw}` } });
    expect(r.structuredContent?.status).toBe('revoked');
    const after = await call(s, 'write_at', { dir: rw, rel: 'again.txt', data: 'x' });
    expect(after.isError).toBe(true);
    expect(after.structuredContent?.error).toBe('no-such-preopen');
    expect(existsSync(join(rw, 'again.txt'))).toBe(false);
  }, 30_000);

  it('fetches a granted host only: IP literals and redirect targets are checked on their own', async () => {
    await call(s, 'grant_network_permission', { component_id: ID, details: { host: `localhost:${port}` } });
    expect((await call(s, 'fetch_url', { url: `http://localhost:${port}/ok` })).structuredContent).toEqual({ result: `200 hello from localhost:${port}` });
    await refused('fetch_url', { url: `http://127.0.0.1:${port}/ok` }, 'network', /127\.0\.0\.1/);
    const to = `http://127.0.0.1:${port}/ok`;
    // The host never follows redirects; the guest sees the 302 and its next request is checked again.
    const hop = await call(s, 'fetch_url', { url: `http://localhost:${port}/redirect?to=${encodeURIComponent(to)}` });
    expect(hop.structuredContent).toEqual({ result: '302 ' });
    await refused('fetch_url', { url: to }, 'network', /not in the network allow list/);
    await refused('tcp_connect', { a: 10, b: 1, c: 2, d: 3, port: 80 }, 'sockets', /10\.1\.2\.3/);

    await call(s, 'revoke_network_permission', { component_id: ID, details: { host: `localhost:${port}` } });
    await refused('fetch_url', { url: `http://localhost:${port}/ok` }, 'network', /localhost/);
  }, 30_000);

  it('shows a granted variable; a secret set from the CLI reaches the running server without restart', async () => {
    await call(s, 'grant_environment_variable_permission', { component_id: ID, details: { key: 'PROBE_VISIBLE' } });
    expect((await call(s, 'get_env', { key: 'PROBE_VISIBLE' })).structuredContent).toEqual({ result: 'server-value' });
    expect((await call(s, 'env_keys')).structuredContent).toEqual({ result: ['PROBE_VISIBLE'] });

    await cli('secret', 'set', ID, 'PROBE_VISIBLE=from-secret-1');
    expect((await call(s, 'get_env', { key: 'PROBE_VISIBLE' })).structuredContent).toEqual({ result: 'from-secret-1' });
    await cli('secret', 'set', ID, 'PROBE_VISIBLE=from-secret-2', 'UNGRANTED_KEY=hidden');
    expect((await call(s, 'get_env', { key: 'PROBE_VISIBLE' })).structuredContent).toEqual({ result: 'from-secret-2' });
    expect((await call(s, 'get_env', { key: 'UNGRANTED_KEY' })).structuredContent).toEqual({ result: null });

    const listed = JSON.parse(await cli('secret', 'list', ID, '--json'));
    expect(listed.keys).toEqual(['PROBE_VISIBLE', 'UNGRANTED_KEY']);
    await cli('secret', 'delete', ID, 'PROBE_VISIBLE');
    expect((await call(s, 'get_env', { key: 'PROBE_VISIBLE' })).structuredContent).toEqual({ result: 'server-value' });
  }, 30_000);

  it('reset_permission takes every grant away on the next call', async () => {
    expect((await call(s, 'list_preopens')).structuredContent).toEqual({ result: [ro, '/'] });
    const r = await call(s, 'reset_permission', { component_id: ID });
    expect(r.structuredContent?.removed).toBeGreaterThanOrEqual(2);
    expect((await call(s, 'list_preopens')).structuredContent).toEqual({ result: ['/'] });
    expect((await call(s, 'env_keys')).structuredContent).toEqual({ result: [] });
  }, 30_000);

  it('records every refusal and permission change in `wassette audit`, never a secret value', async () => {
    const denied = await auditJson('--outcome', 'denied');
    const seen = new Set(denied.map((e) => `${e.capability} ${e.target}`));
    for (const want of ['storage /etc/passwd', `network localhost:${port}`, `network 127.0.0.1:${port}`, 'sockets tcp', 'sockets udp'])
      expect(
        [...seen].some((x) => x.startsWith(want)),
        `${want} in ${[...seen].join(', ')}`,
      ).toBe(true);
    expect(denied.some((e) => e.capability === 'storage' && /\.\.|outside/.test(`${e.target} ${e.detail}`))).toBe(true);
    expect(denied.every((e) => e.tool && e.detail)).toBe(true);

    const all = await auditJson();
    const outcomes = new Set(all.map((e) => e.outcome));
    for (const o of ['ok', 'error', 'denied', 'granted', 'revoked', 'reset', 'secret-set', 'secret-deleted']) expect(outcomes, o).toContain(o);
    const raw = JSON.stringify(all) + (await cli('audit'));
    expect(raw).not.toContain('from-secret');
    expect(raw).not.toContain('hidden');
  }, 30_000);
});
