// Signature verification for one manifest: discover cosign, sigstore-bundle and Notation signatures, apply the trust policy.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode, WassetteError, errorMessage, isWassetteError } from '../errors.js';
import { fetchCosignSignatures, toTrustedKey, verifyCosignSignature, type TrustedKey } from './cosign.js';
import { fetchNotationSignatures, verifyNotationSignature } from './notation.js';
import { parseReference } from './reference.js';
import type { FailureKind, SignatureCheck, SignatureSource } from './signature-source.js';
import { fetchBundles, verifyBundle } from './sigstore-bundle.js';
import { requirementFor, satisfies, type Requirement, type ResolvedRequirement, type TrustPolicy } from './trust-policy.js';

export type SignatureMethod = 'cosign' | 'cosign-bundle' | 'notation';

export type VerificationOutcome =
  /** `signer` is a key fingerprint (`sha256:<hex>`) or a certificate subject (`CN=..., O=...`). */
  | { status: 'verified'; method: SignatureMethod; signer: string; anchor?: string }
  | { status: 'unsigned' }
  /** `method` is absent when the signatures could not even be looked up. */
  | { status: 'failed'; method?: SignatureMethod; kind: FailureKind; reason: string };

export interface TrustMaterial {
  keys: TrustedKey[];
  certificates: X509Certificate[];
}

export interface VerifyOptions {
  /** Reads key/certificate files named in the policy; defaults to fs. */
  readText?: (path: string) => string;
  /** Clock for certificate and expiry checks. */
  now?: Date;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemText(item: string, readText: (path: string) => string): string {
  if (item.includes('-----BEGIN')) return item;
  try {
    return readText(item);
  } catch (e) {
    throw new WassetteError(ErrorCode.InvalidConfig, `trust policy names "${item}", which cannot be read: ${errorMessage(e)}`, { cause: e });
  }
}

/** Turns the policy's PEM texts / file paths into keys and certificates (a file may hold several certificates). */
export function loadTrustMaterial(
  req: Pick<ResolvedRequirement, 'keys' | 'certificates'>,
  readText: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): TrustMaterial {
  const keys = req.keys.map((k) => toTrustedKey(pemText(k, readText)));
  const certificates = req.certificates.flatMap((c) => {
    const blocks = pemText(c, readText).match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new WassetteError(ErrorCode.InvalidConfig, `trust policy certificate "${c.slice(0, 40)}" holds no PEM certificate`);
    return blocks.map((pem) => {
      try {
        return new X509Certificate(pem);
      } catch (e) {
        throw new WassetteError(ErrorCode.InvalidConfig, `trust policy certificate "${c.slice(0, 40)}" is not a valid X.509 certificate`, { cause: e });
      }
    });
  });
  return { keys, certificates };
}

interface Check {
  method: SignatureMethod;
  check: SignatureCheck;
}

/** Collects one check per signature found, for the methods `require` can be met by. */
async function collectChecks(source: SignatureSource, repo: string, digest: string, require: Requirement, trust: TrustMaterial, now: Date): Promise<Check[]> {
  const checks: Check[] = [];
  const wantCosign = require !== 'notation';
  const wantNotation = require !== 'cosign';
  if (wantCosign) {
    for (const sig of await fetchCosignSignatures(source, repo, digest)) {
      checks.push({ method: 'cosign', check: verifyCosignSignature(sig, digest, trust.keys) });
    }
  }
  const referrers = await source.referrers(repo, digest);
  if (wantCosign) {
    const manifestBytes = async (): Promise<Uint8Array> => {
      const m = await source.getManifest(repo, digest);
      if (m === null) throw new WassetteError(ErrorCode.NotFound, `manifest ${digest} not found in ${repo}`);
      return m.bytes;
    };
    for (const json of await fetchBundles(source, repo, digest, referrers)) {
      checks.push({ method: 'cosign-bundle', check: await verifyBundle(json, digest, trust.keys, manifestBytes) });
    }
  }
  if (wantNotation) {
    for (const jws of await fetchNotationSignatures(source, repo, digest, referrers)) {
      checks.push({ method: 'notation', check: verifyNotationSignature(jws, digest, trust.certificates, now) });
    }
  }
  return checks;
}

/** Most telling failure first: tampering before "unknown signer" before "cannot read". */
const SEVERITY: FailureKind[] = ['bad-signature', 'digest-mismatch', 'expired', 'untrusted-signer', 'unsupported', 'malformed'];

/**
 * Verifies the signatures of `manifestDigest` (in `ref`'s repository) under the trust policy.
 *
 * - A signature that verifies and satisfies the requirement: `{status: 'verified'}`.
 * - `require: none` (the default): never throws for signature reasons; returns `unsigned` or
 *   `failed` so the caller can warn.
 * - Otherwise throws `SignatureRequired` when no signature of the required kind exists and
 *   `SignatureInvalid` when signatures exist but none is valid and trusted; `data.kind` says why
 *   (`untrusted-signer`: signed, but not by a trusted key; `bad-signature` / `digest-mismatch`:
 *   altered or made for other content).
 * Registry errors while looking for signatures propagate unless nothing is required.
 */
export async function verifySignatures(
  source: SignatureSource,
  ref: string,
  manifestDigest: string,
  policy: TrustPolicy,
  options: VerifyOptions = {},
): Promise<VerificationOutcome> {
  const req = requirementFor(ref, policy);
  const repo = parseReference(ref).repository;
  const trust = loadTrustMaterial(req, options.readText);
  let checks: Check[];
  try {
    checks = await collectChecks(source, repo, manifestDigest, req.require, trust, options.now ?? new Date());
  } catch (e) {
    if (req.require !== 'none') throw e;
    const kind: FailureKind = isWassetteError(e, ErrorCode.SignatureInvalid) || isWassetteError(e, ErrorCode.DigestMismatch) ? 'malformed' : 'unsupported';
    return { status: 'failed', kind, reason: `could not read signatures: ${errorMessage(e)}` };
  }

  for (const { method, check } of checks) {
    if (check.ok && satisfies(req.require, method))
      return { status: 'verified', method, signer: check.signer, ...(check.anchor ? { anchor: check.anchor } : {}) };
  }
  const where = `${ref} (${manifestDigest})`;
  if (checks.length === 0) {
    if (req.require === 'none') return { status: 'unsigned' };
    throw new WassetteError(
      ErrorCode.SignatureRequired,
      `${where} has no ${req.require === 'any' ? '' : `${req.require} `}signature, but the trust policy${req.scope ? ` for "${req.scope}"` : ''} requires one; sign it (wassette sign) or change the policy`,
      { data: { ref, digest: manifestDigest, require: req.require } },
    );
  }
  const failures = checks.flatMap(({ method, check }) => (check.ok ? [] : [{ method, kind: check.kind, reason: check.reason }]));
  failures.sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind));
  const worst = failures[0]!;
  if (req.require === 'none') return { status: 'failed', ...worst };
  const summary =
    worst.kind === 'untrusted-signer'
      ? `is signed, but not by a trusted key: ${worst.reason}; add the signer's key or certificate to the trust policy`
      : `has an invalid ${worst.method} signature (${worst.kind}): ${worst.reason}`;
  throw new WassetteError(ErrorCode.SignatureInvalid, `${where} ${summary}`, {
    data: { ref, digest: manifestDigest, require: req.require, method: worst.method, kind: worst.kind, failures },
  });
}

/**
 * Whether a recorded verification may stand for bytes served from the cache: the trust policy must
 * still accept its method, and the key (cosign) or trusted certificate it was anchored at (Notation)
 * must still be configured; otherwise the signatures are checked again.
 */
export function stillTrusted(prior: VerificationOutcome, pinnedReference: string, trust: TrustPolicy, now: Date = new Date()): boolean {
  const req = requirementFor(pinnedReference, trust);
  if (prior.status === 'unsigned') return req.require === 'none';
  if (prior.status !== 'verified' || !satisfies(req.require, prior.method)) return false;
  const material = loadTrustMaterial(req);
  if (prior.method === 'notation') {
    return material.certificates.some((c) => c.fingerprint256 === prior.anchor && new Date(c.validFrom) <= now && now <= new Date(c.validTo));
  }
  return material.keys.some((k) => k.fingerprint === prior.signer);
}
