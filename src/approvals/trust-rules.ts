// Pure: trust rules ("trust this publisher"), which let a later load skip the prompt. A rule names a place (an OCI
// registry and a repository prefix, never a bare name), pins the signer when the artifact it was made from was
// signed, and caps the permissions a trusted load may ask for. Whether a load matches is decided here.
import { ErrorCode, WassetteError } from '../errors.js';
import { parseReference } from '../oci/reference.js';
import { permissionWithin } from '../sandbox/requested-permissions.js';

export interface TrustRule {
  id: string;
  /** Registry host[:port], lower case. */
  registry: string;
  /** Repository prefix at a path boundary: `acme` covers `acme` and `acme/x`, not `acme-evil`. Never empty. */
  repositoryPrefix: string;
  /** The signer a load must be verified by; null only for rules made from an unsigned artifact. */
  signer: string | null;
  /** Permissions (as `requestedPermissions` writes them) a load may ask for; null: any. */
  maxPermissions: string[] | null;
  createdAt: number;
  /** Who made it: `user (ui)`, `user (cli)`, `user (elicitation)`, `config`. */
  createdBy: string;
  origin: 'user' | 'config';
}

export type NewTrustRule = Omit<TrustRule, 'id' | 'createdAt'> & { id?: string; createdAt?: number };

/** What a load is judged by: where it comes from, who signed it, what it asks for. */
export interface TrustSubject {
  source: string;
  signature: { status: 'verified'; signer: string } | { status: 'unsigned' } | { status: 'failed' };
  permissions: readonly string[];
}

export type TrustVerdict = { trusted: true; rule: TrustRule } | { trusted: false; reasons: string[] };

/** Registry and repository of an OCI source; undefined for https and file sources, which no rule can cover. */
export function ociPlace(source: string): { registry: string; repository: string } | undefined {
  if (!source.startsWith('oci://')) return undefined;
  try {
    const r = parseReference(source);
    return { registry: r.registry.toLowerCase(), repository: r.repository };
  } catch {
    return undefined;
  }
}

function normalizePrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** Checks a rule's fields with the OCI reference grammar (the one loads are parsed by); throws InvalidArgument. */
export function validateRule(r: NewTrustRule): NewTrustRule {
  const repositoryPrefix = normalizePrefix(r.repositoryPrefix.trim());
  if (repositoryPrefix === '') {
    throw new WassetteError(ErrorCode.InvalidArgument, `trust rule: repository prefix "${r.repositoryPrefix}" is empty; a whole registry is never trusted`);
  }
  let place: { registry: string; repository: string };
  try {
    const ref = parseReference(`oci://${r.registry.trim()}/${repositoryPrefix}:rule`);
    place = { registry: ref.registry.toLowerCase(), repository: ref.repository };
  } catch (e) {
    throw new WassetteError(
      ErrorCode.InvalidArgument,
      `trust rule: oci://${r.registry}/${r.repositoryPrefix} is not a registry and repository: ${(e as Error).message}`,
    );
  }
  if (r.signer !== null && r.signer.trim() === '') throw new WassetteError(ErrorCode.InvalidArgument, 'trust rule: signer must not be empty');
  return { ...r, registry: place.registry, repositoryPrefix: place.repository, signer: r.signer === null ? null : r.signer.trim() };
}

/** Parses `oci://host[:port]/prefix` into a rule's place. */
export function parsePlace(text: string): { registry: string; repositoryPrefix: string } {
  const trimmed = text.trim();
  const rest = trimmed.replace(/^oci:\/\//, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new WassetteError(ErrorCode.InvalidArgument, `"${text}" must be oci://host[:port]/repository-prefix`);
  // Without the scheme, `acme/tools` (how a repository is often written) would silently name the registry "acme".
  if (rest === trimmed) {
    throw new WassetteError(
      ErrorCode.InvalidArgument,
      `"${text}" must be oci://host[:port]/repository-prefix (a registry and a repository, never a bare name: write oci://<registry host>/${rest})`,
    );
  }
  const prefix = rest.slice(slash + 1);
  // A tag or digest would read as "this version", but a rule covers everything under the repository: refuse it
  // rather than store a broader rule than the user wrote.
  if (/[:@]/.test(prefix)) {
    throw new WassetteError(
      ErrorCode.InvalidArgument,
      `"${text}" names a version (tag or digest); a trust rule names a repository prefix and covers every version under it: write oci://${rest.slice(0, slash)}/${prefix.replace(/[:@].*$/, '')}`,
    );
  }
  return { registry: rest.slice(0, slash), repositoryPrefix: prefix };
}

function covers(prefix: string, repository: string): boolean {
  return repository === prefix || repository.startsWith(`${prefix}/`);
}

function whyNot(rule: TrustRule, s: TrustSubject, place: { registry: string; repository: string }): string | undefined {
  if (rule.registry !== place.registry || !covers(rule.repositoryPrefix, place.repository)) return `rule ${rule.id} covers another place`;
  if (s.signature.status === 'failed') return `rule ${rule.id}: the signature check failed`;
  if (rule.signer !== null) {
    if (s.signature.status !== 'verified') return `rule ${rule.id} requires a signature by ${rule.signer}; this artifact is unsigned`;
    if (s.signature.signer !== rule.signer) return `rule ${rule.id} requires a signature by ${rule.signer}; signed by ${s.signature.signer}`;
  }
  if (rule.maxPermissions !== null) {
    const allowed = rule.maxPermissions;
    const beyond = s.permissions.filter((p) => !permissionWithin(p, allowed));
    if (beyond.length > 0) return `rule ${rule.id}: asks for permissions beyond the rule: ${beyond.join('; ')}`;
  }
  return undefined;
}

/** The first rule that trusts this load, or every reason none does. */
export function matchTrust(rules: readonly TrustRule[], s: TrustSubject): TrustVerdict {
  const place = ociPlace(s.source);
  if (!place) return { trusted: false, reasons: ['only OCI sources can be trusted by rule'] };
  const reasons: string[] = [];
  for (const rule of rules) {
    const why = whyNot(rule, s, place);
    if (why === undefined) return { trusted: true, rule };
    reasons.push(why);
  }
  return { trusted: false, reasons: reasons.length ? reasons : ['no trust rule covers it'] };
}

/**
 * The rule "approve and trust this publisher" makes from an approved load: its registry and repository (the
 * repository itself as the prefix), its signer when signed, and the permissions approved as the ceiling.
 * Undefined when the load cannot be the ground for a rule (not OCI, or its signature check failed).
 */
export function ruleFromLoad(s: TrustSubject, createdBy: string): NewTrustRule | undefined {
  const place = ociPlace(s.source);
  if (!place || s.signature.status === 'failed') return undefined;
  return {
    registry: place.registry,
    repositoryPrefix: place.repository,
    signer: s.signature.status === 'verified' ? s.signature.signer : null,
    maxPermissions: [...s.permissions],
    createdBy,
    origin: 'user',
  };
}

/** One line a person can read. */
export function describeRule(r: Pick<TrustRule, 'registry' | 'repositoryPrefix' | 'signer' | 'maxPermissions'>): string {
  const signer = r.signer === null ? 'any signer or none (never a failed signature)' : `signed by ${r.signer}`;
  const perms = r.maxPermissions === null ? 'any permissions' : r.maxPermissions.length === 0 ? 'no permissions' : `at most: ${r.maxPermissions.join('; ')}`;
  return `oci://${r.registry}/${r.repositoryPrefix}/**, ${signer}, ${perms}`;
}
