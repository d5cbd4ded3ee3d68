// The transpile process: one for a burst of jobs, gone when idle, and a death mid-job or a stuck job is a clear error.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ErrorCode, isWassetteError } from '../../src/errors.js';
import { TranspileService, TranspileSourceUnusable } from '../../src/runtime/transpile-service.js';
import { sha256Digest } from '../../src/oci/digest.js';
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

  it('a stuck transpile fails with a timeout error and is killed; the job queued behind it starts in a fresh process', async () => {
    const svc = new TranspileService(500, 1500);
    try {
      const bytes = await parse(MATH_WAT);
      const stuck = svc.transpile(bytes, tempDir()).catch((e: unknown) => e);
      const queued = svc.transpile(bytes, tempDir()).catch((e: unknown) => e);
      const pid = svc.pid!;
      // A stopped process never answers: the same as a transpile looping forever, without depending on how long one takes.
      process.kill(pid, 'SIGSTOP');
      const err = await stuck;
      expect(isWassetteError(err, ErrorCode.Timeout), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/transpiling took longer than 1500 ms, so the transpile process was stopped/);
      expect((err as { data?: unknown }).data).toEqual({ timeoutMs: 1500 });
      await sleep(100);
      expect(() => process.kill(pid, 0)).toThrow();
      // The queued job went to a new process at once (whether it then finishes within 1.5 s depends on the machine's
      // load, so it is not awaited here; the kill test above shows a fresh process completing a job).
      expect(svc.running).toBe(true);
      expect(svc.pid).not.toBe(pid);
      svc.close();
      expect(String(await queued)).not.toMatch(/took longer/);
    } finally {
      svc.close();
    }
  }, 30_000);

  it('a transpile process whose parent died mid-job ends at once (it sees the disconnect between transpile steps), not orphaned', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./transpile-parent.fixture.ts', import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        parent.stdout.setEncoding('utf8').on('data', (d: string) => resolve(Number(d.trim())));
        parent.on('exit', (code) => reject(new Error(`parent exited (${code}) before starting a transpile`)));
      });
      // Once the job is in (the process holds its 240 MiB) and its transpile (3-5 s here) is under way.
      const rssMiB = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      while (rssMiB() < 400) await sleep(20);
      parent.kill('SIGKILL');
      const killedAt = Date.now();
      // Running, not a zombie: once the parent is gone, reaping is up to init (here it reaps every second or so).
      const alive = (): boolean => {
        try {
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      };
      while (alive() && Date.now() - killedAt < 10_000) await sleep(50);
      expect(alive()).toBe(false);
      // Well before the 3-5 s the transpile itself would take (a margin for a loaded 2-core machine: a step may run long).
      expect(Date.now() - killedAt).toBeLessThan(2500);
    } finally {
      parent.kill('SIGKILL');
    }
  }, 30_000);

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

  it('reads a file source itself, and refuses a missing file, one of another size or one holding other bytes than its digest, writing nothing', async () => {
    const svc = new TranspileService(500);
    try {
      const bytes = await parse(MATH_WAT);
      const file = join(tempDir(), 'component.wasm');
      writeFileSync(file, bytes);
      const digest = sha256Digest(bytes);
      const size = bytes.length;
      const files = await svc.transpile({ file, digest, size }, tempDir());
      expect(files.sizes['component.mjs']).toBeGreaterThan(0);
      // A file grown meanwhile (a hostile local process, a half-written copy) is refused by its size, before reading.
      const grown = join(tempDir(), 'grown.wasm');
      writeFileSync(grown, Buffer.concat([bytes, Buffer.alloc(1024 * 1024)]));
      const cases: [{ file: string; digest: string; size: number }, RegExp][] = [
        [{ file: join(tempDir(), 'missing.wasm'), digest, size }, /cannot read .*missing\.wasm/],
        [{ file, digest: `sha256:${'0'.repeat(64)}`, size }, /holds sha256:[0-9a-f]{64}, not sha256:0{64}/],
        [{ file: grown, digest, size }, new RegExp(`grown\\.wasm holds ${size + 1024 * 1024} bytes, not ${size}`)],
      ];
      for (const [source, message] of cases) {
        const dir = tempDir();
        const err = await svc.transpile(source, dir).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TranspileSourceUnusable);
        expect(String((err as Error).message)).toMatch(message);
        expect(readdirSync(dir)).toEqual([]);
      }
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
