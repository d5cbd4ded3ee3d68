import { afterEach, describe, expect, it } from 'vitest';
import { importOutsideCi } from '../../ui/outside-ci.js';

const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('importOutsideCi', () => {
  it("makes Ink's CI check (read once, at import) see an interactive terminal, and restores the variables", async () => {
    process.env.CI = 'true';
    process.env.CONTINUOUS_INTEGRATION = '1';
    const seen = await importOutsideCi(async () => ({ ci: process.env.CI, inCi: (await import('is-in-ci')).default }));
    expect(seen).toEqual({ ci: undefined, inCi: false });
    expect(process.env.CI).toBe('true');
    expect(process.env.CONTINUOUS_INTEGRATION).toBe('1');
  });

  it('restores the variables when the import fails, and leaves unset ones unset', async () => {
    delete process.env.CI;
    process.env.CONTINUOUS_INTEGRATION = 'yes';
    await expect(importOutsideCi(() => Promise.reject(new Error('no such module')))).rejects.toThrow('no such module');
    expect('CI' in process.env).toBe(false);
    expect(process.env.CONTINUOUS_INTEGRATION).toBe('yes');
  });
});
