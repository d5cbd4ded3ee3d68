import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WassetteError } from '../../src/errors.js';
import { emptyPolicy, parsePolicy, policyFromJson, policyToJson, serializePolicy } from '../../src/sandbox/policy.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../../fixtures/policies', name), 'utf8');

function errorOf(f: () => unknown): WassetteError {
  try {
    f();
  } catch (e) {
    if (e instanceof WassetteError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parsePolicy: valid fixtures', () => {
  it('reads every section of full.yaml, normalized', () => {
    const p = parsePolicy(fixture('full.yaml'));
    expect(p.description).toMatch(/data directory/);
    expect(p.storage.allow).toEqual([
      { uri: 'fs:///tmp/wassette-data', path: '/tmp/wassette-data', access: ['read', 'write'] },
      { uri: 'fs:///etc/ssl/certs', path: '/etc/ssl/certs', access: ['read'] },
    ]);
    expect(p.storage.deny).toEqual([{ uri: 'fs:///tmp/wassette-data/private', path: '/tmp/wassette-data/private', access: ['write'] }]);
    expect(p.network.allow).toEqual([{ host: 'api.example.com' }, { host: '*.example.org' }, { cidr: '10.0.0.0/8' }]);
    expect(p.network.deny).toEqual([{ host: 'bad.example.org' }]);
    expect(p.environment.allow).toEqual([{ key: 'API_KEY' }]);
    expect(p.limits).toEqual({ memory: '256Mi', memoryBytes: 256 * 1024 ** 2, cpu: '500m', cpuMillis: 500, timeoutMs: 10_000 });
  });

  it("accepts Wassette's layout (resources under permissions, runtime section)", () => {
    const p = parsePolicy(fixture('wassette-style.yaml'));
    expect(p.limits).toEqual({ memory: '1Gi', memoryBytes: 1024 ** 3, cpu: '2', cpuMillis: 2000 });
    expect(p.network.allow).toEqual([{ host: 'api.openai.com' }]);
  });

  it('a minimal policy allows nothing', () => {
    expect(parsePolicy(fixture('minimal.yaml'))).toEqual(emptyPolicy('Nothing allowed'));
  });

  it.each([
    ['timeout as integer ms', 'version: "1.0"\nresources: {limits: {timeout: 1500}}', { timeoutMs: 1500 }],
    ['timeout in minutes', 'version: "1.0"\nresources: {limits: {timeout: 2m}}', { timeoutMs: 120_000 }],
    [
      'legacy numeric memory is MiB',
      'version: "1.0"\npermissions: {resources: {memory: 128, cpu: 10}}',
      { memory: '128Mi', memoryBytes: 128 * 1024 ** 2, cpu: '10' },
    ],
    ['unquoted version 1.0', 'version: 1.0', {}],
    [
      'flat quantity is kept as written minus surrounding whitespace, like the nested form (it is shown in prompts)',
      'version: "1.0"\nresources: {memory: "  1Gi\\n\\n\\n\\n\\n\\n"}',
      { memory: '1Gi', memoryBytes: 1024 ** 3 },
    ],
  ])('%s', (_name, yaml, limits) => {
    expect(parsePolicy(yaml).limits).toEqual(limits);
  });

  it('accepts a bare * only in deny lists', () => {
    expect(parsePolicy('version: "1.0"\npermissions: {network: {deny: [{host: "*"}]}}').network.deny).toEqual([{ host: '*' }]);
  });

  it('normalizes storage paths and access order', () => {
    const p = parsePolicy('version: "1.0"\npermissions:\n  storage:\n    allow:\n      - {uri: "fs:///tmp/a/../b/", access: [write, read, write]}\n');
    expect(p.storage.allow).toEqual([{ uri: 'fs:///tmp/b', path: '/tmp/b', access: ['read', 'write'] }]);
  });
});

describe('parsePolicy: errors name the line and the field', () => {
  it.each([
    ['invalid-access.yaml', /^policy\.yaml line 7: permissions\.storage\.allow\[0\]\.access\[1\]: 'exec' is not one of read, write$/],
    ['invalid-relative-uri.yaml', /^policy\.yaml line 5: permissions\.storage\.allow\[0\]\.uri: .*absolute path/],
    ['invalid-version.yaml', /^policy\.yaml line 1: version: '2\.0' is not supported/],
    ['invalid-yaml.yaml', /^policy\.yaml line 6: /],
  ])('%s', (name, message) => {
    const e = errorOf(() => parsePolicy(fixture(name)));
    expect(e.code).toBe('invalid-policy');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['unknown section', 'version: "1.0"\npermissions:\n  storge: {}', /line 3: permissions\.storge: unknown field/],
    [
      'typo inside an entry',
      'version: "1.0"\npermissions:\n  network:\n    allow:\n      - hots: a.com',
      /line 5: permissions\.network\.allow\[0\]\.hots: unknown field/,
    ],
    ['wildcard in the middle of a host', 'version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: "a*.com"', /line 5: .*host: .*wildcard/],
    ['wildcard env key', 'version: "1.0"\npermissions:\n  environment:\n    allow:\n      - key: "AWS_*"', /wildcards are not allowed/],
    ['bad memory', 'version: "1.0"\nresources:\n  limits:\n    memory: lots', /line 4: resources\.limits\.memory: .*not a memory quantity/],
    ['bad timeout', 'version: "1.0"\nresources:\n  limits:\n    timeout: soon', /line 4: resources\.limits\.timeout: 'soon' is not a duration/],
    [
      'timeout beyond the timer range',
      'version: "1.0"\nresources:\n  limits:\n    timeout: 600h',
      /line 4: resources\.limits\.timeout: '600h' is longer than the largest supported limit/,
    ],
    ['fractional integer timeout', 'version: "1.0"\nresources:\n  limits:\n    timeout: 1.5', /line 4: resources\.limits\.timeout: '1.5' is not a duration/],
    ['missing version', 'description: x', /version is missing/],
    ['empty access', 'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - {uri: "fs:///tmp", access: []}', /access: must list at least one/],
    ['host and cidr together', 'version: "1.0"\npermissions:\n  network:\n    allow:\n      - {host: a.com, cidr: 10.0.0.0/8}', /exactly one of host, cidr/],
    ['duplicate keys', 'version: "1.0"\nversion: "1.0"', /line 2: /],
    ['bare * as an allowed host', 'version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: "*"', /line 5: .*would allow every host/],
    ['not a mapping', '- a\n- b', /expected a mapping/],
  ])('%s', (_name, yaml, message) => {
    expect(() => parsePolicy(yaml)).toThrow(message);
  });
});

describe('serialization', () => {
  it('round-trips through YAML and JSON', () => {
    const p = parsePolicy(fixture('full.yaml'));
    expect(parsePolicy(serializePolicy(p))).toEqual(p);
    expect(policyFromJson(JSON.parse(JSON.stringify(policyToJson(p))))).toEqual(p);
  });

  it('leaves out empty sections', () => {
    expect(policyToJson(emptyPolicy())).toEqual({ version: '1.0', permissions: {} });
    expect(serializePolicy(emptyPolicy())).toBe('version: "1.0"\npermissions: {}\n');
  });

  it('policyFromJson reports the path without a line', () => {
    expect(() => policyFromJson({ version: '1.0', permissions: { network: { allow: [{ host: '' }] } } }, 'component c1 policy')).toThrow(
      /^component c1 policy: permissions\.network\.allow\[0\]\.host: host must be a non-empty string/,
    );
  });
});
