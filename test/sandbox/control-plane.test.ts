// The server's own endpoints are refused to HTTP and TCP whatever is granted, in every spelling; other ports stay reachable.
import { describe, expect, it } from 'vitest';
import { checkHttpRequest } from '../../src/sandbox/http-guard.js';
import { isControlPlaneTarget, isLocalAddress } from '../../src/sandbox/control-plane.js';
import { resolveHostSync } from '../../src/sandbox/resolve-sync.js';

const CP = [{ port: 9001, names: ['127.0.0.1', 'localhost', '::1', 'mcp.internal'] }];
const ALL = ['127.0.0.1', 'localhost', '0.0.0.0', '::1', '::ffff:127.0.0.1', '127.0.0.2', '0x7f000001', '2130706433', '127.1', 'mcp.internal', 'vm'];
const cp = { endpoints: CP, resolve: resolveHostSync };

describe('control plane', () => {
  it.each([
    '127.0.0.1:9001',
    'localhost:9001',
    'LOCALHOST.:9001',
    '0.0.0.0:9001',
    '[::1]:9001',
    '[::ffff:127.0.0.1]:9001',
    '[::ffff:7f00:1]:9001',
    '127.0.0.2:9001',
    '0x7f000001:9001',
    '2130706433:9001',
    '127.1:9001',
    'mcp.internal:9001',
    'a.localhost:9001',
  ])('refuses %s over HTTP whatever is granted', (authority) => {
    const v = checkHttpRequest(ALL, 'http', authority, cp);
    expect(v.ok).toBe(false);
    expect(checkHttpRequest(ALL, 'https', authority, cp).ok).toBe(false);
  });

  it('refuses the machine hostname when it resolves to this machine', () => {
    const r = resolveHostSync('vm');
    if ('addresses' in r && r.addresses.some(isLocalAddress)) expect(checkHttpRequest(ALL, 'http', 'vm:9001', cp).ok).toBe(false);
  });

  it('lets granted loopback hosts reach other ports', () => {
    expect(checkHttpRequest(ALL, 'http', '127.0.0.1:9002', cp).ok).toBe(true);
    expect(checkHttpRequest(ALL, 'http', 'localhost:8080', cp).ok).toBe(true);
  });

  it('matches TCP addresses in every form on the control-plane port only', () => {
    for (const ip of ['127.0.0.1', '127.9.9.9', '0.0.0.0', '::1', '::', '::ffff:7f00:1']) expect(isControlPlaneTarget(CP, ip, 9001)).toBe(true);
    expect(isControlPlaneTarget(CP, '127.0.0.1', 9002)).toBe(false);
    expect(isControlPlaneTarget(CP, '203.0.113.9', 9001)).toBe(false);
  });
});
