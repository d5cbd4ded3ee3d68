// preview2-shim's I/O worker is started on first use only: instances that never do I/O through it cost one
// thread each (not two), and guest I/O that needs it still works (test/integration/sandbox-fs.test.ts streams).
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LazyWorker, SHIM_IO_SCRIPT, withLazyShimIoWorker } from '../../src/runtime/lazy-io-worker.js';
import { call, fixture, startStdioSession, tempHome } from '../helpers/cli.js';

const shimIoScript = new URL('../io/worker-thread.bundle.js', `file://${createRequire(import.meta.url).resolve('@bytecodealliance/preview2-shim/io')}`);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('withLazyShimIoWorker', () => {
  it('defers only the shim I/O worker, and puts Worker back afterwards', async () => {
    expect(SHIM_IO_SCRIPT.test(shimIoScript.href)).toBe(true);
    const { lazy, other } = await withLazyShimIoWorker(async () => {
      const { Worker: Swapped } = await import('node:worker_threads');
      return { lazy: new Swapped(shimIoScript), other: new Swapped('setTimeout(() => {}, 10)', { eval: true }) };
    });
    expect(lazy).toBeInstanceOf(LazyWorker);
    expect((lazy as unknown as LazyWorker).started).toBe(false);
    expect(other).toBeInstanceOf(Worker);
    await other.terminate();
    const { Worker: After } = await import('node:worker_threads');
    expect(After).toBe(Worker);
  });

  // Through the compiled server: from sources, tsx's loader adds a hooks thread to every worker.
  it('a server starts one thread per idle component instance, not two', async () => {
    const t = tempHome();
    dirs.push(t.home);
    const s = await startStdioSession({ home: t.home });
    try {
      const pid = s.pid?.();
      const threads = () => readdirSync(`/proc/${pid}/task`).length;
      const names = ['spin', 'all-types', 'resources', 'wasi-env'];
      await call(s, 'load_component', { path: fixture(names[0]!) });
      expect((await call(s, 'ping')).structuredContent).toEqual({ result: 42 });
      // Let the pool's spare boot (it imports the shim too), then count from here.
      await new Promise((r) => setTimeout(r, 1500));
      const before = threads();
      for (const name of names.slice(1)) expect((await call(s, 'load_component', { path: fixture(name) })).isError).toBeFalsy();
      // Loading warms each instance (worker + instantiate); the spare replaced each time it is taken.
      await new Promise((r) => setTimeout(r, 2000));
      expect((await call(s, 'list_components')).structuredContent?.components).toHaveLength(4);
      // 3 more instances: 3 threads; with the shim's eager I/O workers it was 6.
      expect(threads() - before).toBeLessThanOrEqual(4);
    } finally {
      await s.close();
    }
  }, 60_000);
});
