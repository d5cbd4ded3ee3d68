import { describe, expect, it } from 'vitest';
import { describeRule, matchTrust, parsePlace, ruleFromLoad, validateRule, type TrustRule, type TrustSubject } from '../../src/approvals/trust-rules.js';

const D = `sha256:${'a'.repeat(64)}`;
const rule = (over: Partial<TrustRule> = {}): TrustRule => ({
  id: 'tr-1',
  registry: 'registry.example:5000',
  repositoryPrefix: 'acme',
  signer: 'sha256:key1',
  maxPermissions: ['network api.example.com'],
  createdAt: 1,
  createdBy: 'user (cli)',
  origin: 'user',
  ...over,
});
const subject = (over: Partial<TrustSubject> = {}): TrustSubject => ({
  source: `oci://registry.example:5000/acme/weather@${D}`,
  signature: { status: 'verified', signer: 'sha256:key1' },
  permissions: ['network api.example.com'],
  ...over,
});

describe('matchTrust', () => {
  it('trusts a load from the place, signed by the pinned signer, within the permission ceiling', () => {
    const v = matchTrust([rule()], subject());
    expect(v).toEqual({ trusted: true, rule: rule() });
  });

  it('covers the prefix at a path boundary only, on the same registry', () => {
    expect(matchTrust([rule()], subject({ source: `oci://registry.example:5000/acme-evil/x@${D}` })).trusted).toBe(false);
    expect(matchTrust([rule()], subject({ source: `oci://registry.example:5001/acme/x@${D}` })).trusted).toBe(false);
    expect(matchTrust([rule()], subject({ source: `oci://other.example/acme/x@${D}` })).trusted).toBe(false);
    expect(matchTrust([rule()], subject({ source: `oci://registry.example:5000/acme@${D}` })).trusted).toBe(true);
    expect(matchTrust([rule()], subject({ source: `oci://REGISTRY.example:5000/acme/deep/x:1.0` })).trusted).toBe(true);
  });

  it('refuses another signer, an unsigned artifact under a signed rule, and any failed signature', () => {
    const other = matchTrust([rule()], subject({ signature: { status: 'verified', signer: 'sha256:key2' } }));
    expect(other).toEqual({ trusted: false, reasons: [expect.stringContaining('signed by sha256:key2')] });
    expect(matchTrust([rule()], subject({ signature: { status: 'unsigned' } })).trusted).toBe(false);
    expect(matchTrust([rule({ signer: null })], subject({ signature: { status: 'failed' } })).trusted).toBe(false);
    expect(matchTrust([rule({ signer: null })], subject({ signature: { status: 'unsigned' } })).trusted).toBe(true);
  });

  it('asks again when a load wants more than the ceiling; null ceiling means any', () => {
    const more = subject({ permissions: ['network api.example.com', 'storage fs:///home (read)'] });
    const v = matchTrust([rule()], more);
    expect(v.trusted).toBe(false);
    expect(v.trusted === false && v.reasons[0]).toContain('storage fs:///home (read)');
    expect(matchTrust([rule({ maxPermissions: null })], more).trusted).toBe(true);
    expect(matchTrust([rule({ maxPermissions: [] })], subject({ permissions: [] })).trusted).toBe(true);
  });

  it('counts raised limits: a later load may ask for as much memory and time as approved, not more', () => {
    const r = rule({ maxPermissions: ['network api.example.com', 'memory limit 1Gi', 'call timeout 2m'] });
    const asks = (...extra: string[]) => matchTrust([r], subject({ permissions: ['network api.example.com', ...extra] }));
    expect(asks().trusted).toBe(true);
    expect(asks('memory limit 1024Mi', 'call timeout 90s').trusted).toBe(true);
    const greedy = asks('memory limit 64Gi', 'call timeout 2h');
    expect(greedy).toEqual({ trusted: false, reasons: [expect.stringContaining('memory limit 64Gi; call timeout 2h')] });
    // A rule approved at the default limits covers no raised limit at all.
    expect(matchTrust([rule()], subject({ permissions: ['network api.example.com', 'memory limit 1Mi'] })).trusted).toBe(false);
  });

  it('never trusts https or file sources', () => {
    expect(matchTrust([rule()], subject({ source: 'https://registry.example:5000/acme/x.wasm' })).trusted).toBe(false);
    expect(matchTrust([rule()], subject({ source: '/tmp/acme/x.wasm' })).trusted).toBe(false);
  });
});

describe('rules from loads and from text', () => {
  it('pins the repository, the signer and the approved permissions', () => {
    expect(ruleFromLoad(subject(), 'user (ui)')).toEqual({
      registry: 'registry.example:5000',
      repositoryPrefix: 'acme/weather',
      signer: 'sha256:key1',
      maxPermissions: ['network api.example.com'],
      createdBy: 'user (ui)',
      origin: 'user',
    });
    expect(ruleFromLoad(subject({ signature: { status: 'unsigned' } }), 'x')?.signer).toBeNull();
    expect(ruleFromLoad(subject({ signature: { status: 'failed' } }), 'x')).toBeUndefined();
    expect(ruleFromLoad(subject({ source: '/tmp/x.wasm' }), 'x')).toBeUndefined();
  });

  it('refuses a rule for a whole registry or a malformed place', () => {
    const base = { signer: null, maxPermissions: [], createdBy: 'config', origin: 'config' as const };
    expect(() => validateRule({ ...base, registry: 'r.example', repositoryPrefix: '/' })).toThrow(/whole registry is never trusted/);
    expect(() => validateRule({ ...base, registry: 'bad host', repositoryPrefix: 'x' })).toThrow(/registry/);
    expect(validateRule({ ...base, registry: 'R.example:5000', repositoryPrefix: '/acme/' })).toMatchObject({
      registry: 'r.example:5000',
      repositoryPrefix: 'acme',
    });
    expect(parsePlace('oci://r.example:5000/acme/tools')).toEqual({ registry: 'r.example:5000', repositoryPrefix: 'acme/tools' });
    // A version in the place would read narrower than the rule is.
    expect(() => parsePlace('oci://r.example:5000/acme/tools:1.0')).toThrow(/names a version/);
    expect(() => parsePlace(`oci://r.example/acme/tools@sha256:${'a'.repeat(64)}`)).toThrow(/names a version/);
    expect(() => parsePlace('acme')).toThrow(/oci:\/\/host/);
    // A repository written without its registry (`acme/tools`, Docker Hub style) must not become registry "acme".
    expect(() => parsePlace('acme/tools')).toThrow(/never a bare name: write oci:\/\/<registry host>\/acme\/tools/);
    expect(() => parsePlace('r.example:5000/acme')).toThrow(/oci:\/\/<registry host>/);
  });

  it('refuses prefixes the OCI grammar refuses, so a rule cannot cover a path a load could never have', () => {
    const base = { signer: null, maxPermissions: [], createdBy: 'cli', origin: 'user' as const, registry: 'r.example' };
    for (const prefix of ['acme/..', 'acme/../evil', 'ACME', 'acme%2fx', 'acme//x', 'acme x']) {
      expect(() => validateRule({ ...base, repositoryPrefix: prefix }), prefix).toThrow(/not a registry and repository/);
    }
    expect(() => validateRule({ ...base, registry: 'user@r.example', repositoryPrefix: 'acme' })).toThrow(/not a registry and repository/);
  });

  it('does not trust a source that is not a well-formed OCI reference, whatever it starts with', () => {
    for (const source of [
      `oci://registry.example:5000/acme/../evil@${D}`,
      'oci://registry.example:5000/acme/x:1#frag',
      'oci://u@registry.example:5000/acme/x:1',
    ]) {
      expect(matchTrust([rule({ signer: null, maxPermissions: null })], subject({ source })), source).toEqual({
        trusted: false,
        reasons: ['only OCI sources can be trusted by rule'],
      });
    }
  });

  it('describes a rule in one line', () => {
    expect(describeRule(rule())).toBe('oci://registry.example:5000/acme/**, signed by sha256:key1, at most: network api.example.com');
  });
});
