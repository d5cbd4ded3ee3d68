import { describe, expect, it } from 'vitest';
import { effectivePolicy, hostPatternCovers, toSandboxSpec, unenforcedRules } from '../../src/sandbox/effective-policy.js';
import { parseGrant } from '../../src/sandbox/grants.js';
import { emptyPolicy, parsePolicy } from '../../src/sandbox/policy.js';

const defaults = { timeoutMs: 30_000, memoryBytes: 512 * 1024 ** 2, maxOutputBytes: 4096 };
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
  const spec = toSandboxSpec(base, { env: { FROM_ENV: 'e', FROM_SECRET: 'env-loses' }, secrets: { FROM_SECRET: 's' }, defaults });

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
    const granted = toSandboxSpec(effectivePolicy(base, [parseGrant('memory', { limit: '1Gi' })]), { env: {}, secrets: {}, defaults });
    expect(granted.memoryBytes).toBe(1024 ** 3);
  });

  it('deny-all policy gives a deny-all spec', () => {
    expect(toSandboxSpec(emptyPolicy(), { env: { HOME: '/root' }, secrets: {}, defaults })).toEqual({
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
