import { describe, expect, it } from 'vitest';
import { effectivePolicy, hostPatternCovers, limitsAboveCeiling, toSandboxSpec, unenforcedRules } from '../../src/sandbox/effective-policy.js';
import { parseGrant } from '../../src/sandbox/grants.js';
import { emptyPolicy, parsePolicy } from '../../src/sandbox/policy.js';
import { requestedPermissions } from '../../src/sandbox/requested-permissions.js';

const defaults = { timeoutMs: 30_000, memoryBytes: 512 * 1024 ** 2, maxOutputBytes: 4096 };
const ceiling = { timeoutMs: 600_000, memoryBytes: 4 * 1024 ** 3 };
const base = parsePolicy(`
version: "1.0"
permissions:
  storage:
    allow:
      - {uri: "fs:///data", access: [read]}
      - {uri: "fs:///data/out", access: [write]}
      - {uri: "fs:///ro", access: [read, write]}
    deny:
      - {uri: "fs:///ro", access: [write]}
      - {uri: "fs:///data/out/secret", access: [write]}
  network:
    allow: [{host: "api.example.com"}, {host: "*.example.org"}, {host: "bad.example.net"}, {cidr: "10.0.0.0/8"}]
    deny: [{host: "*.example.net"}, {host: "x.example.org"}, {cidr: "0.0.0.0/0"}]
  environment:
    allow: [{key: "FROM_SECRET"}, {key: "FROM_ENV"}, {key: "MISSING"}]
resources:
  limits: {timeout: 5s}
`);

describe('effectivePolicy', () => {
  it('without a base starts from deny-all and adds grants', () => {
    const p = effectivePolicy(undefined, [
      parseGrant('storage', { uri: 'fs:///tmp/a', access: ['read'] }),
      parseGrant('storage', { uri: 'fs:///tmp/a/', access: ['write'] }),
      parseGrant('network', { host: 'a.com' }),
      parseGrant('network', { host: 'a.com' }),
      parseGrant('environment', { key: 'K' }),
      parseGrant('memory', { limit: '1Gi' }),
    ]);
    expect(p.storage.allow).toEqual([{ uri: 'fs:///tmp/a', path: '/tmp/a', access: ['read', 'write'] }]);
    expect(p.network.allow).toEqual([{ host: 'a.com' }]);
    expect(p.environment.allow).toEqual([{ key: 'K' }]);
    expect(p.limits).toEqual({ memory: '1Gi', memoryBytes: 1024 ** 3 });
  });

  it('does not modify the base policy', () => {
    const before = JSON.stringify(base);
    effectivePolicy(base, [parseGrant('storage', { uri: 'fs:///data', access: ['write'] }), parseGrant('memory', { limit: '1Mi' })]);
    expect(JSON.stringify(base)).toBe(before);
    expect(effectivePolicy(base, [])).toEqual(base);
  });
});

describe('toSandboxSpec', () => {
  const spec = toSandboxSpec(base, { env: { FROM_ENV: 'e', FROM_SECRET: 'env-loses' }, secrets: { FROM_SECRET: 's' }, defaults, ceiling });

  it('turns storage rules into preopens, applying denies on the same path or a parent', () => {
    expect(spec.preopens).toEqual([
      { path: '/data', read: true, write: false },
      { path: '/data/out', read: false, write: true },
      { path: '/ro', read: true, write: false },
    ]);
  });

  it('resolves env from secrets first, then the server env, omitting absent keys', () => {
    expect(spec.env).toEqual({ FROM_SECRET: 's', FROM_ENV: 'e' });
  });

  it('copies allowed hosts minus denied ones', () => {
    expect(spec.networkAllow).toEqual(['api.example.com', '*.example.org']);
  });

  it('takes limits from the policy, else the defaults', () => {
    expect(spec).toMatchObject({ timeoutMs: 5000, memoryBytes: defaults.memoryBytes, maxOutputBytes: 4096 });
    const granted = toSandboxSpec(effectivePolicy(base, [parseGrant('memory', { limit: '1Gi' })]), { env: {}, secrets: {}, defaults, ceiling });
    expect(granted.memoryBytes).toBe(1024 ** 3);
  });

  it('never goes above the ceiling, whatever the policy or a grant asks for, and says which limits it cut', () => {
    const greedy = parsePolicy('version: "1.0"\npermissions:\n  resources:\n    limits:\n      memory: 64Gi\n      timeout: 2h\n');
    const spec = toSandboxSpec(greedy, { env: {}, secrets: {}, defaults, ceiling });
    expect(spec).toMatchObject({ timeoutMs: ceiling.timeoutMs, memoryBytes: ceiling.memoryBytes });
    expect(limitsAboveCeiling(greedy, ceiling)).toEqual([
      'memory limit 64Gi is above max_memory_limit (4294967296 bytes)',
      'call timeout 7200000 ms is above max_call_timeout_ms (600000 ms)',
    ]);
    const granted = effectivePolicy(emptyPolicy(), [parseGrant('memory', { limit: '8Gi' })]);
    expect(toSandboxSpec(granted, { env: {}, secrets: {}, defaults, ceiling }).memoryBytes).toBe(ceiling.memoryBytes);
    expect(limitsAboveCeiling(base, ceiling)).toEqual([]);
  });

  it.each([
    ['flat MiB (Wassette)', 'permissions:\n  resources:\n    memory: 65536\n    cpu: 400\n', 'memory limit 65536Mi'],
    ['flat quantity, top level', 'resources:\n  memory: 64Gi\n', 'memory limit 64Gi'],
    ['nested, top level', 'resources:\n  limits:\n    memory: 68719476736\n    cpu: "64"\n', 'memory limit 68719476736'],
    ['too large for a double', `resources:\n  limits:\n    memory: "${'9'.repeat(400)}"\n`, `memory limit ${'9'.repeat(400)}`],
  ])('every spelling of a memory limit (%s) is capped and listed as asked', (_, body, line) => {
    const p = parsePolicy(`version: "1.0"\n${body}`);
    expect(toSandboxSpec(p, { env: {}, secrets: {}, defaults, ceiling }).memoryBytes).toBe(ceiling.memoryBytes);
    expect(limitsAboveCeiling(p, ceiling)).toHaveLength(1);
    expect(requestedPermissions(p)).toEqual([line]);
  });

  it('deny-all policy gives a deny-all spec', () => {
    expect(toSandboxSpec(emptyPolicy(), { env: { HOME: '/root' }, secrets: {}, defaults, ceiling })).toEqual({
      preopens: [],
      env: {},
      networkAllow: [],
      ...defaults,
    });
  });
});

describe('deny rules the spec cannot express', () => {
  it('are reported', () => {
    expect(unenforcedRules(base).map((d) => [d.capability, d.list, d.reason])).toEqual([
      ['storage', 'deny', expect.stringMatching(/\/data\/out\/secret lies inside the allowed directory \/data\/out/)],
      ['network', 'allow', expect.stringMatching(/CIDR range 10\.0\.0\.0\/8 is not supported/)],
      ['network', 'deny', expect.stringMatching(/x\.example\.org is inside the allowed pattern \*\.example\.org/)],
      ['network', 'deny', expect.stringMatching(/CIDR range 0\.0\.0\.0\/0 is not enforced/)],
    ]);
  });

  it.each([
    ['*', 'a.com', true],
    ['a.com', 'a.com', true],
    ['*.a.com', 'b.a.com', true],
    ['*.a.com', '*.b.a.com', true],
    ['*.a.com', 'a.com', false],
    ['b.a.com', '*.a.com', false],
  ])('hostPatternCovers(%s, %s) = %s', (deny, host, expected) => {
    expect(hostPatternCovers(deny, host)).toBe(expected);
  });
});
