import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/cli/context.js';

describe('loadCliConfig: flags override file and environment', () => {
  const home = mkdtempSync(join(tmpdir(), 'wassette-ctx-'));
  writeFileSync(join(home, 'config.yaml'), 'insecure_registries: [reg.corp:5000]\ntrust:\n  - scope: "*"\n    require: none\n');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it.each([
    { flags: {}, env: {}, require: false, insecure: ['reg.corp:5000'] },
    { flags: { requireSignatures: true }, env: {}, require: true, insecure: ['reg.corp:5000'] },
    { flags: {}, env: { WASSETTE_REQUIRE_SIGNATURES: 'true' }, require: true, insecure: ['reg.corp:5000'] },
    { flags: { requireSignatures: false }, env: { WASSETTE_REQUIRE_SIGNATURES: 'true' }, require: true, insecure: ['reg.corp:5000'] },
    { flags: { insecureRegistries: ['dev.local:5000', 'reg.corp:5000'] }, env: {}, require: false, insecure: ['reg.corp:5000', 'dev.local:5000'] },
  ])('flags $flags env $env', ({ flags, env, require, insecure }) => {
    const c = loadCliConfig(flags, { WASSETTE_HOME: home, ...env });
    expect(c.requireSignatures).toBe(require);
    expect(c.insecureRegistries).toEqual(insecure);
    expect(c.trust).toEqual([{ scope: '*', require: 'none' }]);
    expect(Object.isFrozen(c)).toBe(true);
  });
});
