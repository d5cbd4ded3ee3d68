import { describe, expect, it } from 'vitest';
import { isWassetteError } from '../../src/errors.js';
import { parseTrustPolicy, requirementFor, satisfies, scopeKey } from '../../src/oci/trust-policy.js';

describe('scopeKey', () => {
  it.each([
    ['oci://127.0.0.1:5000/team/tool:1.0', '127.0.0.1:5000/team/tool'],
    [`127.0.0.1:5000/team/tool@sha256:${'a'.repeat(64)}`, '127.0.0.1:5000/team/tool'],
    [`127.0.0.1:5000/team/tool:1.0@sha256:${'a'.repeat(64)}`, '127.0.0.1:5000/team/tool'],
    ['Registry.Example.com/Team/tool', 'registry.example.com/Team/tool'],
    ['localhost:5000/tool', 'localhost:5000/tool'],
  ])('%s -> %s', (ref, key) => {
    expect(scopeKey(ref)).toBe(key);
  });
});

describe('requirementFor', () => {
  const policy = parseTrustPolicy([
    { scope: '*', keys: ['GLOBAL'] },
    { scope: '127.0.0.1:5000', require: 'any' },
    { scope: 'oci://127.0.0.1:5000/team/', require: 'cosign', keys: ['TEAM'] },
    { scope: '127.0.0.1:5000/team/notary', require: 'notation', certificates: ['CA'] },
    { scope: '127.0.0.1:5000/open', require: 'none' },
  ]);

  it.each([
    ['oci://127.0.0.1:5000/team/tool:1.0', 'cosign', ['TEAM'], [], '127.0.0.1:5000/team'],
    ['127.0.0.1:5000/team/notary:2', 'notation', ['TEAM'], ['CA'], '127.0.0.1:5000/team/notary'],
    ['127.0.0.1:5000/team/notary/sub:2', 'notation', ['TEAM'], ['CA'], '127.0.0.1:5000/team/notary'],
    // Whole segments only: "teamx" is not under "team/".
    ['127.0.0.1:5000/teamx/tool:1', 'any', ['GLOBAL'], [], '127.0.0.1:5000'],
    ['127.0.0.1:5000/open/tool', 'none', ['GLOBAL'], [], '127.0.0.1:5000/open'],
    ['127.0.0.1:5001/team/tool', 'none', ['GLOBAL'], [], '*'],
  ])('%s', (ref, require, keys, certificates, scope) => {
    expect(requirementFor(ref, policy)).toEqual({ require, keys, certificates, scope });
  });

  it.each([
    [false, 'none'],
    [true, 'any'],
  ])('with requireSignatures=%s and no entries the default is %s', (flag, expected) => {
    expect(requirementFor('r.example/a', parseTrustPolicy([], flag))).toEqual({ require: expected, keys: [], certificates: [], scope: null });
  });

  it('lets an explicit entry override the global switch', () => {
    const p = parseTrustPolicy([{ scope: 'localhost:5000/dev', require: 'none' }], true);
    expect(requirementFor('localhost:5000/dev/tool', p).require).toBe('none');
    expect(requirementFor('localhost:5000/prod/tool', p).require).toBe('any');
  });

  it('lets the later of two equal scopes win', () => {
    const p = parseTrustPolicy([
      { scope: 'r.io/a', require: 'cosign' },
      { scope: 'r.io/a/', require: 'notation' },
    ]);
    expect(requirementFor('r.io/a/b', p).require).toBe('notation');
  });
});

describe('parseTrustPolicy', () => {
  it('accepts a single key as a string', () => {
    expect(parseTrustPolicy([{ scope: 'r.io', keys: 'k.pem' }]).entries[0]).toEqual({ scope: 'r.io', keys: ['k.pem'] });
  });

  it.each([
    ['not a mapping', ['r.io'], /trust\[0\]: must be a mapping/],
    ['no scope', [{ require: 'any' }], /scope must be/],
    ['bad require', [{ scope: 'r.io', require: 'always' }], /require must be one of none, cosign, notation, any/],
    ['bad keys', [{ scope: 'r.io', keys: [1] }], /keys must be a list/],
    ['empty certificate', [{ scope: 'r.io', certificates: [''] }], /certificates must be a list/],
    ['unknown field', [{ scope: 'r.io', key: 'x' }], /unknown field\(s\) key/],
    ['second entry bad', [{ scope: 'r.io' }, { scope: '' }], /trust\[1\]/],
  ])('rejects %s', (_name, raw, message) => {
    try {
      parseTrustPolicy(raw);
      expect.unreachable();
    } catch (e) {
      expect(isWassetteError(e, 'invalid-config')).toBe(true);
      expect((e as Error).message).toMatch(message);
    }
  });
});

describe('satisfies', () => {
  it.each([
    ['none', 'cosign', true],
    ['any', 'notation', true],
    ['cosign', 'cosign', true],
    ['cosign', 'cosign-bundle', true],
    ['cosign', 'notation', false],
    ['notation', 'notation', true],
    ['notation', 'cosign-bundle', false],
  ] as const)('%s by %s: %s', (require, method, expected) => {
    expect(satisfies(require, method)).toBe(expected);
  });
});
