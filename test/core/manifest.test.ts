import { describe, expect, it } from 'vitest';
import { parseManifest, refIsPinned } from '../../src/core/manifest.js';
import { isWassetteError } from '../../src/errors.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseManifest', () => {
  it('resolves local refs and policies against the manifest folder', () => {
    const m = parseManifest(
      `version: 1\ncomponents:\n  - ref: ./c.wasm\n    digest: ${D}\n    policy: p.yaml\n  - ref: oci://r.example/x@sha256:${'b'.repeat(64)}\n`,
      '/srv/w/manifest.yaml',
    );
    expect(m.components).toEqual([{ ref: '/srv/w/c.wasm', digest: D, policy: '/srv/w/p.yaml' }, { ref: `oci://r.example/x@sha256:${'b'.repeat(64)}` }]);
  });

  it('accepts JSON and an empty list', () => {
    expect(parseManifest('{"components": []}', '/m.json')).toEqual({ components: [] });
  });

  it.each([
    ['not a mapping', '- a', 'expected a mapping'],
    ['no components', 'version: 1', '`components` must be a list'],
    ['unknown top key', 'components: []\nextra: 1', 'unknown key "extra"'],
    ['bad version', 'version: 2\ncomponents: []', 'version 2 is not supported'],
    ['unknown entry key', `components:\n  - ref: a.wasm\n    digest: ${D}\n    polcy: p.yaml`, 'unknown key "polcy"'],
    ['no ref', `components:\n  - digest: ${D}`, '`ref` must be a non-empty string'],
    ['unpinned', 'components:\n  - ref: oci://r/x:1', 'must be pinned'],
    ['bad digest', 'components:\n  - ref: a.wasm\n    digest: sha256:ABC', '`digest` must be sha256:'],
    ['duplicate', `components:\n  - ref: a.wasm\n    digest: ${D}\n  - ref: ./a.wasm\n    digest: ${D}`, 'listed twice'],
    ['bad yaml', 'components: [', 'not valid YAML'],
  ])('refuses %s', (_label, text, message) => {
    let err: unknown;
    try {
      parseManifest(text, '/m.yaml');
    } catch (e) {
      err = e;
    }
    expect(isWassetteError(err, 'invalid-config')).toBe(true);
    expect((err as Error).message).toContain('manifest /m.yaml');
    expect((err as Error).message).toContain(message);
  });
});

describe('refIsPinned', () => {
  it.each([
    [`oci://r/x@sha256:${'c'.repeat(64)}`, true],
    ['oci://r/x:1', false],
    [`https://h/x.wasm#sha256=${'c'.repeat(64)}`, true],
    ['https://h/x.wasm', false],
    [`/abs/x.wasm@sha256:${'c'.repeat(64)}`, false],
  ])('%s', (ref, pinned) => {
    expect(refIsPinned(ref)).toBe(pinned);
  });
});
