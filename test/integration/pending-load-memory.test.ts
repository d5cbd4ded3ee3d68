// End to end in prompt mode: loads waiting for the user do not keep their components' bytes in the server's memory.
// A request waits up to 15 minutes; before, each held its bytes (up to 256 MiB) for all of that time.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCustomSection } from '../../scripts/examples/add-package-docs.js';
import { openStore } from '../../src/store/db.js';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const PAD_BYTES = 64 * 1024 * 1024;
const COPIES = 4;

/** The component with a custom section of `size` bytes appended (distinct content per `seed`, so distinct digests). */
function padded(base: Uint8Array, size: number, seed: number): Uint8Array {
  return appendCustomSection(base, 'padding', new Uint8Array(size).fill(seed));
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

describe('pending loads', () => {
  const t = tempHome();
  let s: McpSession;
  const files: string[] = [];

  beforeAll(async () => {
    const base = new Uint8Array(readFileSync(fixture('spin')));
    for (let i = 0; i < COPIES; i++) {
      const f = join(t.home, `padded-${i}.wasm`);
      writeFileSync(f, padded(base, PAD_BYTES, i + 1));
      files.push(f);
    }
    // A heap snapshot runs a full collection first: the test's way to see what is still referenced, not just not yet freed.
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${t.home}`.trim();
    s = await startStdioSession({ home: t.home, env: { WASSETTE_APPROVAL: 'prompt', NODE_OPTIONS: nodeOptions } });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('do not hold their components in memory while they wait, and the server loads approved ones from its blob cache (or again from the source once pruned)', async () => {
    const pid = s.pid!()!;
    const before = rssMiB(pid);
    const ids: string[] = [];
    for (const path of files) {
      const r = await call(s, 'load_component', { path });
      expect(r.structuredContent?.status, text(r)).toBe('pending');
      ids.push(String(r.structuredContent?.request_id));
    }
    // Let the transpiles ahead of approval finish, then collect (the snapshot) and give the memory time to go back.
    await new Promise((r) => setTimeout(r, 3000));
    process.kill(pid, 'SIGUSR2');
    await expect.poll(() => readdirSync(t.home).some((f) => f.endsWith('.heapsnapshot')), { timeout: 30_000, interval: 200 }).toBe(true);
    let grown = rssMiB(pid) - before;
    const end = Date.now() + 30_000;
    while (grown > 100 && Date.now() < end) {
      for (let i = 0; i < 20; i++) await call(s, 'list_components');
      await new Promise((r) => setTimeout(r, 250));
      grown = rssMiB(pid) - before;
    }
    expect(grown, `server RSS grew by ${grown.toFixed(0)} MiB with ${COPIES} pending loads of ${PAD_BYTES / 2 ** 20} MiB`).toBeLessThan(100);
    // Components this large are not transpiled before the user agreed (it takes about 4.5x their size in memory).
    const transpiled = join(t.home, 'transpiled');
    expect(existsSync(transpiled) ? readdirSync(transpiled).filter((f) => !f.startsWith('.')) : []).toEqual([]);

    // The decision alone is written (as a UI that leaves the carrying out to the server would): the server watching
    // the request loads it, reading the bytes back from its blob cache.
    // The other one's cached bytes are pruned first: it is fetched again from its (pinned) source.
    const store = openStore(t.home);
    try {
      const pruned = (store.approvals.get(ids[COPIES - 2]!)?.payload as { digest: string }).digest;
      rmSync(join(t.home, 'blobs', 'sha256', pruned.slice('sha256:'.length)));
      store.approvals.decide(ids[COPIES - 1]!, 'approved', 'user (test)', Date.now(), 'once');
      store.approvals.decide(ids[COPIES - 2]!, 'approved', 'user (test)', Date.now(), 'once');
    } finally {
      store.close();
    }
    await expect.poll(async () => (await call(s, 'list_components')).structuredContent?.components?.length, { timeout: 30_000, interval: 250 }).toBe(2);
    expect(s.stderr()).toMatch(/loaded padded-3 from/);
    expect(s.stderr()).toMatch(/loaded padded-2 from/);
  }, 120_000);
});
