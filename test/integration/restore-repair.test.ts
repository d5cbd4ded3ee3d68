// A restarted server whose blob cache lost a component's bytes fetches them again from the recorded
// source (same digest only) instead of silently dropping the component.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome } from '../helpers/cli.js';

function dropBlobs(home: string): void {
  const dir = join(home, 'blobs', 'sha256');
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true });
}

describe('restoring a component whose cached bytes are gone', () => {
  it('re-fetches the same digest from its source and serves it again, grants intact', async () => {
    const t = tempHome();
    try {
      const path = join(t.home, 'spin.wasm');
      copyFileSync(fixture('spin'), path);
      expect((await runCli(['component', 'load', path], { home: t.home })).code).toBe(0);
      expect((await runCli(['permission', 'grant', 'environment', 'spin', 'SOME_KEY'], { home: t.home })).code).toBe(0);
      dropBlobs(t.home);

      const s = await startStdioSession({ home: t.home });
      try {
        await expect.poll(async () => (await s.client.listTools()).tools.map((x) => x.name), { timeout: 10_000 }).toContain('ping');
        expect((await call(s, 'ping')).structuredContent).toEqual({ result: 42 });
        const policy = await call(s, 'get_policy', { component_id: 'spin' });
        expect(JSON.stringify(policy.structuredContent?.grants)).toContain('SOME_KEY');
      } finally {
        await s.close();
      }
    } finally {
      t.cleanup();
    }
  }, 30_000);

  it('keeps it listed as unavailable, with the reason, when the source now holds other bytes; unload still works', async () => {
    const t = tempHome();
    try {
      const path = join(t.home, 'tool.wasm');
      copyFileSync(fixture('spin'), path);
      expect((await runCli(['component', 'load', path], { home: t.home })).code).toBe(0);
      dropBlobs(t.home);
      copyFileSync(fixture('recurse'), path);

      const s = await startStdioSession({ home: t.home });
      try {
        await expect
          .poll(
            async () => {
              const list = (await call(s, 'list_components')).structuredContent?.components as Array<Record<string, unknown>>;
              return list.find((c) => c.id === 'tool')?.error;
            },
            { timeout: 10_000 },
          )
          .toMatch(/now holds sha256:[0-9a-f]{64}; load it again to accept the new content/);
        const list = (await call(s, 'list_components')).structuredContent?.components as Array<Record<string, unknown>>;
        expect(list).toEqual([expect.objectContaining({ id: 'tool', status: 'unavailable', tools: [] })]);
        expect((await s.client.listTools()).tools.map((x) => x.name)).not.toContain('ping');
        const unloaded = await call(s, 'unload_component', { id: 'tool' });
        expect(unloaded.isError).toBeFalsy();
        expect((await call(s, 'list_components')).structuredContent?.components).toEqual([]);
      } finally {
        await s.close();
      }
    } finally {
      t.cleanup();
    }
  }, 30_000);
});
