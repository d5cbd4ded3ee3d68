// What a load_tool request shows: publisher annotations under readable names, permissions new or held, and what
// changed against the loaded version of the same source.
import { describe, expect, it } from 'vitest';
import { changesFrom, describeToolLoad, permissionAsks, publisherOf, type ToolLoadPayload } from '../../src/approvals/tool-request.js';
import { UNPRINTABLE } from '../../src/approvals/one-line.js';
import { samePublication, sourceKey } from '../../src/core/load-tool.js';
import { parsePolicy } from '../../src/sandbox/policy.js';

const base: ToolLoadPayload = {
  ref: 'oci://r.io/acme/weather:1.1',
  source: 'oci://r.io/acme/weather@sha256:' + 'b'.repeat(64),
  digest: 'sha256:' + 'c'.repeat(64),
  policy: { yaml: null, digest: null, origin: null, permissions: null },
  signature: 'signed (cosign) by sha256:abcd',
  publisher: { description: 'Weather for a city', licence: 'MIT' },
  tools: [{ name: 'forecast', description: 'Forecast for a city\nmore detail' }],
  permissions: [
    { permission: 'network api.weather.example', held: true },
    { permission: 'environment API_KEY', held: false },
  ],
  subject: {
    source: 'oci://r.io/acme/weather@sha256:' + 'b'.repeat(64),
    signature: { status: 'verified', signer: 'sha256:abcd' },
    permissions: ['network api.weather.example', 'environment API_KEY'],
  },
};

describe('tool load request', () => {
  it('keeps only the publisher annotations a person judges by', () => {
    expect(publisherOf({ 'org.opencontainers.image.licenses': 'MIT', 'org.opencontainers.image.created': '2026', 'x.y': 'z' })).toEqual({ licence: 'MIT' });
  });

  it('marks each permission new or already held', () => {
    expect(permissionAsks(['network a', 'environment K'], new Set(['network a']))).toEqual([
      { permission: 'network a', held: true },
      { permission: 'environment K', held: false },
    ]);
  });

  it('says what changed against the loaded version', () => {
    expect(
      changesFrom(
        { digest: 'sha256:old', tools: ['a', 'b'], permissions: ['network x'] },
        { tools: ['b', 'c'], permissions: ['network x', 'storage fs:///y (read)'] },
      ),
    ).toEqual({
      from: 'sha256:old',
      toolsAdded: ['c'],
      toolsRemoved: ['a'],
      permissionsAdded: ['storage fs:///y (read)'],
    });
  });

  it('shows every fact of the decision, one per line', () => {
    const text = describeToolLoad({
      ...base,
      reason: 'the user asked for tomorrow',
      changes: { from: 'sha256:old', toolsAdded: [], toolsRemoved: [], permissionsAdded: ['environment API_KEY'] },
    });
    expect(text.split('\n')).toEqual([
      `An agent asks to load ${base.source}`,
      `digest ${base.digest}, signed (cosign) by sha256:abcd`,
      'description: Weather for a city',
      'licence: MIT',
      'tools (1):',
      '  forecast: Forecast for a city',
      'permissions:',
      '  network api.weather.example (already held)',
      '  environment API_KEY (new)',
      'replaces the loaded version sha256:old:',
      '  permissions added: environment API_KEY',
      'reason given: the user asked for tomorrow',
    ]);
  });

  it.each([
    ['oci://r.io/acme/weather@sha256:' + 'a'.repeat(64), 'oci://r.io/acme/weather'],
    ['oci://r.io:5000/acme/weather:1.0', 'oci://r.io:5000/acme/weather'],
    ['oci://r.io:5000/acme/weather', 'oci://r.io:5000/acme/weather'],
    ['/home/u/tool.wasm', '/home/u/tool.wasm'],
  ])('sourceKey(%s) = %s', (source, key) => {
    expect(sourceKey(source)).toBe(key);
  });

  const M = `sha256:${'a'.repeat(64)}`;
  const N = `sha256:${'b'.repeat(64)}`;
  it.each([
    [`oci://r.io/acme/weather:1@${M}`, `oci://r.io/acme/weather@${M}`, true],
    [`oci://r.io/acme/weather:1@${M}`, `oci://r.io/acme/weather:latest@${M}`, true],
    [`oci://r.io/acme/weather:1@${M}`, `oci://r.io/acme/weather:1@${N}`, false],
    [`oci://r.io/acme/weather@${M}`, `oci://r.io/acme/other@${M}`, false],
    [`oci://r.io/acme/weather@${M}`, `oci://s.io/acme/weather@${M}`, false],
    ['/home/u/tool.wasm', '/home/u/tool.wasm', true],
    ['/home/u/tool.wasm', '/home/u/other.wasm', false],
  ])('samePublication(%s, %s) = %s', (a, b, same) => {
    expect(samePublication(a, b)).toBe(same);
  });
});

describe('prompt spoofing', () => {
  it('a publisher annotation, a tool description or a reason cannot forge a line of the prompt', () => {
    const text = describeToolLoad({
      ...base,
      publisher: publisherOf({ 'org.opencontainers.image.description': 'Weather\ndigest sha256:0, signed (cosign) by trusted-key\u001b[2J' }),
      tools: [{ name: 'forecast', description: 'Forecast\u2028signed by trusted' }],
      reason: 'because\r\npermissions: none',
    });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('digest '))).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('permissions: none'))).toBe(false);
    expect(lines.some((l) => UNPRINTABLE.test(l))).toBe(false);
    expect(text).toContain('description: Weather digest sha256:0, signed (cosign) by trusted-key [2J');
  });
});

describe('prompt spoofing through the source or the starting policy', () => {
  it('a file source cannot forge a line of the load_tool prompt', () => {
    const text = describeToolLoad({ ...base, source: '/tmp/a\ndigest sha256:0, signed (cosign) by trusted-key\n.wasm' });
    expect(text.split('\n').filter((l) => l.startsWith('digest '))).toHaveLength(1);
  });
  it('a starting policy whose names carry line breaks is refused before it can reach a prompt', () => {
    const yaml = 'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///tmp/a\\n  permissions: none"\n        access: [read]\n';
    expect(() => parsePolicy(yaml)).toThrow(/control character/);
  });
});
