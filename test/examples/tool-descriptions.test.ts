// What an agent reads about the examples' tools (`wassette inspect --json` of examples/build): every field whose
// meaning is not in its name is explained in the tool's own description, since record-field docs do not reach it.
import { afterAll, describe, expect, it } from 'vitest';
import { buildExamples } from '../helpers/examples.js';
import { ROOT, runCli, tempHome } from '../helpers/cli.js';
import { join } from 'node:path';

describe('example tool descriptions', () => {
  const t = tempHome('wassette-descriptions-');
  afterAll(() => t.cleanup());

  it('get_file_info says what unit `modified` is in', async () => {
    const built = await buildExamples(['--only', 'filesystem'], t.home);
    expect(built.code, built.stderr).toBe(0);
    const r = await runCli(['inspect', join(ROOT, 'examples', 'build', 'filesystem.wasm'), '--json'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    const tools = (JSON.parse(r.stdout) as { tools: Array<{ name: string; description: string }> }).tools;
    const info = tools.find((x) => x.name === 'get_file_info');
    expect(info?.description).toMatch(/`modified` is in seconds\s+since 1970-01-01 UTC/);
  }, 120_000);
});
