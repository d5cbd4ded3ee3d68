// The filesystem example at `/`: the sandbox's root is a deny-by-default view that lists as empty, so the component
// answers `/` with the directories it may read instead of an empty listing an agent would take for an empty disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExamples } from '../helpers/examples.js';
import { call, ROOT, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const t = tempHome('wassette-fs-root-');
const data = mkdtempSync(join(tmpdir(), 'wassette-fs-root-data-'));
let s: McpSession;

beforeAll(async () => {
  const built = await buildExamples(['--only', 'filesystem'], t.home);
  expect(built.code, built.stderr).toBe(0);
  mkdirSync(join(data, 'notes'));
  writeFileSync(join(data, 'notes', 'a.txt'), 'alpha\n');
  s = await startStdioSession({ home: t.home });
  const loaded = await call(s, 'load_component', { path: join(ROOT, 'examples', 'build', 'filesystem.wasm') });
  expect(loaded.isError, text(loaded)).toBeFalsy();
}, 180_000);

afterAll(async () => {
  await s?.close();
  t.cleanup();
  rmSync(data, { recursive: true, force: true });
});

describe('filesystem example at /', () => {
  it('before any grant, / is an error that says to ask for one', async () => {
    for (const [tool, args] of [
      ['list_directory', { path: '/' }],
      ['find_files', { path: '/', pattern: '*' }],
      ['search_files', { path: '//', text: 'alpha' }],
    ] as const) {
      const r = await call(s, tool, args);
      expect(r.isError, `${tool}: ${text(r)}`).toBe(true);
      expect(text(r)).toMatch(/no directory has been granted yet.*grant_storage_permission/);
    }
  });

  it('after a grant, / is an error naming the granted directories; inside them everything works', async () => {
    const g = await call(s, 'grant_storage_permission', { component_id: 'filesystem', details: { uri: `fs://${data}`, access: ['read'] } });
    expect(g.isError, text(g)).toBeFalsy();
    for (const path of ['/', '/.', '//']) {
      const r = await call(s, 'list_directory', { path });
      expect(r.isError, `${path}: ${text(r)}`).toBe(true);
      expect(text(r)).toContain(`/ is not a granted directory; the granted ones are: ${data}`);
    }
    const inside = await call(s, 'list_directory', { path: data });
    expect(inside.structuredContent?.result).toEqual([{ name: 'notes', kind: 'directory', size: 0 }]);
    const hits = await call(s, 'search_files', { path: data, text: 'alpha' });
    expect(hits.structuredContent?.result).toEqual([{ path: join(data, 'notes', 'a.txt'), line: 1, text: 'alpha' }]);
  });

  it('a grant of / itself makes / a directory like any other, and allowed_directories says so', async () => {
    const g = await call(s, 'grant_storage_permission', { component_id: 'filesystem', details: { uri: 'fs:///', access: ['read'] } });
    expect(g.isError, text(g)).toBeFalsy();
    const allowed = await call(s, 'allowed_directories', {});
    expect(allowed.structuredContent?.result).toContain('/');
    const root = await call(s, 'list_directory', { path: '/' });
    expect(root.isError, text(root)).toBeFalsy();
    const names = (root.structuredContent?.result as Array<{ name: string }>).map((e) => e.name);
    expect(names).toContain('tmp');
  });
});
