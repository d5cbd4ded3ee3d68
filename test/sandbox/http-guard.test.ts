import { describe, expect, it } from 'vitest';
import { checkHttpRequest, guardOutgoingHandler } from '../../src/sandbox/http-guard.js';
import type { Denial } from '../../src/sandbox/spec.js';

describe('checkHttpRequest', () => {
  it.each([
    [['example.com'], 'https', 'example.com', true],
    [['example.com'], 'http', 'example.com:8080', true],
    [['example.com:443'], 'https', 'example.com', true],
    [['example.com:443'], 'http', 'example.com', false],
    [['example.com'], 'https', 'evil.com', false],
    [['example.com'], 'ftp', 'example.com', false],
    [['example.com'], 'https', undefined, false],
    [['example.com'], 'https', '', false],
    [['localhost'], 'http', '127.0.0.1:80', false],
  ])('%j %s://%s -> %s', (allow, scheme, authority, ok) => {
    expect(checkHttpRequest(allow, scheme, authority).ok).toBe(ok);
  });

  it('explains a missing host with the grant to make', () => {
    expect(checkHttpRequest([], 'https', 'api.example.com')).toEqual({
      ok: false,
      target: 'api.example.com:443',
      reason: "host api.example.com is not in the network allow list; grant_network_permission {host: 'api.example.com:443'} to allow",
      allow: { tool: 'grant_network_permission', details: { host: 'api.example.com:443' } },
    });
  });

  // The hint is the exact grant call: granting it allows the refused request, and no other port of that host (a
  // host-only grant would also open every other service there, e.g. a database on localhost).
  it.each([
    ['https', 'api.example.com'],
    ['http', 'localhost:5432'],
    ['http', '127.0.0.1:8080'],
    ['https', '[::1]:8443'],
    ['http', 'example.com:22'],
  ])('the hint for a refused %s://%s allows it and no other port', (scheme, authority) => {
    const v = checkHttpRequest([], scheme, authority);
    if (v.ok || !v.allow) throw new Error('expected a refusal with a hint');
    const hinted = (v.allow.details as { host: string }).host;
    expect(checkHttpRequest([hinted], scheme, authority).ok).toBe(true);
    const port = Number(v.target.slice(v.target.lastIndexOf(':') + 1));
    const host = v.target.slice(0, v.target.lastIndexOf(':'));
    const other = `${host.includes(':') ? `[${host}]` : host}:${port === 9 ? 10 : 9}`;
    expect(checkHttpRequest([host.includes(':') ? `[${host}]` : host], scheme, other).ok).toBe(true);
    expect(checkHttpRequest([hinted], scheme, other).ok).toBe(false);
    expect(v.reason).toContain(`grant_network_permission {host: '${hinted}'}`);
  });

  it('names the port when only the port is missing', () => {
    const v = checkHttpRequest(['example.com:443'], 'http', 'example.com');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toContain("grant_network_permission {host: 'example.com:80'}");
  });
});

describe('guardOutgoingHandler', () => {
  const request = (scheme: { tag: string } | undefined, authority: string | undefined) => ({ scheme: () => scheme, authority: () => authority });

  it('refuses with HTTP-request-denied and reports a network Denial', () => {
    const denials: Denial[] = [];
    let called = false;
    const h = guardOutgoingHandler({ handle: () => (called = true) }, ['example.com'], (d) => denials.push(d));
    expect(() => h.handle(request({ tag: 'HTTPS' }, 'evil.com'), undefined)).toThrow(expect.objectContaining({ tag: 'HTTP-request-denied' }));
    expect(called).toBe(false);
    expect(denials).toEqual([expect.objectContaining({ capability: 'network', target: 'evil.com:443' })]);
  });

  it('passes granted requests to the shim, defaulting the scheme to https like the shim does', () => {
    const h = guardOutgoingHandler({ handle: () => 'future' }, ['example.com:443'], () => {
      throw new Error('no denial expected');
    });
    expect(h.handle(request(undefined, 'example.com'), undefined)).toBe('future');
  });
});
