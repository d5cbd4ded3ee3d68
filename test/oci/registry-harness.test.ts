// The registry test harness must fail loudly, never skip, when docker-registry is not installed.
import { describe, expect, it } from 'vitest';
import { startRegistry } from '../helpers/registry.js';

describe('startRegistry', () => {
  it('throws when docker-registry is not on PATH', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startRegistry()).rejects.toThrow(/docker-registry is not installed/);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('serves /v2/ when installed', async () => {
    const reg = await startRegistry();
    try {
      expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
    } finally {
      await reg.stop();
    }
  });
});
