// Sigstore bundles attached as OCI 1.1 referrers, verified offline against trusted public keys.
//
// Offline means no TUF root, so no Fulcio CA, Rekor or CT log keys: only bundles whose verification
// material is a public key can be checked, and transparency-log entries and timestamps are ignored
// (the equivalent of `cosign verify --key ... --insecure-ignore-tlog`). The signature itself is
// checked by @sigstore/verify's Verifier with a trust material holding exactly one of our keys.
// The sigstore libraries load on the first bundle seen (about 70 ms of imports a server start would otherwise pay).
import type { Bundle } from '@sigstore/bundle';
import type { TrustMaterial } from '@sigstore/verify';
import { errorMessage } from '../errors.js';
import type { TrustedKey } from './cosign.js';
import {
  MAX_SIGNATURES_PER_KIND,
  attachReferrer,
  fail,
  fetchSmallBlob,
  parseImageManifest,
  parseJson,
  type Descriptor,
  type SignatureCheck,
  type SignatureSource,
} from './signature-source.js';
import { sha256Digest } from './digest.js';

export const SIGSTORE_BUNDLE_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const BUNDLE_LAYER_PREFIX = 'application/vnd.dev.sigstore.bundle';
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const IN_TOTO_STATEMENT_TYPES = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];
const SHA2_256 = 1; // HashAlgorithm.SHA2_256 in @sigstore/protobuf-specs

/**
 * True for referrers that may hold a bundle. Cosign 2.5+ has been seen to list them with the empty
 * artifact type, so those are looked at too (their layer media type decides).
 */
export function mayHoldBundle(desc: Descriptor): boolean {
  return (
    desc.artifactType === SIGSTORE_BUNDLE_ARTIFACT_TYPE ||
    desc.artifactType?.startsWith(BUNDLE_LAYER_PREFIX) === true ||
    desc.artifactType === 'application/vnd.oci.empty.v1+json'
  );
}

/** Downloads the bundle JSON of each referrer that carries one and refers to `manifestDigest`. */
export async function fetchBundles(source: SignatureSource, repo: string, manifestDigest: string, referrers: readonly Descriptor[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const desc of referrers.filter(mayHoldBundle).slice(0, MAX_SIGNATURES_PER_KIND)) {
    const m = await source.getManifest(repo, desc.digest);
    if (m === null || sha256Digest(m.bytes) !== desc.digest) continue;
    const manifest = parseImageManifest(m.bytes, `bundle manifest ${desc.digest}`);
    if (manifest.subject?.digest !== manifestDigest) continue;
    const layer = manifest.layers.find((l) => l.mediaType.startsWith(BUNDLE_LAYER_PREFIX));
    if (layer) out.push(await fetchSmallBlob(source, repo, layer));
  }
  return out;
}

/** The spellings a bundle's key hint takes: ours, hex, or base64 of the SPKI SHA-256. */
function hintNames(hint: string, key: TrustedKey): boolean {
  if (hint === '') return false;
  const hex = key.fingerprint.slice('sha256:'.length);
  return hint === key.fingerprint || hint === hex || hint === Buffer.from(hex, 'hex').toString('base64');
}

/** Checks the statement or message digest names `manifestDigest`; returns the artifact to verify. */
async function boundArtifact(bundle: Bundle, manifestDigest: string, manifestBytes: () => Promise<Uint8Array>): Promise<Buffer | SignatureCheck> {
  const hex = manifestDigest.slice('sha256:'.length);
  if (bundle.content.$case === 'messageSignature') {
    const md = bundle.content.messageSignature.messageDigest;
    if (md === undefined || md.algorithm !== SHA2_256 || Buffer.from(md.digest).toString('hex') !== hex) {
      return fail('digest-mismatch', `bundle message digest does not name ${manifestDigest}`);
    }
    const bytes = await manifestBytes();
    return sha256Digest(bytes) === manifestDigest ? Buffer.from(bytes) : fail('digest-mismatch', `manifest bytes do not hash to ${manifestDigest}`);
  }
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) return fail('unsupported', `DSSE payload type "${env.payloadType}" is not an in-toto statement`);
  let statement: { _type?: unknown; subject?: Array<{ digest?: Record<string, unknown> }> };
  try {
    statement = parseJson(env.payload, 'in-toto statement') as typeof statement;
  } catch (e) {
    return fail('malformed', errorMessage(e));
  }
  if (!IN_TOTO_STATEMENT_TYPES.includes(String(statement?._type))) return fail('malformed', 'DSSE payload is not an in-toto statement');
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (!subjects.some((s) => s?.digest?.sha256 === hex)) {
    return fail('digest-mismatch', `in-toto statement has no subject with digest ${manifestDigest}`);
  }
  return Buffer.alloc(0);
}

function trustMaterialFor(key: TrustedKey): TrustMaterial {
  return {
    certificateAuthorities: [],
    timestampAuthorities: [],
    tlogs: [],
    ctlogs: [],
    publicKey: () => ({ publicKey: key.key, validFor: () => true }),
  };
}

/**
 * Verifies one bundle (JSON bytes) for `manifestDigest`. `manifestBytes` is called only for
 * message-signature bundles, whose signature covers the manifest bytes themselves.
 */
export async function verifyBundle(
  json: Uint8Array,
  manifestDigest: string,
  keys: readonly TrustedKey[],
  manifestBytes: () => Promise<Uint8Array>,
): Promise<SignatureCheck> {
  const [{ bundleFromJSON }, { Verifier, toSignedEntity }] = await Promise.all([import('@sigstore/bundle'), import('@sigstore/verify')]);
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(parseJson(json, 'sigstore bundle'));
  } catch (e) {
    return fail('malformed', `not a sigstore bundle: ${errorMessage(e)}`);
  }
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') {
    return fail('unsupported', 'keyless (certificate) bundles need the Sigstore public-good trust root, which is not available offline; sign with a key');
  }
  const artifact = await boundArtifact(bundle, manifestDigest, manifestBytes);
  if (!Buffer.isBuffer(artifact)) return artifact;
  if (keys.length === 0) return fail('untrusted-signer', 'no trusted keys are configured for this reference');

  // Offline: tlog entries and timestamps cannot be checked, so they must not decide the outcome.
  const offline: Bundle = { ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [], timestampVerificationData: undefined } };
  const entity = toSignedEntity(offline, bundle.content.$case === 'messageSignature' ? artifact : undefined);
  for (const key of keys) {
    try {
      new Verifier(trustMaterialFor(key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
      return { ok: true, signer: key.fingerprint };
    } catch {
      // next key
    }
  }
  const hint = material.publicKey.hint ?? '';
  if (keys.some((k) => hintNames(hint, k))) return fail('bad-signature', `bundle signature does not verify with the trusted key it names (${hint}): altered`);
  return fail('untrusted-signer', `bundle not signed by a trusted key${hint ? ` (key hint ${hint})` : ''}`);
}

/** Attaches a bundle (JSON bytes) to `subject` the way cosign's bundle spec lays it out. */
export async function attachSigstoreBundle(source: SignatureSource, repo: string, subject: Descriptor, json: Uint8Array): Promise<Descriptor> {
  const doc = parseJson(json, 'sigstore bundle') as { dsseEnvelope?: unknown };
  const digest = sha256Digest(json);
  return attachReferrer(
    source,
    repo,
    subject,
    SIGSTORE_BUNDLE_ARTIFACT_TYPE,
    {
      bytes: json,
      mediaType: SIGSTORE_BUNDLE_ARTIFACT_TYPE,
      annotations: { 'org.opencontainers.image.title': `${digest.replace(':', '-')}.sigstore.json` },
    },
    { 'dev.sigstore.bundle.content': doc.dsseEnvelope !== undefined ? 'dsse-envelope' : 'message-signature' },
  );
}
