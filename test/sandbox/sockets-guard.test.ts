import { describe, expect, it } from 'vitest';
import { formatIp, guardSockets, type IpSocketAddress } from '../../src/sandbox/sockets-guard.js';
import type { Denial } from '../../src/sandbox/spec.js';

const v4 = (a: number[], port: number): IpSocketAddress => ({ tag: 'ipv4', val: { port, address: a } });

function fakeBase(calls: string[]) {
  const socket = {
    startConnect: () => calls.push('connect'),
    startBind: () => calls.push('bind'),
    finishBind: () => calls.push('finishBind'),
  };
  return {
    'wasi:sockets/tcp-create-socket': { createTcpSocket: () => socket },
    'wasi:sockets/ip-name-lookup': { resolveAddresses: () => ({ resolveNextAddress: () => undefined, subscribe: () => 'p' }) },
  };
}

describe('formatIp', () => {
  it.each([
    [v4([10, 0, 0, 1], 1), '10.0.0.1'],
    [{ tag: 'ipv6', val: { port: 1, address: [0, 0, 0, 0, 0, 0, 0, 1] } } as IpSocketAddress, '::1'],
    [{ tag: 'ipv6', val: { port: 1, address: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10] } } as IpSocketAddress, '2001:db8::10'],
  ])('%j -> %s', (addr, text) => {
    expect(formatIp(addr)).toBe(text);
  });
});

describe('guardSockets', () => {
  it('checks bind as strictly as connect and passes other methods through', () => {
    const calls: string[] = [];
    const denials: Denial[] = [];
    const s = guardSockets(fakeBase(calls), ['10.0.0.1:80'], (d) => denials.push(d));
    const create = (s['wasi:sockets/tcp-create-socket'] as { createTcpSocket(f: string): Record<string, (...a: unknown[]) => unknown> }).createTcpSocket;
    const sock = create('ipv4');
    expect(() => sock.startBind!({}, v4([0, 0, 0, 0], 8080))).toThrow('access-denied');
    sock.startConnect!({}, v4([10, 0, 0, 1], 80));
    sock.finishBind!();
    expect(calls).toEqual(['connect', 'finishBind']);
    expect(denials).toEqual([expect.objectContaining({ capability: 'sockets', target: '0.0.0.0:8080' })]);
  });

  it('hints the refused address and port, never every port of the address', () => {
    const calls: string[] = [];
    const denials: Denial[] = [];
    const s = guardSockets(fakeBase(calls), ['10.9.9.9:1'], (d) => denials.push(d));
    const create = (s['wasi:sockets/tcp-create-socket'] as { createTcpSocket(f: string): Record<string, (...a: unknown[]) => unknown> }).createTcpSocket;
    expect(() => create('ipv4').startConnect!({}, v4([127, 0, 0, 1], 5432))).toThrow('access-denied');
    expect(() => create('ipv6').startConnect!({}, { tag: 'ipv6', val: { port: 6379, address: [0, 0, 0, 0, 0, 0, 0, 1] } })).toThrow('access-denied');
    expect(denials.map((d) => d.allow)).toEqual([
      { tool: 'grant_network_permission', details: { host: '127.0.0.1:5432' } },
      { tool: 'grant_network_permission', details: { host: '[::1]:6379' } },
    ]);
    // Made as given, the hinted grants allow exactly those connections.
    const granted = guardSockets(fakeBase(calls), ['127.0.0.1:5432', '[::1]:6379'], (d) => denials.push(d));
    const create2 = (granted['wasi:sockets/tcp-create-socket'] as { createTcpSocket(f: string): Record<string, (...a: unknown[]) => unknown> }).createTcpSocket;
    create2('ipv4').startConnect!({}, v4([127, 0, 0, 1], 5432));
    create2('ipv6').startConnect!({}, { tag: 'ipv6', val: { port: 6379, address: [0, 0, 0, 0, 0, 0, 0, 1] } });
    expect(() => create2('ipv4').startConnect!({}, v4([127, 0, 0, 1], 22))).toThrow('access-denied');
  });

  it('reports name lookups of ungranted hosts with the normalized name', () => {
    const denials: Denial[] = [];
    const s = guardSockets(fakeBase([]), ['*.example.com'], (d) => denials.push(d));
    const lookup = (s['wasi:sockets/ip-name-lookup'] as { resolveAddresses(n: unknown, name: string): unknown }).resolveAddresses;
    expect(lookup({}, 'API.Example.com.')).toBeDefined();
    expect(() => lookup({}, 'Evil.com.')).toThrow('access-denied');
    expect(denials.map((d) => d.target)).toEqual(['evil.com']);
  });
});
