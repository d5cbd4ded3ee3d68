import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import type { CallTarget, ToWorker } from '../../src/runtime/worker-protocol.js';
import type { SandboxSpec } from '../../src/sandbox/spec.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';
import { fixturePath } from '../fixtures/load-fixture.js';

const limits = { timeoutMs: 10_000, memoryBytes: 16 * 65536, maxOutputBytes: 64 * 1024 };
const hasEnv: CallTarget = {
  function: { name: 'has-env', kind: 'freestanding', params: [{ name: 'key', type: { kind: 'string' } }], result: { kind: 'bool' } },
};
let dir: string;
let rt: ComponentRuntime;
let digest: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-inst-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: () => undefined });
  const bytes = readFileSync(fixturePath('wasi-env'));
  digest = `sha256:${sha256Hex(bytes)}`;
  await rt.prepare(digest, bytes);
});

afterAll(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ComponentInstance and grant changes', () => {
  it('a call queued behind a running one runs under the sandbox current when it starts, not when it was queued', async () => {
    let current: SandboxSpec = { ...denyAllSpec(limits), env: { SECRET_TOKEN: 'x' } };
    const first = rt.call('race', digest, () => current, hasEnv, ['SECRET_TOKEN']);
    // Let the first call leave the queue (it is now starting the worker), then queue a second one.
    await new Promise((r) => setImmediate(r));
    const second = rt.call('race', digest, () => current, hasEnv, ['SECRET_TOKEN']);
    // The grant is revoked while the second call waits.
    current = denyAllSpec(limits);
    expect(await first).toMatchObject({ ok: true, value: true });
    expect(await second).toMatchObject({ ok: true, value: false });
  });

  it('reports a sandbox that cannot be built (e.g. the component was unloaded) as a failed call', async () => {
    const out = await rt.call(
      'gone',
      digest,
      () => {
        throw new Error('no loaded component with id "gone"');
      },
      hasEnv,
      ['X'],
    );
    expect(out).toMatchObject({ ok: false, code: 'internal' });
    expect(out.ok ? '' : out.message).toMatch(/gone/);
  });
});

describe('call messages', () => {
  it('carry a function description once per worker, then only its number', async () => {
    const calls: Extract<ToWorker, { type: 'call' }>[] = [];
    const original = Worker.prototype.postMessage;
    const spy = vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, msg: unknown, transfer?: readonly Transferable[]) {
      if ((msg as ToWorker).type === 'call') calls.push(msg as Extract<ToWorker, { type: 'call' }>);
      return original.call(this, msg, transfer as never);
    });
    try {
      const spec = { ...denyAllSpec(limits), env: { A: '1' } };
      const results = [];
      for (const key of ['A', 'B', 'A']) results.push(await rt.call('msgs', digest, spec, hasEnv, [key]));
      expect(results.map((r) => r.ok && r.value)).toEqual([true, false, true]);
      expect(calls.map((c) => c.target !== undefined)).toEqual([true, false, false]);
      expect(new Set(calls.map((c) => c.fn)).size).toBe(1);

      // Another description (even an equal one) is another number, sent with its description.
      const copy: CallTarget = structuredClone(hasEnv);
      expect(await rt.call('msgs', digest, spec, copy, ['A'])).toMatchObject({ ok: true, value: true });
      expect(calls[3]!.target).toEqual(hasEnv);
      expect(calls[3]!.fn).not.toBe(calls[0]!.fn);

      // A new worker (the sandbox changed) has never seen a description: it gets it again.
      const changed = { ...denyAllSpec(limits), env: { B: '1' } };
      expect(await rt.call('msgs', digest, changed, hasEnv, ['B'])).toMatchObject({ ok: true, value: true });
      expect(calls[4]).toMatchObject({ fn: calls[0]!.fn, target: hasEnv });
      expect(await rt.call('msgs', digest, changed, hasEnv, ['A'])).toMatchObject({ ok: true, value: false });
      expect(calls[5]!.target).toBeUndefined();
    } finally {
      spy.mockRestore();
      await rt.unload('msgs');
    }
  });
});
