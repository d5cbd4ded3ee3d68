import { describe, expect, it } from 'vitest';
import { describeGrant, grantKey, mergeGrant, normalizeStorageUri, parseGrant, revokeKey, type Grant } from '../../src/sandbox/grants.js';

describe('parseGrant accepts and normalizes', () => {
  it.each<[string, unknown, Grant]>([
    ['storage', { uri: 'fs:///tmp/x/', access: ['write', 'read'] }, { kind: 'storage', uri: 'fs:///tmp/x', access: ['read', 'write'] }],
    ['storage', { uri: 'fs:///tmp/x/**', access: 'read' }, { kind: 'storage', uri: 'fs:///tmp/x', access: ['read'] }],
    ['storage', { uri: 'fs:///a/./b/../c', access: ['read'] }, { kind: 'storage', uri: 'fs:///a/c', access: ['read'] }],
    ['storage', { uri: 'fs:///../../etc', access: ['read'] }, { kind: 'storage', uri: 'fs:///etc', access: ['read'] }],
    ['network', { host: 'API.Example.com' }, { kind: 'network', host: 'api.example.com' }],
    ['network', { host: '*.example.org' }, { kind: 'network', host: '*.example.org' }],
    ['network', { host: 'localhost:8443' }, { kind: 'network', host: 'localhost:8443' }],
    ['network', { host: '10.0.0.1' }, { kind: 'network', host: '10.0.0.1' }],
    ['network', { host: '[::1]:80' }, { kind: 'network', host: '[::1]:80' }],
    ['environment', { key: 'API_KEY' }, { kind: 'environment', key: 'API_KEY' }],
    ['memory', { limit: '256Mi' }, { kind: 'memory', limit: '256Mi' }],
  ])('%s %j', (kind, details, expected) => {
    expect(parseGrant(kind, details)).toEqual(expected);
  });
});

describe('parseGrant rejects with a clear invalid-argument error', () => {
  it.each<[string, unknown, RegExp]>([
    ['storage', { uri: '/tmp/x', access: ['read'] }, /must start with fs:\/\//],
    ['storage', { uri: 'fs://tmp/x', access: ['read'] }, /absolute path: fs:\/\/\/tmp\/x/],
    ['storage', { uri: 'fs:///tmp/*/x', access: ['read'] }, /trailing \/\*\*/],
    ['storage', { uri: 'fs:///tmp', access: ['read', 'exec'] }, /access\[1\]: 'exec' is not one of read, write/],
    ['storage', { uri: 'fs:///tmp', access: [] }, /non-empty list/],
    // A name with a line break or a bidi control would forge lines of the approval prompt that lists it.
    ['storage', { uri: 'fs:///tmp/a\nsigned (cosign) by trusted', access: ['read'] }, /control character/],
    ['storage', { uri: 'fs:///tmp/\u202eatad', access: ['read'] }, /control character/],
    ['environment', { key: 'API_KEY\u001b[2J' }, /control character/],
    ['environment', { key: 'KEY\u202e' }, /control character/],
    ['storage', 'fs:///tmp', /details must be an object/],
    ['network', { host: 'https://a.com' }, /no scheme or path/],
    ['network', { host: 'a.*.com' }, /leading "\*\."/],
    ['network', { host: 'a_b.com' }, /not a valid host/],
    ['network', { host: 'a.com:70000' }, /port must be/],
    ['network', {}, /non-empty string/],
    ['environment', { key: 'A=B' }, /must not contain/],
    ['environment', { key: '*' }, /wildcards/],
    ['memory', { limit: 'big' }, /not a memory quantity/],
    ['sockets', {}, /unknown grant kind "sockets"/],
  ])('%s %j', (kind, details, message) => {
    expect(() => parseGrant(kind, details)).toThrow(message);
    try {
      parseGrant(kind, details);
    } catch (e) {
      expect((e as { code: string }).code).toBe('invalid-argument');
    }
  });
});

describe('keys, merge and description', () => {
  it('revokeKey matches grantKey for the same target', () => {
    const g = parseGrant('storage', { uri: 'fs:///tmp/x/', access: ['read'] });
    expect(revokeKey('storage', { uri: 'fs:///tmp/x' })).toBe(grantKey(g));
    expect(revokeKey('network', { host: 'A.com' })).toBe(grantKey(parseGrant('network', { host: 'a.com' })));
    expect(revokeKey('memory', {})).toBe('memory');
  });

  it('merging storage grants unions access; other kinds replace', () => {
    const r = parseGrant('storage', { uri: 'fs:///d', access: ['read'] });
    const w = parseGrant('storage', { uri: 'fs:///d', access: ['write'] });
    expect(mergeGrant(r, w)).toEqual({ kind: 'storage', uri: 'fs:///d', access: ['read', 'write'] });
    expect(mergeGrant({ kind: 'memory', limit: '1Gi' }, { kind: 'memory', limit: '2Gi' })).toEqual({ kind: 'memory', limit: '2Gi' });
  });

  it('describes grants for prompts', () => {
    expect(describeGrant(parseGrant('storage', { uri: 'fs:///d', access: ['read', 'write'] }))).toBe('read+write access to /d');
    expect(describeGrant({ kind: 'network', host: 'a.com' })).toBe('network access to a.com');
  });

  it('root directory stays "/"', () => {
    expect(normalizeStorageUri('fs:///**')).toEqual({ uri: 'fs:///', path: '/' });
  });
});
