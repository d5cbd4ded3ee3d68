// Adversarial review (server/state/CLI): bad configuration fails fast with one line and a non-zero exit.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempHome } from '../helpers/cli.js';

describe('configuration mistakes', () => {
  const t = tempHome();
  afterAll(() => t.cleanup());

  it.each([
    [{ WASSETTE_DISABLED_BUILTINS: 'load_componet' }, /disabled_builtins: no built-in tool named "load_componet"/],
    [{ WASSETTE_REQUIRE_SIGNATURES: 'on' }, /require_signatures: "on" must be true or false/],
    [{ WASSETTE_CALL_TIMEOUT_MS: '9999999999' }, /call_timeout_ms: .*largest supported/],
  ])(
    '%j stops serve with one line',
    async (env, message) => {
      const r = await runCli(['serve'], { home: t.home, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    },
    20_000,
  );

  it('a config file with a YAML error stops the CLI with one line', async () => {
    writeFileSync(join(t.home, 'config.yaml'), 'approval: [auto\nlog_level: warn\n');
    const r = await runCli(['component', 'list'], { home: t.home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wassette: config file .*config\.yaml: /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 20_000);
});
