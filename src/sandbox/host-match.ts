// Pure matching of a network destination (host, port) against a component's network allow list.
import { isIP } from 'node:net';

/** One parsed allow-list entry. `port` undefined means any port. */
export interface HostRule {
  /** Normalized host: lower case, no trailing dot, IPv6 without brackets. */
  host: string;
  /** True for `*.example.com`: matches subdomains of `host`, never `host` itself. */
  wildcard: boolean;
  port: number | undefined;
}

/** Lower case, trailing dot dropped, IPv6 brackets removed, so equal names compare equal. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  // One spelling per IPv6 address (`0:0::1` and `::1` are the same host).
  if (isIP(h) === 6) h = new URL(`http://[${h}]`).hostname.slice(1, -1);
  return h;
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Splits `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal. Returns undefined when malformed.
 * A scheme prefix and a path are tolerated (`https://example.com/x`) because people paste URLs into grants.
 */
export function splitHostPort(text: string): { host: string; port: number | undefined } | undefined {
  let t = text.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  t = t.replace(/[/?#].*$/, '');
  if (t === '' || t.includes('@')) return undefined;
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0) return undefined;
    const host = t.slice(1, close);
    const rest = t.slice(close + 1);
    if (rest === '') return { host: normalizeHost(host), port: undefined };
    if (!rest.startsWith(':')) return undefined;
    const port = parsePort(rest.slice(1));
    return port === undefined ? undefined : { host: normalizeHost(host), port };
  }
  if (isIP(t) === 6) return { host: normalizeHost(t), port: undefined };
  const parts = t.split(':');
  if (parts.length > 2) return undefined;
  const [host = '', portText] = parts;
  if (host === '') return undefined;
  if (portText === undefined) return { host: normalizeHost(host), port: undefined };
  const port = parsePort(portText);
  return port === undefined ? undefined : { host: normalizeHost(host), port };
}

/** Parses one allow entry; malformed entries (and a bare `*`) yield undefined and so allow nothing. */
export function parseHostRule(entry: string): HostRule | undefined {
  const split = splitHostPort(entry);
  if (!split) return undefined;
  const { host, port } = split;
  if (host.startsWith('*.')) {
    const base = host.slice(2);
    if (base === '' || base.includes('*') || isIP(base) !== 0) return undefined;
    return { host: base, wildcard: true, port };
  }
  if (host.includes('*')) return undefined;
  return { host, wildcard: false, port };
}

/** Does one rule cover host:port? IP literals only ever match an identical literal rule. */
export function ruleMatches(rule: HostRule, host: string, port: number | undefined): boolean {
  const h = normalizeHost(host);
  if (rule.port !== undefined && rule.port !== port) return false;
  if (rule.wildcard) return isIP(h) === 0 && h.endsWith(`.${rule.host}`);
  return h === rule.host;
}

/**
 * Is `host` (with `port`, or any port when undefined is passed for a name lookup) allowed by `allow`?
 * Pass `port: undefined` only for name resolution, where no port is known yet: then a rule's port is ignored.
 */
export function isHostAllowed(allow: readonly string[], host: string, port: number | undefined): boolean {
  for (const entry of allow) {
    const rule = parseHostRule(entry);
    if (!rule) continue;
    const effective = port === undefined ? { ...rule, port: undefined } : rule;
    if (ruleMatches(effective, host, port)) return true;
  }
  return false;
}

/** Authority of an outgoing HTTP request -> host and effective port (scheme default when absent). */
export function parseAuthority(authority: string, scheme: 'http' | 'https'): { host: string; port: number } | undefined {
  const split = splitHostPort(authority);
  if (!split || authority.includes('/')) return undefined;
  return { host: split.host, port: split.port ?? (scheme === 'https' ? 443 : 80) };
}
