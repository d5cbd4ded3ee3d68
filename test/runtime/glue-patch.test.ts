import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIFT_HOOK, patchGlue } from '../../src/runtime/glue-patch.js';

const build = join(import.meta.dirname, '..', '..', 'fixtures', 'build');

async function glue(name: string): Promise<string> {
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  const r = await transpileBytes(readFileSync(join(build, `${name}.wasm`)), {
    name: 'component',
    instantiation: 'async',
    base64Cutoff: 0,
    noComponentErrorWrapping: false,
    emitTypescriptDeclarations: false,
  });
  return new TextDecoder().decode(r.files['component.js']);
}

describe('patchGlue', () => {
  it.each(['alias-lists', 'text-tools', 'all-types', 'spin'])(
    'patches %s: every export core call goes through the lift hook, the debug logger reads no env',
    async (name) => {
      const src = await glue(name);
      const { source, sites } = patchGlue(src);
      expect(sites).toBeGreaterThan(0);
      // No unpatched core call is left, and each patched one names the memory its result is lifted from.
      expect(source).not.toMatch(/ret = +_withGlobalCurrentTaskMeta\(/);
      expect(source.split(`globalThis.${LIFT_HOOK}(`).length - 1).toBe(sites);
      // Fails when jco changes its debug logger: then the per-call env read is back (see DEPENDENCIES.md).
      expect(src).toContain('JCO_DEBUG');
      expect(patchGlue(src).debugLogs).toBe(1);
      expect(source).not.toContain('JCO_DEBUG');
      expect(source).toContain('const _debugLog = () => {};');
      if (name === 'alias-lists') {
        expect(sites).toBe(4);
        expect(source).toMatch(/\}\), memory0\);/);
      }
    },
  );
});
