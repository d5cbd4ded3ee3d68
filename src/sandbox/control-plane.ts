// The server's own listening endpoints are never a target for a component: pure matching of a
// destination against them (every address of this machine on a control-plane port, and the names the server answers to).
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { normalizeHost } from './host-match.js';
import type { ControlPlaneEndpoint } from './spec.js';

export const CONTROL_PLANE_REASON = "it is the server's own control plane, which components may never reach whatever they are granted";

/** Loopback, unspecified and IPv4-compatible ranges; IPv4-mapped IPv6 (`::ffff:127.0.0.1`) matches the IPv4 rules. */
function alwaysLocal(): BlockList {
  const b = new BlockList();
  b.addSubnet('127.0.0.0', 8, 'ipv4');
  b.addSubnet('0.0.0.0', 8, 'ipv4');
  b.addSubnet('::', 96, 'ipv6'); // ::, ::1 and ::a.b.c.d
  return b;
}
const LOCAL = alwaysLocal();

function stripScope(ip: string): string {
  const i = ip.indexOf('%');
  return i < 0 ? ip : ip.slice(0, i);
}

/** Is `ip` an address of this machine (loopback, unspecified, or any interface address right now)? */
export function isLocalAddress(ip: string): boolean {
  const a = normalizeHost(stripScope(ip));
  const family = isIP(a);
  if (family === 0) return false;
  if (LOCAL.check(a, family === 4 ? 'ipv4' : 'ipv6')) return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  const v4 = mapped
    ? [parseInt(mapped[1]!, 16) >> 8, parseInt(mapped[1]!, 16) & 255, parseInt(mapped[2]!, 16) >> 8, parseInt(mapped[2]!, 16) & 255].join('.')
    : undefined;
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      const own = normalizeHost(stripScope(i.address));
      if (own === a || own === v4) return true;
    }
  }
  return false;
}

function endpointsOn(cp: readonly ControlPlaneEndpoint[] | undefined, port: number): ControlPlaneEndpoint[] {
  return (cp ?? []).filter((e) => e.port === port);
}

/** Does any control-plane endpoint listen on `port`? Only then is a name worth resolving. */
export function isControlPlanePort(cp: readonly ControlPlaneEndpoint[] | undefined, port: number): boolean {
  return endpointsOn(cp, port).length > 0;
}

/**
 * Decides without DNS: is host:port the control plane by its spelling (a name the server answers to,
 * or a literal address of this machine)? A name that is neither needs `resolvesToControlPlane`.
 */
export function isControlPlaneTarget(cp: readonly ControlPlaneEndpoint[] | undefined, host: string, port: number): boolean {
  const on = endpointsOn(cp, port);
  if (on.length === 0) return false;
  const h = normalizeHost(stripScope(host));
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (on.some((e) => e.names.some((n) => normalizeHost(n) === h))) return true;
  return isIP(h) !== 0 && isLocalAddress(h);
}

/** Resolved addresses of a name headed for a control-plane port: any one of them local means refused. */
export function resolvesToControlPlane(addresses: readonly string[]): boolean {
  return addresses.some((a) => isLocalAddress(a));
}
