// What an agent reads about the examples' tools (`wassette inspect --json` of examples/build): their descriptions, and
// the record-field docs their schemas carry (function parameters have no docs in package-docs, so descriptions say those).
import { afterAll, describe, expect, it } from 'vitest';
import { buildExamples } from '../helpers/examples.js';
import { ROOT, runCli, tempHome } from '../helpers/cli.js';
import { join } from 'node:path';

describe('example tool descriptions', () => {
  const t = tempHome('wassette-descriptions-');
  afterAll(() => t.cleanup());

  it('evaluate says how round and % treat what a person might read either way', async () => {
    const built = await buildExamples(['--only', 'eval'], t.home);
    expect(built.code, built.stderr).toBe(0);
    const r = await runCli(['inspect', join(ROOT, 'examples', 'build', 'eval.wasm'), '--json'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    const tools = (JSON.parse(r.stdout) as { tools: Array<{ name: string; description: string }> }).tools;
    const evaluate = tools.find((x) => x.name === 'evaluate')?.description ?? '';
    // Python's round() rounds halves to even; fmod keeps the dividend's sign (what the component computes).
    expect(evaluate).toMatch(/round\(2\.5\)\s+is\s+2/);
    expect(evaluate).toMatch(/-7 % 3\s+is\s+-1/);
  }, 180_000);

  it('get_file_info says what unit `modified` is in', async () => {
    const built = await buildExamples(['--only', 'filesystem'], t.home);
    expect(built.code, built.stderr).toBe(0);
    const r = await runCli(['inspect', join(ROOT, 'examples', 'build', 'filesystem.wasm'), '--json'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    const tools = (JSON.parse(r.stdout) as { tools: Array<{ name: string; description: string }> }).tools;
    const info = tools.find((x) => x.name === 'get_file_info');
    expect(info?.description).toMatch(/`modified` is in seconds\s+since 1970-01-01 UTC/);
  }, 120_000);

  it('current_weather and forecast say the unit of every number they return, and where the API key comes from', async () => {
    const built = await buildExamples(['--only', 'weather'], t.home);
    expect(built.code, built.stderr).toBe(0);
    const r = await runCli(['inspect', join(ROOT, 'examples', 'build', 'weather.wasm'), '--json'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { tools: Array<{ name: string; description: string }>; description?: string };
    const doc = (name: string) => (info.tools.find((x) => x.name === name)?.description ?? '').replace(/\s+/g, ' ');
    for (const phrase of [
      'degrees Celsius',
      'humidity and cloud cover in percent',
      'pressure in hPa',
      'wind speed in metres per second',
      'degrees from north',
      'in UTC',
    ]) {
      expect(doc('current_weather')).toContain(phrase);
    }
    for (const phrase of ['degrees Celsius', 'chance of precipitation in percent', 'metres per second', '1 to 5', 'UTC time'])
      expect(doc('forecast')).toContain(phrase);
    expect(r.stdout).toContain('OPENWEATHER_API_KEY');
  }, 120_000);

  it('current_time and convert_time describe the fields of the zoned-time they return', async () => {
    const built = await buildExamples(['--only', 'time'], t.home);
    expect(built.code, built.stderr).toBe(0);
    const r = await runCli(['inspect', join(ROOT, 'examples', 'build', 'time.wasm'), '--json'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    type Props = Record<string, { description?: string }>;
    const tools = (JSON.parse(r.stdout) as { tools: Array<{ name: string; outputSchema: { properties: { result: { properties: Props } } } }> }).tools;
    for (const name of ['current_time', 'convert_time']) {
      const fields = tools.find((x) => x.name === name)?.outputSchema.properties.result.properties;
      expect(fields?.zone?.description, name).toMatch(/^IANA time zone name/);
      expect(fields?.['daylight-saving']?.description, name).toMatch(/daylight-saving \(summer\) time is in effect/);
    }
  }, 120_000);

  it('describe_column describes column-summary fields from the WIT of a componentize-py build', async () => {
    const built = await buildExamples(['--only', 'csv-stats'], t.home);
    expect(built.code, built.stderr).toBe(0);
    const r = await runCli(['inspect', join(ROOT, 'examples', 'build', 'csv-stats.wasm'), '--json'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    type Props = Record<string, { description?: string }>;
    const tools = (JSON.parse(r.stdout) as { tools: Array<{ name: string; outputSchema: { properties: { result: { properties: Props } } } }> }).tools;
    const fields = tools.find((x) => x.name === 'describe_column')?.outputSchema.properties.result.properties;
    expect(fields?.missing?.description).toBe('Rows where this column is empty or missing.');
    expect(fields?.stddev?.description).toBe('Sample standard deviation (n - 1); none with fewer than two values.');
  }, 180_000);
});
