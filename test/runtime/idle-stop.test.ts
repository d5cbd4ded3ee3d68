// Idle instances: stopped after `idleStopMs` without a call, restarted transparently by the next call,
// kept while calls keep coming or while the guest holds resource handles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ComponentRuntime } from '../../src/runtime/component-runtime.js';
import { sha256Hex } from '../../src/runtime/transpile-cache.js';
import type { SandboxSpec } from '../../src/sandbox/spec.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';
import { MATH_WAT, RES_WAT, math, res } from './wat-components.js';

const IDLE_MS = 400;
const spec: SandboxSpec = denyAllSpec({ timeoutMs: 5_000, memoryBytes: 16 * 65536, maxOutputBytes: 64 * 1024 });
let dir: string;
let rt: ComponentRuntime;
const logs: string[] = [];
const digests: Record<string, string> = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wassette-idle-'));
  rt = new ComponentRuntime({ cacheDir: dir, log: (m) => logs.push(m), idleStopMs: IDLE_MS });
  for (const [name, wat] of [
    ['math', MATH_WAT],
    ['res', RES_WAT],
  ] as const) {
    const bytes = await parse(wat);
    digests[name] = `sha256:${sha256Hex(bytes)}`;
    await rt.prepare(digests[name]!, bytes);
  }
});

afterAll(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('idle stop', () => {
  it('stops an idle worker and restarts it on the next call, which succeeds', async () => {
    expect(await rt.call('idle', digests.math!, spec, math.add, [1, 2])).toMatchObject({ ok: true, value: 3 });
    expect(rt.isRunning('idle')).toBe(true);
    await until(() => !rt.isRunning('idle'));
    expect(rt.idleStops('idle')).toBe(1);
    expect(logs.some((l) => /stopping component worker: idle for 400 ms/.test(l))).toBe(true);
    expect(await rt.call('idle', digests.math!, spec, math.add, [20, 22])).toMatchObject({ ok: true, value: 42 });
    expect(rt.isRunning('idle')).toBe(true);
  });

  it('keeps a worker that is called more often than the idle time', async () => {
    const end = Date.now() + IDLE_MS * 4;
    while (Date.now() < end) {
      expect(await rt.call('busy', digests.math!, spec, math.add, [1, 1])).toMatchObject({ ok: true, value: 2 });
      await sleep(IDLE_MS / 8);
    }
    expect(rt.idleStops('busy')).toBe(0);
    expect(rt.isRunning('busy')).toBe(true);
    await until(() => !rt.isRunning('busy'));
  });

  it('never stops an instance holding resource handles: they stay valid however long it idles', async () => {
    const made = await rt.call('held', digests.res!, spec, res.ctor, [5]);
    const handle = made.ok ? (made.value as string) : '';
    expect(handle).toMatch(/^counter#\d+$/);
    await sleep(IDLE_MS * 4);
    expect(rt.isRunning('held')).toBe(true);
    expect(rt.idleStops('held')).toBe(0);
    expect(logs.some((l) => /kept running: it holds 1 resource handle/.test(l))).toBe(true);
    expect(await rt.call('held', digests.res!, spec, res.get, [handle])).toMatchObject({ ok: true, value: 5 });
  });
});
