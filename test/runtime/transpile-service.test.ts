// The transpile process: one for a burst of jobs, gone when idle, and a death mid-job is a clear error.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { TranspileService } from '../../src/runtime/transpile-service.js';
import { fixturePath } from '../fixtures/load-fixture.js';
import { MATH_WAT } from './wat-components.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wassette-ts-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TranspileService', () => {
  it('runs consecutive jobs in one process and ends it once idle', async () => {
    const svc = new TranspileService(500);
    try {
      const bytes = await parse(MATH_WAT);
      const a = await svc.transpile(bytes, tempDir());
      const pid = svc.pid;
      expect(pid).toBeGreaterThan(0);
      const [b, c] = await Promise.all([svc.transpile(bytes, tempDir()), svc.transpile(bytes, tempDir())]);
      expect(svc.pid).toBe(pid);
      for (const r of [a, b, c]) expect(r.sizes['component.mjs']).toBeGreaterThan(0);
      const end = Date.now() + 10_000;
      while (svc.running && Date.now() < end) await sleep(50);
      expect(svc.running).toBe(false);
      expect(() => process.kill(pid!, 0)).toThrow();
      // The next job starts a new process.
      expect((await svc.transpile(bytes, tempDir())).coreModules.length).toBeGreaterThan(0);
      expect(svc.pid).not.toBe(pid);
    } finally {
      svc.close();
    }
  }, 60_000);

  it('a process killed mid-job fails that job with the reason; the next job gets a fresh process', async () => {
    const svc = new TranspileService();
    try {
      const big = svc.transpile(readFileSync(fixturePath('text-tools')), tempDir());
      await sleep(300);
      process.kill(svc.pid!, 'SIGKILL');
      await expect(big).rejects.toThrow(/transpile process ended \(SIGKILL\) without a result/);
      const small = await svc.transpile(await parse(MATH_WAT), tempDir());
      expect(small.coreModules.length).toBeGreaterThan(0);
    } finally {
      svc.close();
    }
  }, 60_000);

  it('a job arriving as the idle process is being ended gets a fresh process, not the dying one', async () => {
    const idleMs = 200;
    const svc = new TranspileService(idleMs);
    try {
      const bytes = await parse(MATH_WAT);
      await svc.transpile(bytes, tempDir());
      // Registered after the service's idle timer with the same delay: runs right after it has sent SIGTERM,
      // before the child's exit is seen.
      const next = await new Promise<ReturnType<TranspileService['transpile']>>((resolve) =>
        setTimeout(() => resolve(svc.transpile(bytes, tempDir())), idleMs),
      );
      expect((await next).coreModules.length).toBeGreaterThan(0);
    } finally {
      svc.close();
    }
  }, 60_000);

  it('close() refuses queued jobs and ends the process', async () => {
    const svc = new TranspileService();
    const bytes = await parse(MATH_WAT);
    const first = svc.transpile(bytes, tempDir());
    const queued = svc.transpile(bytes, tempDir());
    svc.close();
    await expect(queued).rejects.toThrow(/closed/);
    await expect(first).rejects.toThrow(/transpile process ended/);
    expect(svc.running).toBe(false);
  });
});
