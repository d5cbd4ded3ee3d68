// An approved load is carried out even when the server that asked is gone, and never loads bytes
// other than the ones the user was shown.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text } from '../helpers/cli.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };

describe('approving loads from the CLI', () => {
  it('loads the component itself when the server that asked has stopped; the next server serves it', async () => {
    const t = tempHome();
    try {
      const s = await startStdioSession({ home: t.home, env: PROMPT });
      const r = await call(s, 'load_component', { path: fixture('spin') });
      expect(r.structuredContent?.status, text(r)).toBe('pending');
      const id = String(r.structuredContent?.request_id);
      await s.close();

      const approved = await runCli(['approvals', 'approve', id, '--json'], { home: t.home });
      expect(approved.code, approved.stderr).toBe(0);
      const out = JSON.parse(approved.stdout);
      expect(out).toMatchObject({ status: 'approved', applied: true });
      expect(out.note).toMatch(/^loaded spin: .*ping/);

      const next = await startStdioSession({ home: t.home, env: PROMPT });
      try {
        expect((await call(next, 'ping')).structuredContent).toEqual({ result: 42 });
      } finally {
        await next.close();
      }
      // Carried out once: approving again is refused, nothing is loaded twice.
      const again = await runCli(['approvals', 'approve', id], { home: t.home });
      expect(again.code).not.toBe(0);
      const list = JSON.parse((await runCli(['component', 'list', '--json'], { home: t.home })).stdout);
      expect(list.components.map((c: { id: string }) => c.id)).toEqual(['spin']);
    } finally {
      t.cleanup();
    }
  }, 30_000);

  it('refuses to load a file whose bytes changed after the user was asked', async () => {
    const t = tempHome();
    try {
      const path = join(t.home, 'tool.wasm');
      copyFileSync(fixture('spin'), path);
      const s = await startStdioSession({ home: t.home, env: PROMPT });
      const r = await call(s, 'load_component', { path });
      const id = String(r.structuredContent?.request_id);
      await s.close();
      copyFileSync(fixture('recurse'), path);

      const approved = await runCli(['approvals', 'approve', id, '--json'], { home: t.home });
      expect(approved.code, approved.stderr).toBe(0);
      const out = JSON.parse(approved.stdout);
      expect(out.applied).toBe(false);
      expect(out.note).toMatch(/changed since it was approved \(approved sha256:[0-9a-f]{64}, now sha256:[0-9a-f]{64}\); not loaded/);
      const list = JSON.parse((await runCli(['component', 'list', '--json'], { home: t.home })).stdout);
      expect(list.components).toEqual([]);
    } finally {
      t.cleanup();
    }
  }, 30_000);
});
