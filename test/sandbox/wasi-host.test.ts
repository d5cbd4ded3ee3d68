import { mkdirSync, mkdtempSync, readFileSync, existsSync, realpathSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWasiImports } from '../../src/sandbox/wasi-host.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';
import { attempt, probe, type Probe } from './wasi-host-probe.js';

let root: string;
let ro: string;
let rw: string;
let outside: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-fs-')));
  ro = join(root, 'ro');
  rw = join(root, 'rw');
  outside = join(root, 'outside');
  for (const d of [ro, rw, outside, join(ro, 'sub')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ro, 'a.txt'), 'alpha');
  writeFileSync(join(rw, 'b.txt'), 'bravo');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync('a.txt', join(ro, 'link-in'));
  symlinkSync('../outside/secret.txt', join(ro, 'link-out'));
  symlinkSync(join(outside, 'secret.txt'), join(ro, 'link-abs'));
  symlinkSync('../outside', join(ro, 'dir-out'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const grants = () => ({
  preopens: [
    { path: ro, read: true, write: false },
    { path: rw, read: true, write: true },
  ],
});

describe('createWasiImports', () => {
  it('offers versioned and unversioned keys for every WASI interface', () => {
    const imports = createWasiImports(denyAllSpec({ timeoutMs: 1, memoryBytes: 1, maxOutputBytes: 1 }), { onDenial() {}, onOutput() {} });
    for (const key of ['wasi:io/poll', 'wasi:filesystem/types', 'wasi:http/outgoing-handler', 'wasi:sockets/tcp', 'wasi:cli/environment']) {
      expect(imports[key]).toBeDefined();
      expect(imports[`${key}@0.2.10`]).toBe(imports[key]);
      expect(imports[`${key}@0.2.3`]).toBe(imports[key]);
    }
  });

  it('shares no state between instances', () => {
    const spec = denyAllSpec({ timeoutMs: 1, memoryBytes: 1, maxOutputBytes: 1 });
    const a = createWasiImports({ ...spec, env: { A: '1' } }, { onDenial() {}, onOutput() {} });
    const b = createWasiImports(spec, { onDenial() {}, onOutput() {} });
    const env = (o: Record<string, unknown>) => (o['wasi:cli/environment'] as { getEnvironment(): unknown }).getEnvironment();
    expect(env(a)).toEqual([['A', '1']]);
    expect(env(b)).toEqual([]);
  });
});

describe('deny-all sandbox (escape-probe component)', () => {
  let p: Probe;
  beforeAll(async () => {
    p = await probe();
  });

  it('sees only the deny-by-default root, which refuses and reports every path', async () => {
    expect(p.exports.listPreopens!()).toEqual(['/']);
    expect(await attempt(p, 'listDir', '/')).toEqual({ ok: [] });
    const before = p.denials.length;
    // What wasi-libc sends for open("/etc/passwd"): the path relative to the `/` preopen.
    expect(await attempt(p, 'readAt', '/', 'etc/passwd', true)).toEqual({ err: 'not-permitted' });
    expect(p.denials.slice(before)).toEqual([
      {
        capability: 'storage',
        target: '/etc/passwd',
        reason: expect.stringContaining("nothing is granted); grant_storage_permission {uri: 'fs:///etc', access: ['read']} to allow"),
        allow: { tool: 'grant_storage_permission', details: { uri: 'fs:///etc', access: ['read'] } },
      },
    ]);
  });

  it("sees no environment, not even the server's", () => {
    expect(process.env.PATH).toBeDefined();
    expect(p.exports.envKeys!()).toEqual([]);
    expect(p.exports.getEnv!('PATH')).toBeUndefined();
  });

  it('captures stdout and stderr through the hook, never the process stdout', async () => {
    const spy = vi.spyOn(process.stdout, 'write');
    try {
      expect(await attempt(p, 'say', 'hello')).toEqual({ ok: 'hello' });
    } finally {
      spy.mockRestore();
    }
    expect(spy).not.toHaveBeenCalled();
    expect(p.output).toEqual({ stdout: 'hello\n', stderr: 'err:hello\n' });
  });
});

describe('filesystem grants (escape-probe component)', () => {
  let p: Probe;
  beforeAll(async () => {
    p = await probe(grants());
  });

  const lastDenial = () => p.denials.at(-1);

  it('preopens each grant at its own host path', () => {
    expect(p.exports.listPreopens!()).toEqual([ro, rw, '/']);
  });

  it('reads a granted file, and a symlink that stays inside the grant', async () => {
    expect(await attempt(p, 'readAt', ro, 'a.txt', true)).toEqual({ ok: 'alpha' });
    expect(await attempt(p, 'readAt', ro, 'link-in', true)).toEqual({ ok: 'alpha' });
    expect(await attempt(p, 'listDir', ro)).toEqual({ ok: ['a.txt', 'dir-out', 'link-abs', 'link-in', 'link-out', 'sub'] });
  });

  it.each([
    ['absolute path', '/etc/passwd', 'not-permitted'],
    ['.. from the grant', '../outside/secret.txt', 'not-permitted'],
    ['.. from a subdirectory', 'sub/../../outside/secret.txt', 'not-permitted'],
    ['relative symlink out of the grant', 'link-out', 'not-permitted'],
    ['absolute symlink', 'link-abs', 'not-permitted'],
    ['symlinked directory out of the grant', 'dir-out/secret.txt', 'not-permitted'],
  ])('refuses reading via %s', async (_name, rel, code) => {
    const before = p.denials.length;
    expect(await attempt(p, 'readAt', ro, rel, true)).toEqual({ err: code });
    expect(p.denials.length).toBe(before + 1);
    expect(lastDenial()).toMatchObject({ capability: 'storage' });
    expect(lastDenial()!.reason).toMatch(/outside the granted|climbs out|not relative to a granted/);
  });

  it('refuses every write through a read-only grant and changes nothing', async () => {
    const ops: [string, unknown[]][] = [
      ['writeAt', [ro, 'new.txt', 'x']],
      ['writeAt', [ro, 'a.txt', 'overwritten']],
      ['writeViaReadonlyOpen', [ro, 'a.txt']],
      ['mkdirAt', [ro, 'newdir']],
      ['unlinkAt', [ro, 'a.txt']],
      ['renameAt', [ro, 'a.txt', 'moved.txt']],
      ['symlinkAt', [ro, 'a.txt', 'new-link']],
    ];
    for (const [name, args] of ops) {
      const before = p.denials.length;
      expect(await attempt(p, name, ...args), name).toEqual({ err: 'read-only' });
      expect(p.denials.length, name).toBe(before + 1);
      expect(lastDenial()!.reason).toContain(`${ro} is granted read-only`);
      expect(lastDenial()!.reason).toContain(`grant_storage_permission {uri: 'fs://${ro}', access: ['read', 'write']}`);
    }
    expect(readFileSync(join(ro, 'a.txt'), 'utf8')).toBe('alpha');
    expect(existsSync(join(ro, 'new.txt'))).toBe(false);
    expect(existsSync(join(ro, 'newdir'))).toBe(false);
    expect(existsSync(join(ro, 'new-link'))).toBe(false);
  });

  it('allows writes in a write grant', async () => {
    expect(await attempt(p, 'writeAt', rw, 'out.txt', 'written')).toEqual({ ok: undefined });
    expect(readFileSync(join(rw, 'out.txt'), 'utf8')).toBe('written');
    expect(await attempt(p, 'mkdirAt', rw, 'made')).toEqual({ ok: undefined });
    expect(lstatSync(join(rw, 'made')).isDirectory()).toBe(true);
    expect(await attempt(p, 'renameAt', rw, 'out.txt', 'made/out.txt')).toEqual({ ok: undefined });
    expect(readFileSync(join(rw, 'made', 'out.txt'), 'utf8')).toBe('written');
    expect(await attempt(p, 'symlinkAt', rw, 'b.txt', 'b-link')).toEqual({ ok: undefined });
    expect(await attempt(p, 'readAt', rw, 'b-link', true)).toEqual({ ok: 'bravo' });
    expect(await attempt(p, 'unlinkAt', rw, 'b-link')).toEqual({ ok: undefined });
  });

  it('keeps a descriptor opened read-only unwritable even in a write grant', async () => {
    const r = await attempt(p, 'writeViaReadonlyOpen', rw, 'b.txt');
    expect(r.err).toBeDefined();
    expect(readFileSync(join(rw, 'b.txt'), 'utf8')).toBe('bravo');
  });

  it.each([
    ['a .. path', '../outside/escaped.txt'],
    ['an absolute path', '/OUTSIDE/escaped.txt'],
  ])('refuses writing outside a write grant via %s', async (_name, rel) => {
    expect(await attempt(p, 'writeAt', rw, rel.replace('/OUTSIDE', outside), 'x')).toEqual({ err: 'not-permitted' });
    expect(existsSync(join(outside, 'escaped.txt'))).toBe(false);
  });

  it.each(['../outside/secret.txt', '/etc/passwd', 'self/..', 'a/../..'])(
    'refuses creating a symlink to %s (only links below their own directory)',
    async (target) => {
      const before = p.denials.length;
      expect(await attempt(p, 'symlinkAt', rw, target, 'door')).toEqual({ err: 'not-permitted' });
      expect(existsSync(join(rw, 'door'))).toBe(false);
      expect(p.denials.length).toBe(before + 1);
      expect(lastDenial()!.reason).toMatch(/a link may only point below its own directory/);
    },
  );

  it('refuses moving a read-only file into a write grant', async () => {
    // Same preopen for both ends in the probe; the source grant decides.
    expect(await attempt(p, 'renameAt', ro, 'a.txt', '../rw/stolen.txt')).toEqual({ err: 'read-only' });
    expect(existsSync(join(rw, 'stolen.txt'))).toBe(false);
  });
});

describe('environment grants (escape-probe component)', () => {
  it('shows exactly the granted variables', async () => {
    const p = await probe({ env: { API_KEY: 'k-123', MODE: 'test' } });
    expect(p.exports.envKeys!()).toEqual(['API_KEY', 'MODE']);
    expect(p.exports.getEnv!('API_KEY')).toBe('k-123');
    expect(p.exports.getEnv!('HOME')).toBeUndefined();
    // An ungranted read cannot be observed by the host (the guest only asks for the whole list): no Denial.
    expect(p.denials).toEqual([]);
  });
});
