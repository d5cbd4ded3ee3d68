// Trust policy (pure): which signatures a reference needs and which keys/certificates may sign it.
import { ErrorCode, WassetteError } from '../errors.js';

/** `cosign` is met by a classic cosign signature or a sigstore bundle; `any` by any verified method. */
export type Requirement = 'none' | 'cosign' | 'notation' | 'any';
const REQUIREMENTS: readonly Requirement[] = ['none', 'cosign', 'notation', 'any'];

/**
 * One policy entry as configured. `scope` is a registry (`127.0.0.1:5000`), a repository prefix
 * (`127.0.0.1:5000/team/`, matched on whole path segments) or `*` (everything). Keys and
 * certificates are PEM text or paths to PEM files; fields left out are inherited from the next
 * shorter matching scope.
 */
export interface TrustEntry {
  scope: string;
  require?: Requirement;
  keys?: string[];
  certificates?: string[];
}

export interface TrustPolicy {
  /** Default requirement for references no entry gives one: `any` when true, else `none`. */
  requireSignatures: boolean;
  entries: TrustEntry[];
}

/** What one reference needs, after scope matching and inheritance. */
export interface ResolvedRequirement {
  require: Requirement;
  keys: string[];
  certificates: string[];
  /** The most specific scope that matched, or null. */
  scope: string | null;
}

function bad(i: number, why: string): WassetteError {
  return new WassetteError(ErrorCode.InvalidConfig, `trust[${i}]: ${why}`);
}

function stringList(value: unknown, i: number, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v.trim().length > 0)) {
    throw bad(i, `${field} must be a list of PEM texts or file paths`);
  }
  return list as string[];
}

/** Normalises a scope: lower-case registry, no `oci://`, no trailing slash. */
function normaliseScope(scope: string): string {
  const s = scope
    .trim()
    .replace(/^oci:\/\//, '')
    .replace(/\/+$/, '');
  const slash = s.indexOf('/');
  return slash < 0 ? s.toLowerCase() : s.slice(0, slash).toLowerCase() + s.slice(slash);
}

/** Validates raw config entries (`Config.trust`) into a policy; throws InvalidConfig with the entry index. */
export function parseTrustPolicy(raw: readonly unknown[], requireSignatures = false): TrustPolicy {
  const entries = raw.map((e, i): TrustEntry => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw bad(i, 'must be a mapping with a scope');
    const o = e as Record<string, unknown>;
    if (typeof o.scope !== 'string' || o.scope.trim() === '') throw bad(i, 'scope must be a registry, a repository prefix or "*"');
    if (o.require !== undefined && !REQUIREMENTS.includes(o.require as Requirement)) {
      throw bad(i, `require must be one of ${REQUIREMENTS.join(', ')} (got "${String(o.require)}")`);
    }
    const unknown = Object.keys(o).filter((k) => !['scope', 'require', 'keys', 'certificates'].includes(k));
    if (unknown.length > 0) throw bad(i, `unknown field(s) ${unknown.join(', ')}`);
    const keys = stringList(o.keys, i, 'keys');
    const certificates = stringList(o.certificates, i, 'certificates');
    return {
      scope: o.scope.trim() === '*' ? '*' : normaliseScope(o.scope),
      ...(o.require !== undefined ? { require: o.require as Requirement } : {}),
      ...(keys ? { keys } : {}),
      ...(certificates ? { certificates } : {}),
    };
  });
  return { requireSignatures, entries };
}

/** `host[:port]/repo` of a reference: drops `oci://`, tag and digest. */
export function scopeKey(ref: string): string {
  let s = ref.trim().replace(/^oci:\/\//, '');
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.indexOf('/');
  const colon = s.lastIndexOf(':');
  if (slash >= 0 && colon > slash) s = s.slice(0, colon);
  return normaliseScope(s);
}

/** Match strength of `scope` for `key` (longer is more specific), or -1 when it does not match. */
function matchLength(scope: string, key: string): number {
  if (scope === '*') return 0;
  if (key === scope || key.startsWith(`${scope}/`)) return scope.length;
  return -1;
}

/** The requirement for `ref`: the longest matching scope wins, field by field. */
export function requirementFor(ref: string, policy: TrustPolicy): ResolvedRequirement {
  const key = scopeKey(ref);
  const matches = policy.entries
    .map((entry, index) => ({ entry, index, len: matchLength(entry.scope, key) }))
    .filter((m) => m.len >= 0)
    // Longest first; among equal scopes the later entry wins, as in layered config files.
    .sort((a, b) => b.len - a.len || b.index - a.index)
    .map((m) => m.entry);
  return {
    require: matches.find((m) => m.require !== undefined)?.require ?? (policy.requireSignatures ? 'any' : 'none'),
    keys: matches.find((m) => m.keys !== undefined)?.keys ?? [],
    certificates: matches.find((m) => m.certificates !== undefined)?.certificates ?? [],
    scope: matches[0]?.scope ?? null,
  };
}

/** Whether a verified signature of `method` satisfies `require`. */
export function satisfies(require: Requirement, method: 'cosign' | 'cosign-bundle' | 'notation'): boolean {
  if (require === 'any' || require === 'none') return true;
  if (require === 'cosign') return method === 'cosign' || method === 'cosign-bundle';
  return method === 'notation';
}
