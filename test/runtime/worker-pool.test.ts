import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { ComponentInstance, type InstanceLoader } from '../../src/runtime/instance.js';
import { TranspileCache, sha256Hex } from '../../src/runtime/transpile-cache.js';
import { WorkerPool } from '../../src/runtime/worker-pool.js';
import type { CallTarget, WorkerInit } from '../../src/runtime/worker-protocol.js';
import { denyAllSpec, type SandboxSpec } from '../../src/sandbox/spec.js';
import { fixturePath } from '../fixtures/load-fixture.js';

const limits = { timeoutMs: 10_000, memoryBytes: 16 * 65536, maxOutputBytes: 64 * 1024 };
const hasEnv: CallTarget = {
  function: { name: 'has-env', kind: 'freestanding', params: [{ name: 'key', type: { kind: 'string' } }], result: { kind: 'bool' } },
};
const withToken: SandboxSpec = { ...denyAllSpec(limits), env: { TOKEN: 'x' } };
let dir: string;
let load: InstanceLoader;
let digest: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-pool-'));
  const bytes = readFileSync(fixturePath('wasi-env'));
  digest = `sha256:${sha256Hex(bytes)}`;
  const t = await new TranspileCache(dir).ensure(digest, bytes);
  const modules = Object.fromEntries(await Promise.all(t.coreModules.map(async (n) => [n, await WebAssembly.compile(readFileSync(join(t.dir, n)))] as const)));
  load = async () => ({ entryUrl: pathToFileURL(t.entry).href, modules, imports: t.imports });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Records, per start, whether a spare was there to take and which thread served it. */
function tracked(pool: WorkerPool): { takes: { hadSpare: boolean; threadId: number }[]; spawn: (init: WorkerInit) => Worker } {
  const takes: { hadSpare: boolean; threadId: number }[] = [];
  return {
    takes,
    spawn: (init) => {
      const hadSpare = pool.hasSpare;
      const worker = pool.take(init);
      takes.push({ hadSpare, threadId: worker.threadId });
      return worker;
    },
  };
}

describe('WorkerPool', () => {
  it('boots no spare before the first start, and one after it', async () => {
    const pool = new WorkerPool({ log: () => undefined });
    const { takes, spawn } = tracked(pool);
    const inst = new ComponentInstance({ load, log: () => undefined, spawn });
    try {
      expect(pool.hasSpare).toBe(false);
      expect(await inst.call(withToken, hasEnv, ['TOKEN'])).toMatchObject({ ok: true, value: true });
      expect(takes).toEqual([{ hadSpare: false, threadId: expect.any(Number) }]);
      await until(() => pool.hasSpare);
    } finally {
      await inst.terminate();
      await pool.close();
    }
    expect(pool.hasSpare).toBe(false);
  });

  it('serves each start with its own thread and sandbox: restarts take the spare, which is never reused', async () => {
    const pool = new WorkerPool({ log: () => undefined });
    const { takes, spawn } = tracked(pool);
    const a = new ComponentInstance({ load, log: () => undefined, spawn });
    const b = new ComponentInstance({ load, log: () => undefined, spawn });
    try {
      expect(await a.call(withToken, hasEnv, ['TOKEN'])).toMatchObject({ ok: true, value: true });
      await until(() => pool.hasSpare);
      // b starts on the spare booted for a's process, yet sees only its own (empty) environment.
      expect(await b.call(denyAllSpec(limits), hasEnv, ['TOKEN'])).toMatchObject({ ok: true, value: false });
      await until(() => pool.hasSpare);
      // A grant change restarts a on the next spare.
      a.setSpec(denyAllSpec(limits));
      expect(await a.call(denyAllSpec(limits), hasEnv, ['TOKEN'])).toMatchObject({ ok: true, value: false });
      await until(() => pool.hasSpare);
      expect(await a.call(withToken, hasEnv, ['TOKEN'])).toMatchObject({ ok: true, value: true });
      expect(takes.map((t) => t.hadSpare)).toEqual([false, true, true, true]);
      expect(new Set(takes.map((t) => t.threadId)).size).toBe(takes.length);
    } finally {
      await Promise.all([a.terminate(), b.terminate()]);
      await pool.close();
    }
  });

  it('drops a spare that dies while idle instead of handing it out', async () => {
    const logs: string[] = [];
    // A 1 MiB heap cannot even load worker-main: every worker dies during boot.
    const pool = new WorkerPool({ log: (m) => logs.push(m), heapMb: 1 });
    const inst = new ComponentInstance({ load, log: () => undefined, spawn: (init) => pool.take(init), heapMb: 1 });
    try {
      const out = await inst.call(withToken, hasEnv, ['TOKEN']);
      expect(out).toMatchObject({ ok: false, code: 'memory-limit' });
      await until(() => logs.some((m) => m.includes('spare component worker failed while idle')));
      await until(() => !pool.hasSpare);
    } finally {
      await inst.terminate();
      await pool.close();
    }
  });

  it.each([
    ['closing the runtime', 'await rt.close();'],
    ["only unloading the component (the idle spare is unref'd)", "await rt.unload('c');"],
  ])(
    'lets the process exit after %s',
    async (_name, finish) => {
      const src = (p: string): string => JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', '..', 'src', p)).href);
      const script = `
      import { readFileSync } from 'node:fs';
      import { ComponentRuntime } from ${src('runtime/component-runtime.ts')};
      import { denyAllSpec } from ${src('sandbox/spec.ts')};
      const rt = new ComponentRuntime({ cacheDir: ${JSON.stringify(dir)}, log: () => undefined });
      await rt.prepare(${JSON.stringify(digest)}, readFileSync(${JSON.stringify(fixturePath('wasi-env'))}));
      const out = await rt.call('c', ${JSON.stringify(digest)}, denyAllSpec(${JSON.stringify(limits)}), ${JSON.stringify(hasEnv)}, ['TOKEN']);
      // Long enough for the spare to boot.
      await new Promise((r) => setTimeout(r, 1500));
      ${finish}
      console.log('finished', out.ok);
    `;
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 }, (err, out, errOut) => {
          if (err) reject(new Error(`${err.message} (killed: ${String(err.killed)})\n${errOut}`));
          else resolve(out);
        });
      });
      expect(stdout.trim()).toBe('finished true');
    },
    30_000,
  );
});
