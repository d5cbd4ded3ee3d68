// Decoder against real built fixtures (WAT and componentize-js output), compared with golden JSON.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';

const buildDir = join(__dirname, '../../fixtures/build');
const goldenDir = join(__dirname, 'golden');
// Regenerate after an intended change with UPDATE_GOLDEN=1, then review the diff.
const update = process.env.UPDATE_GOLDEN === '1';

describe('decodeComponent on built fixtures', () => {
  it.each(['all-types', 'resources', 'docs', 'text-tools', 'kv-store'])('%s matches its golden description', (name) => {
    const desc = decodeComponent(readFileSync(join(buildDir, `${name}.wasm`)));
    const goldenPath = join(goldenDir, `${name}.json`);
    const actual = `${JSON.stringify(desc, null, 2)}\n`;
    if (update) writeFileSync(goldenPath, actual);
    expect(existsSync(goldenPath), `missing ${goldenPath}: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
  });

  it('decodes a 12 MB componentize-js component quickly (core module content is skipped, not scanned)', () => {
    const bytes = readFileSync(join(buildDir, 'text-tools.wasm'));
    expect(bytes.length).toBeGreaterThan(10_000_000);
    decodeComponent(bytes); // warm up the JIT
    const runs = 5;
    const start = performance.now();
    for (let i = 0; i < runs; i++) decodeComponent(bytes);
    const perRun = (performance.now() - start) / runs;
    process.stderr.write(`decodeComponent(text-tools.wasm, ${bytes.length} bytes): ${perRun.toFixed(2)} ms\n`);
    expect(perRun).toBeLessThan(100);
  });

  it('componentize-js output: exported interface with named record and variant types, WASI imports listed', () => {
    const desc = decodeComponent(readFileSync(join(buildDir, 'text-tools.wasm')));
    const text = desc.interfaces.find((i) => i.name === 'test:text-tools/text');
    expect(text?.functions.find((f) => f.name === 'analyze')?.result).toMatchObject({ kind: 'record', name: 'stats' });
    expect(desc.functions.map((f) => f.name)).toEqual(['reverse']);
    expect(desc.wit).toContain('interface text {');
  });
});
