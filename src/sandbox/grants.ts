// Typed grant shapes (the `details` of the grant_* built-in tools) and the validators shared with policy.yaml.
import { posix } from 'node:path';
import { parseMemoryQuantity } from '../config.js';
import { ErrorCode, WassetteError } from '../errors.js';
import { GRANT_KINDS, type GrantKind } from '../store/grants.js';
import { UNPRINTABLE } from '../approvals/one-line.js';
import { parseHostPattern } from './host-match.js';

// Re-exported so callers of the typed shapes need one import; the definition is the store's.
export type { GrantKind };

export type Access = 'read' | 'write';
export const ACCESS_VALUES: readonly Access[] = ['read', 'write'];

/** `uri` is normalized to `fs://<absolute path>`; `access` is deduplicated, in read, write order. */
export interface StorageGrant {
  kind: 'storage';
  uri: string;
  access: Access[];
}
/** `host` is lower-cased: `example.com`, `*.example.com`, `example.com:8443`, `10.0.0.1`. */
export interface NetworkGrant {
  kind: 'network';
  host: string;
}
export interface EnvironmentGrant {
  kind: 'environment';
  key: string;
}
/** Per-call memory limit in Kubernetes units (`256Mi`); replaces the policy's or server's limit. */
export interface MemoryGrant {
  kind: 'memory';
  limit: string;
}
export type Grant = StorageGrant | NetworkGrant | EnvironmentGrant | MemoryGrant;

const bad = (message: string): WassetteError => new WassetteError(ErrorCode.InvalidArgument, message);

/**
 * Validates a storage uri and returns it normalized with its host path. Only `fs://` + an absolute
 * path is accepted (a trailing `/**` or `/*` is read as "this directory", since access is granted per
 * directory); `.` and `..` are resolved, so the result never contains `..`.
 */
export function normalizeStorageUri(uri: unknown): { uri: string; path: string } {
  if (typeof uri !== 'string' || uri.length === 0) throw bad('storage uri must be a non-empty string like "fs:///tmp/data"');
  if (!uri.startsWith('fs://')) throw bad(`storage uri "${uri}" must start with fs:// (example: fs:///tmp/data)`);
  let raw = uri.slice('fs://'.length);
  if (!raw.startsWith('/')) throw bad(`storage uri "${uri}" must name an absolute path: fs:///${raw}`);
  if (raw.includes('\0')) throw bad(`storage uri "${uri}" contains a NUL character`);
  // A line break or bidi control in a name would forge lines of the approval prompts that list it.
  if (UNPRINTABLE.test(raw)) throw bad(`storage uri ${JSON.stringify(uri)} contains a control character`);
  raw = raw.replace(/\/\*\*?$/, '') || '/';
  if (raw.includes('*')) throw bad(`storage uri "${uri}": wildcards are only supported as a trailing /** (whole directory)`);
  let path = posix.normalize(raw);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path.split('/').includes('..')) throw bad(`storage uri "${uri}" escapes the root`);
  return { uri: `fs://${path}`, path };
}

export function normalizeAccess(access: unknown, where = 'access'): Access[] {
  if (typeof access === 'string') access = [access];
  if (!Array.isArray(access) || access.length === 0) throw bad(`${where} must be a non-empty list of read, write`);
  const seen = new Set<Access>();
  access.forEach((a, i) => {
    if (a !== 'read' && a !== 'write') throw bad(`${where}[${i}]: '${String(a)}' is not one of read, write`);
    seen.add(a);
  });
  return ACCESS_VALUES.filter((a) => seen.has(a));
}

/** Validates a CIDR range such as `10.0.0.0/8` (Wassette policies may list these under network.allow). */
export function normalizeCidr(cidr: unknown): string {
  if (typeof cidr !== 'string') throw bad('cidr must be a string like "10.0.0.0/8"');
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr.trim()) ?? /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(cidr.trim());
  const ipv4 = m?.[1]?.includes('.') ?? false;
  if (!m || Number(m[2]) > (ipv4 ? 32 : 128) || (ipv4 && m[1]!.split('.').some((o) => Number(o) > 255))) {
    throw bad(`cidr "${cidr}" is not a valid range like "10.0.0.0/8"`);
  }
  return cidr.trim().toLowerCase();
}

/** Validates an environment variable name; wildcards are refused (too broad for secrets). */
export function normalizeEnvKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw bad('environment key must be a non-empty string like "API_KEY"');
  if (key.includes('*')) throw bad(`environment key "${key}": wildcards are not allowed`);
  if (UNPRINTABLE.test(key)) throw bad(`environment key ${JSON.stringify(key)} contains a control character`);
  if (/[=\0\s]/.test(key)) throw bad(`environment key "${key}" must not contain "=", spaces or NUL`);
  return key;
}

export function normalizeMemoryLimit(limit: unknown): { limit: string; bytes: number } {
  if (typeof limit !== 'string' && typeof limit !== 'number') throw bad('memory limit must be a quantity like "256Mi"');
  try {
    return { limit: String(limit).trim(), bytes: parseMemoryQuantity(limit, 'memory limit') };
  } catch (e) {
    throw bad((e as Error).message);
  }
}

function record(details: unknown, kind: string): Record<string, unknown> {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) throw bad(`${kind} grant details must be an object`);
  return details as Record<string, unknown>;
}

/** Validates the `details` argument of a grant_* tool (or CLI flags) into a normalized Grant. */
export function parseGrant(kind: GrantKind | string, details: unknown): Grant {
  switch (kind) {
    case 'storage': {
      const d = record(details, kind);
      return { kind, uri: normalizeStorageUri(d.uri).uri, access: normalizeAccess(d.access) };
    }
    case 'network':
      return { kind, host: parseHostPattern(record(details, kind).host) };
    case 'environment':
      return { kind, key: normalizeEnvKey(record(details, kind).key) };
    case 'memory':
      return { kind, limit: normalizeMemoryLimit(record(details, kind).limit).limit };
    default:
      throw bad(`unknown grant kind "${kind}" (expected one of ${GRANT_KINDS.join(', ')})`);
  }
}

/** Identity of a grant within its kind; a second grant with the same key replaces (storage: widens) the first. */
export function grantKey(g: Grant): string {
  switch (g.kind) {
    case 'storage':
      return g.uri;
    case 'network':
      return g.host;
    case 'environment':
      return g.key;
    case 'memory':
      return 'memory';
  }
}

/** Key of what a revoke_* call names: storage `{uri}`, network `{host}`, environment `{key}`, memory `{}`. */
export function revokeKey(kind: GrantKind | string, details: unknown): string {
  switch (kind) {
    case 'storage':
      return normalizeStorageUri(record(details, kind).uri).uri;
    case 'network':
      return parseHostPattern(record(details, kind).host);
    case 'environment':
      return normalizeEnvKey(record(details, kind).key);
    case 'memory':
      return 'memory';
    default:
      throw bad(`unknown grant kind "${kind}" (expected one of ${GRANT_KINDS.join(', ')})`);
  }
}

/** Combines a new grant with an existing one of the same key (storage access is unioned). */
export function mergeGrant(existing: Grant | undefined, next: Grant): Grant {
  if (existing?.kind === 'storage' && next.kind === 'storage' && existing.uri === next.uri) {
    return { ...next, access: normalizeAccess([...existing.access, ...next.access]) };
  }
  return next;
}

/** A short phrase for approval prompts and audit lines. */
export function describeGrant(g: Grant): string {
  switch (g.kind) {
    case 'storage':
      return `${g.access.join('+')} access to ${normalizeStorageUri(g.uri).path}`;
    case 'network':
      return `network access to ${g.host}`;
    case 'environment':
      return `environment variable ${g.key}`;
    case 'memory':
      return `memory limit ${g.limit}`;
  }
}
