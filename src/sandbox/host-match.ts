// The one host grammar: host patterns of grants and policy.yaml, and matching a destination (host, port) against them.
import { isIP } from 'node:net';
import { ErrorCode, WassetteError } from '../errors.js';

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
 * Splits `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal. Returns undefined when
 * malformed, including a scheme or path: parseHostPattern refuses those at the door, so an entry
 * carrying one never reached here through a grant and allows nothing.
 */
export function splitHostPort(text: string): { host: string; port: number | undefined } | undefined {
  const t = text.trim();
  if (t === '' || /[@/?#]/.test(t)) return undefined;
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
  if (!split) return undefined;
  return { host: split.host, port: split.port ?? (scheme === 'https' ? 443 : 80) };
}

const bad = (message: string): WassetteError => new WassetteError(ErrorCode.InvalidArgument, message);

const HOST_RE = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;
const IPV6_RE = /^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

/**
 * Validates a network host pattern from a grant or policy.yaml (Wassette's rules: a wildcard only as a
 * leading `*.`). A lone `*` is accepted only where `allowStar` says so (deny lists): as an allow it
 * would open every host. Schemes and paths are refused rather than stripped, so what is stored is
 * exactly what parseHostRule matches: a pasted URL must not quietly widen or narrow a grant.
 */
export function parseHostPattern(host: unknown, allowStar = false): string {
  if (typeof host !== 'string' || host.trim().length === 0) throw bad('host must be a non-empty string like "api.example.com"');
  const h = host.trim().toLowerCase();
  if (h === '*') {
    if (allowStar) return h;
    throw bad('host "*" would allow every host; list the hosts (or *.domain patterns) the component needs');
  }
  if (h.includes('://') || h.includes('/')) throw bad(`host "${host}" must be a bare host name (no scheme or path), e.g. "api.example.com"`);
  if (h.includes('*') && !/^\*\.[^*]+$/.test(h)) throw bad(`host "${host}": a wildcard is only allowed as a leading "*." (e.g. "*.example.com")`);
  if (!HOST_RE.test(h) && !IPV6_RE.test(h)) throw bad(`host "${host}" is not a valid host name, IP address or host:port`);
  const port = /:(\d+)$/.exec(h)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw bad(`host "${host}": port must be 1-65535`);
  if (!parseHostRule(h)) throw bad(`host "${host}" would match nothing (a wildcard needs a domain name after "*.", not an IP address)`);
  return h;
}
