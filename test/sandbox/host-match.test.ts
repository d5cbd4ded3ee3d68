import { describe, expect, it } from 'vitest';
import { isHostAllowed, normalizeHost, parseAuthority, parseHostPattern, parseHostRule, splitHostPort } from '../../src/sandbox/host-match.js';

describe('isHostAllowed', () => {
  const cases: [string[], string, number | undefined, boolean][] = [
    [['example.com'], 'example.com', 443, true],
    [['example.com'], 'EXAMPLE.com.', 80, true],
    [['Example.COM.'], 'example.com', 80, true],
    [['example.com'], 'api.example.com', 443, false],
    [['example.com'], 'example.com.evil.net', 443, false],
    [['example.com'], 'notexample.com', 443, false],
    [['*.example.com'], 'api.example.com', 443, true],
    [['*.example.com'], 'a.b.example.com', 443, true],
    [['*.example.com'], 'example.com', 443, false],
    [['*.example.com'], 'evilexample.com', 443, false],
    [['*.example.com:8443'], 'api.example.com', 8443, true],
    [['*.example.com:8443'], 'api.example.com', 443, false],
    [['example.com:8443'], 'example.com', 8443, true],
    [['example.com:8443'], 'example.com', 443, false],
    [['example.com:8443'], 'example.com', undefined, true],
    [['10.0.0.1'], '10.0.0.1', 80, true],
    [['10.0.0.1'], '10.0.0.2', 80, false],
    [['10.0.0.1:8080'], '10.0.0.1', 80, false],
    [['example.com'], '93.184.216.34', 80, false],
    [['*.0.0.1'], '127.0.0.1', 80, false],
    [['localhost'], '127.0.0.1', 80, false],
    [['127.0.0.1'], 'localhost', 80, false],
    [['127.0.0.1'], '2130706433', 80, false],
    [['::1'], '0:0:0:0:0:0:0:1', 80, true],
    [['[::1]:8080'], '::1', 8080, true],
    [['[::1]:8080'], '::1', 80, false],
    [['*'], 'example.com', 80, false],
    [['*.com'], 'example.com', 80, true],
    [['ex*ample.com'], 'example.com', 80, false],
    [['https://example.com/path'], 'example.com', 443, false],
    [['example.com/path'], 'example.com', 443, false],
    [['user@example.com'], 'example.com', 443, false],
    [['example.com:99999'], 'example.com', 443, false],
    [[], 'example.com', 443, false],
    [['other.org', 'example.com'], 'example.com', 443, true],
  ];
  it.each(cases)('%j allows %s:%s -> %s', (allow, host, port, expected) => {
    expect(isHostAllowed(allow, host, port)).toBe(expected);
  });
});

describe('parsing', () => {
  it.each([
    ['example.com', { host: 'example.com', port: undefined }],
    ['example.com:80', { host: 'example.com', port: 80 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    ['::1', { host: '::1', port: undefined }],
    ['a:b:c', undefined],
    [':80', undefined],
    ['example.com:0', undefined],
    ['example.com:abc', undefined],
    ['', undefined],
    ['https://example.com', undefined],
    ['example.com/x', undefined],
  ])('splitHostPort(%s)', (text, expected) => {
    expect(splitHostPort(text)).toEqual(expected);
  });

  it('normalizes host spelling', () => {
    expect(normalizeHost(' Example.COM.. ')).toBe('example.com');
    expect(normalizeHost('[0:0::1]')).toBe('::1');
  });

  it('parses wildcard rules and rejects bare or embedded stars', () => {
    expect(parseHostRule('*.Example.com')).toEqual({ host: 'example.com', wildcard: true, port: undefined });
    expect(parseHostRule('*')).toBeUndefined();
    expect(parseHostRule('*.10.0.0.1')).toBeUndefined();
    expect(parseHostRule('a.*.com')).toBeUndefined();
  });

  it('gives an authority the scheme default port', () => {
    expect(parseAuthority('example.com', 'https')).toEqual({ host: 'example.com', port: 443 });
    expect(parseAuthority('example.com', 'http')).toEqual({ host: 'example.com', port: 80 });
    expect(parseAuthority('example.com:8080', 'http')).toEqual({ host: 'example.com', port: 8080 });
    expect(parseAuthority('a@example.com', 'http')).toBeUndefined();
  });
});

describe('parseHostPattern (grants and policy.yaml)', () => {
  it('accepts a lone * only where asked (deny lists)', () => {
    expect(parseHostPattern('*', true)).toBe('*');
    expect(() => parseHostPattern('*')).toThrow(/would allow every host/);
  });

  it.each([
    ['https://example.com', /no scheme or path/],
    ['example.com/x', /no scheme or path/],
    ['*.10.0.0.1', /would match nothing/],
  ])('refuses %s instead of storing what matches nothing', (host, message) => {
    expect(() => parseHostPattern(host)).toThrow(message);
  });

  it.each(['API.example.com', '*.example.org', 'localhost:8443', '[::1]:80'])('stores %s as parseHostRule reads it', (host) => {
    expect(parseHostRule(parseHostPattern(host))).toBeDefined();
  });
});
