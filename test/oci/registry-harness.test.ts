// The registry test harness fails loudly, never skips, and a failed start leaves no process or temp dir behind.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destroyRegistry, startRegistry } from '../helpers/registry.js';

const saved = { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR };
let scratch: string;
let tmp: string;
let bin: string;

/** A stand-in `docker-registry` on PATH that records its pid and then runs `body`. */
function fakeRegistry(body: string): void {
  const script = join(bin, 'docker-registry');
  writeFileSync(script, `#!/bin/sh\necho $$ > "${join(scratch, 'pid')}"\n${body}\n`);
  chmodSync(script, 0o755);
  process.env.PATH = `${bin}:${saved.PATH}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'wassette-harness-'));
  bin = join(scratch, 'bin');
  tmp = join(scratch, 'tmp');
  for (const d of [bin, tmp]) mkdirSync(d);
  // os.tmpdir() reads TMPDIR on every call, so the harness's temp dirs land where we can count them.
  process.env.TMPDIR = tmp;
});
afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.TMPDIR === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved.TMPDIR;
  rmSync(scratch, { recursive: true, force: true });
});

describe('startRegistry', () => {
  it('throws one clear error when docker-registry is not on PATH', async () => {
    process.env.PATH = '/nonexistent';
    await expect(startRegistry()).rejects.toThrow(/^docker-registry is not installed; run: apt-get install -y docker-registry$/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('stops a registry whose port never opens and removes its temp dir', async () => {
    fakeRegistry('exec sleep 600');
    await expect(startRegistry({ startTimeoutMs: 1000 })).rejects.toThrow(/did not answer on http:\/\/127\.0\.0\.1:\d+\/v2\/ within 1 s/);
    const pid = Number(readFileSync(join(scratch, 'pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('reports a registry that exits at once (e.g. cannot bind) with its output, leaving nothing behind', async () => {
    fakeRegistry('echo "listen tcp 127.0.0.1: bind: address already in use" >&2; exit 1');
    await expect(startRegistry()).rejects.toThrow(/exited with 1 before answering .*address already in use/s);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('serves /v2/ when installed, and destroyRegistry removes its temp dir', async () => {
    const reg = await startRegistry();
    try {
      expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
    } finally {
      await destroyRegistry(reg);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('destroyRegistry tolerates a registry whose setup failed, so afterAll adds no second error', async () => {
    await expect(destroyRegistry(undefined)).resolves.toBeUndefined();
  });
});
