import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { MAX_QUEUED } from '../../src/runtime/instance.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import type { CallTarget } from '../../src/runtime/worker-protocol.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';
import { fixturePath } from '../fixtures/load-fixture.js';

const spin: CallTarget = { function: { name: 'spin', kind: 'freestanding', params: [] } };
const ping: CallTarget = { function: { name: 'ping', kind: 'freestanding', params: [], result: { kind: 'u32' } } };
const spec = denyAllSpec({ timeoutMs: 800, memoryBytes: 16 * 65536, maxOutputBytes: 64 * 1024 });
let dir: string;
let rt: ComponentRuntime;
let digest: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-queue-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: () => undefined });
  const bytes = readFileSync(fixturePath('spin'));
  digest = `sha256:${sha256Hex(bytes)}`;
  await rt.prepare(digest, bytes);
  await rt.warm('q', digest, spec);
  await rt.warm('q2', digest, spec);
});

afterAll(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the per-instance call queue', () => {
  it('counts time spent waiting against the limit of the waiting call', async () => {
    const t0 = performance.now();
    const spinning = rt.call('q', digest, spec, spin, []);
    const waiting = rt.call('q', digest, spec, ping, []);
    const [a, b] = await Promise.all([spinning, waiting]);
    expect(a).toMatchObject({ ok: false, code: 'timeout' });
    expect(b).toMatchObject({ ok: false, code: 'timeout' });
    expect(b.ok ? '' : b.message).toMatch(/waited \d+ ms behind earlier calls/);
    // Both are answered within one limit (plus slack), not one limit each.
    expect(performance.now() - t0).toBeLessThan(spec.timeoutMs + 600);
    // The instance recovers: a fresh call works.
    expect(await rt.call('q', digest, spec, ping, [])).toMatchObject({ ok: true, value: 42 });
  });

  it(`turns calls away at once when ${MAX_QUEUED} are already waiting`, async () => {
    const spinning = rt.call('q2', digest, spec, spin, []);
    const queued = Array.from({ length: MAX_QUEUED }, () => rt.call('q2', digest, spec, ping, []));
    const t0 = performance.now();
    const extra = await rt.call('q2', digest, spec, ping, []);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(extra).toMatchObject({ ok: false, code: 'busy' });
    expect(extra.ok ? '' : extra.message).toMatch(/already has 32 calls waiting/);
    await Promise.all([spinning, ...queued]);
  });
});
