import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ComponentInstance } from '../../src/runtime/instance.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';

describe('terminating an instance while it starts', () => {
  it('spawns no worker once terminate() was called during the load (a close right after a load used to leave one running)', async () => {
    let release!: () => void;
    const loaded = new Promise<void>((r) => (release = r));
    const spawned: Worker[] = [];
    const instance = new ComponentInstance({
      load: async () => {
        await loaded;
        return { entryUrl: 'file:///nonexistent.mjs', modules: {}, imports: [] };
      },
      log: () => undefined,
      spawn: () => {
        const w = new Worker('setInterval(() => {}, 1000);', { eval: true });
        spawned.push(w);
        return w;
      },
    });
    const warm = instance.warm(denyAllSpec({ timeoutMs: 1000, memoryBytes: 16 * 65536, maxOutputBytes: 65536 }));
    await new Promise((r) => setImmediate(r));
    const terminated = instance.terminate();
    release();
    await Promise.all([warm, terminated]);
    await Promise.all(spawned.map((w) => w.terminate()));
    expect(spawned).toHaveLength(0);
    expect(instance.running).toBe(false);
  });
});
