// `wassette serve --manifest`: a headless server loads the listed components, pinned by digest and with their
// policies, before it answers anyone; a digest that does not match (or an unpinned entry) stops the start.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, fixture, ROOT, runCli, startStdioSession, tempHome, text } from '../helpers/cli.js';

const sha = (file: string) => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
const dir = tempHome('wassette-manifest-');
const homes: Array<{ cleanup(): void }> = [dir];
afterAll(() => {
  for (const h of homes) h.cleanup();
});

function home(): string {
  const h = tempHome();
  homes.push(h);
  return h.home;
}

describe('serve --manifest', () => {
  it('loads every listed component with its policy before serving; a restart keeps them', async () => {
    copyFileSync(fixture('all-types'), join(dir.home, 'all-types.wasm'));
    copyFileSync(join(ROOT, 'fixtures', 'policies', 'full.yaml'), join(dir.home, 'all-types-policy.yaml'));
    const manifest = join(dir.home, 'manifest.yaml');
    writeFileSync(
      manifest,
      [
        'version: 1',
        'components:',
        '  - ref: ./all-types.wasm',
        `    digest: ${sha(fixture('all-types'))}`,
        '    policy: all-types-policy.yaml',
        `  - ref: ${fixture('spin')}`,
        `    digest: ${sha(fixture('spin'))}`,
        '',
      ].join('\n'),
    );
    const h = home();
    // No approval needed: the operator's manifest acts for the user, even in prompt mode.
    const s = await startStdioSession({ home: h, args: ['--manifest', manifest], env: { WASSETTE_APPROVAL: 'prompt' } });
    try {
      const names = (await s.client.listTools()).tools.map((x) => x.name);
      expect(names).toEqual(expect.arrayContaining(['greet', 'ping']));
      expect((await call(s, 'greet', { name: 'm' })).structuredContent).toEqual({ result: 'hello, m' });
      const policy = await call(s, 'get_policy', { component_id: 'all-types' });
      expect(text(policy)).toContain('api.example.com');
      expect(s.stderr()).toMatch(/provisioned 2 component\(s\) from .*manifest\.yaml: all-types, spin/);
    } finally {
      await s.close();
    }
    const again = await startStdioSession({ home: h, args: ['--manifest', manifest] });
    try {
      const listed = await call(again, 'list_components');
      expect((listed.structuredContent?.components as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(['all-types', 'spin']);
    } finally {
      await again.close();
    }
  });

  it('refuses to start when a digest does not match, naming both digests, and loads nothing', async () => {
    const manifest = join(dir.home, 'bad.yaml');
    const wrong = `sha256:${'0'.repeat(64)}`;
    writeFileSync(manifest, `components:\n  - ref: ${fixture('spin')}\n    digest: ${wrong}\n`);
    const h = home();
    const r = await runCli(['serve', '--manifest', manifest], { home: h });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`expected digest ${wrong} but the component's bytes hash to ${sha(fixture('spin'))}`);
    const listed = await runCli(['component', 'list', '--json'], { home: h });
    expect(JSON.parse(listed.stdout)).toMatchObject({ components: [] });
  });

  it('refuses an unpinned entry and a missing manifest with one clear line', async () => {
    const manifest = join(dir.home, 'unpinned.yaml');
    writeFileSync(manifest, `components:\n  - ref: ${fixture('spin')}\n`);
    const r = await runCli(['serve', '--manifest', manifest], { home: home() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('must be pinned');
    const missing = await runCli(['serve', '--manifest', join(dir.home, 'nope.yaml')], { home: home() });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('cannot read manifest');
  });
});
