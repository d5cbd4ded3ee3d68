import { describe, expect, it } from 'vitest';
import { perStretch } from '../../src/core/stretch-memo.js';

describe('perStretch', () => {
  it('reads once per stretch of synchronous code and microtasks, and again after an immediate', async () => {
    let n = 0;
    const read = perStretch(() => ++n);
    expect(read()).toBe(1);
    expect(read()).toBe(1);
    await Promise.resolve();
    expect(read()).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(read()).toBe(2);
    await new Promise((r) => setTimeout(r, 1));
    expect(read()).toBe(3);
    expect(n).toBe(3);
  });
});
