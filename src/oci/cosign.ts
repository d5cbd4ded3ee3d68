// Classic cosign key signatures: the `sha256-<hex>.sig` tag, simple-signing payloads, signing and verifying.
import { createPrivateKey, createPublicKey, createHash, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import {
  MAX_SIGNATURES_PER_KIND,
  OCI_MANIFEST,
  encodeJson,
  fail,
  fetchSmallBlob,
  isSha256Digest,
  parseImageManifest,
  parseJson,
  type Descriptor,
  type SignatureCheck,
  type SignatureSource,
} from './signature-source.js';

export const COSIGN_PAYLOAD_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const COSIGN_PAYLOAD_TYPE = 'cosign container image signature';
/**
 * Unsigned hint naming the signing key's fingerprint. Cosign ignores it; it only lets a failed
 * check tell "altered" (the named key is trusted) from "signed by someone else". It never grants trust.
 */
export const SIGNER_HINT_ANNOTATION = 'dev.wassette/signer-key';
const COSIGN_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';

/** A public key the trust policy accepts, with its display fingerprint. */
export interface TrustedKey {
  key: KeyObject;
  /** `sha256:<hex>` of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
}

export function keyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** Reads a PEM public key (or derives the public half of a PEM private key). */
export function toTrustedKey(pem: string): TrustedKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new WassetteError(ErrorCode.InvalidConfig, `trusted key is not a PEM public key: ${errorMessage(e)}`, { cause: e });
  }
  return { key, fingerprint: keyFingerprint(key) };
}

/** The hash cosign pairs with each key type (sigstore's default signer algorithms). */
function hashFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return 'sha384';
    if (curve === 'secp521r1') return 'sha512';
  }
  return 'sha256';
}

/** Verifies a DER (ECDSA) / PKCS#1 v1.5 (RSA) / raw (Ed25519) signature; never throws. */
export function verifyWithKey(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return cryptoVerify(hashFor(key), data, key, signature);
  } catch {
    return false;
  }
}

export function cosignSignatureTag(manifestDigest: string): string {
  return `${manifestDigest.replace(':', '-')}.sig`;
}

/** The simple-signing payload cosign signs (field order as cosign writes it). */
export function simpleSigningPayload(dockerReference: string, manifestDigest: string): Uint8Array {
  return encodeJson({
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': manifestDigest },
      type: COSIGN_PAYLOAD_TYPE,
    },
    optional: null,
  });
}

/** The manifest digest a payload claims, or a reason it is not a cosign payload. */
export function payloadDigest(payload: Uint8Array): { digest: string } | { error: string } {
  let doc: unknown;
  try {
    doc = parseJson(payload, 'cosign payload');
  } catch (e) {
    return { error: errorMessage(e) };
  }
  const critical = (doc as { critical?: { type?: unknown; image?: Record<string, unknown> } } | null)?.critical;
  if (critical?.type !== COSIGN_PAYLOAD_TYPE) return { error: `cosign payload type is not "${COSIGN_PAYLOAD_TYPE}"` };
  const digest = critical.image?.['docker-manifest-digest'];
  if (!isSha256Digest(digest)) return { error: 'cosign payload has no sha256 docker-manifest-digest' };
  return { digest };
}

/** One layer of a `.sig` manifest: payload bytes plus the detached signature and hint. */
export interface CosignSignature {
  payload: Uint8Array;
  signature: string;
  signerHint: string | undefined;
}

/** The signatures under the `.sig` tag, or `[]` when the tag does not exist. */
export async function fetchCosignSignatures(source: SignatureSource, repo: string, manifestDigest: string): Promise<CosignSignature[]> {
  const sig = await source.getManifest(repo, cosignSignatureTag(manifestDigest));
  if (sig === null) return [];
  const manifest = parseImageManifest(sig.bytes, `cosign signature manifest ${cosignSignatureTag(manifestDigest)}`);
  const layers = manifest.layers.filter((l) => l.mediaType === COSIGN_PAYLOAD_MEDIA_TYPE).slice(0, MAX_SIGNATURES_PER_KIND);
  const out: CosignSignature[] = [];
  for (const layer of layers) {
    out.push({
      payload: await fetchSmallBlob(source, repo, layer),
      signature: layer.annotations?.[COSIGN_SIGNATURE_ANNOTATION] ?? '',
      signerHint: layer.annotations?.[SIGNER_HINT_ANNOTATION],
    });
  }
  return out;
}

/** Checks one cosign signature against the trusted keys and the manifest digest being loaded. */
export function verifyCosignSignature(sig: CosignSignature, manifestDigest: string, keys: readonly TrustedKey[]): SignatureCheck {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sig.signature)) return fail('malformed', `layer has no base64 ${COSIGN_SIGNATURE_ANNOTATION} annotation`);
  const claimed = payloadDigest(sig.payload);
  if ('error' in claimed) return fail('malformed', claimed.error);
  if (claimed.digest !== manifestDigest) {
    return fail('digest-mismatch', `cosign payload is for ${claimed.digest}, not ${manifestDigest}`);
  }
  const signature = Buffer.from(sig.signature, 'base64');
  const signer = keys.find((k) => verifyWithKey(k.key, sig.payload, signature));
  if (signer) return { ok: true, signer: signer.fingerprint };
  if (keys.length === 0) return fail('untrusted-signer', 'no trusted keys are configured for this reference');
  if (sig.signerHint !== undefined && keys.some((k) => k.fingerprint === sig.signerHint)) {
    return fail('bad-signature', `signature does not verify with trusted key ${sig.signerHint}: the payload or signature was altered`);
  }
  return fail('untrusted-signer', `not signed by a trusted key${sig.signerHint ? ` (signed by ${sig.signerHint})` : ' (or altered after signing)'}`);
}

function loadSigningKey(privateKeyPem: string): KeyObject {
  if (privateKeyPem.includes('ENCRYPTED SIGSTORE PRIVATE KEY')) {
    throw new WassetteError(
      ErrorCode.InvalidArgument,
      'cosign-encrypted keys are not supported: use an unencrypted PKCS#8 EC P-256 PEM key (see docs/signing.md)',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (e) {
    throw new WassetteError(ErrorCode.InvalidArgument, `signing key is not an unencrypted PEM private key: ${errorMessage(e)}`, { cause: e });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new WassetteError(ErrorCode.InvalidArgument, 'signing key must be ECDSA P-256 (openssl ecparam -name prime256v1), as cosign uses');
  }
  return key;
}

export interface SignResult {
  /** The `.sig` tag written. */
  tag: string;
  /** Digest of the signature manifest now under that tag. */
  signatureManifestDigest: string;
  /** Fingerprint of the signing key's public half. */
  signer: string;
}

/**
 * Signs `manifestDigest` the way `cosign sign --key` does (without a transparency log upload),
 * adding a layer to an existing `.sig` manifest so earlier signatures stay valid.
 * `dockerReference` is `registry/repo` as cosign writes it; defaults to `repo`.
 */
export async function signComponent(
  source: SignatureSource,
  repo: string,
  manifestDigest: string,
  privateKeyPem: string,
  options: { dockerReference?: string } = {},
): Promise<SignResult> {
  if (!isSha256Digest(manifestDigest)) throw new WassetteError(ErrorCode.InvalidArgument, `"${manifestDigest}" is not a sha256 manifest digest`);
  const key = loadSigningKey(privateKeyPem);
  const signer = keyFingerprint(createPublicKey(key));
  const payload = simpleSigningPayload(options.dockerReference ?? repo, manifestDigest);
  const signature = cryptoSign('sha256', payload, key).toString('base64');
  const layer = await source.putBlob(repo, payload, COSIGN_PAYLOAD_MEDIA_TYPE);

  const tag = cosignSignatureTag(manifestDigest);
  const existing = await source.getManifest(repo, tag);
  const layers: Descriptor[] = existing ? parseImageManifest(existing.bytes, `existing ${tag}`).layers : [];
  layers.push({
    mediaType: COSIGN_PAYLOAD_MEDIA_TYPE,
    digest: layer.digest,
    size: layer.size,
    annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature, [SIGNER_HINT_ANNOTATION]: signer },
  });
  const config = encodeJson({
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    config: {},
  });
  const configDesc = await source.putBlob(repo, config, COSIGN_CONFIG_MEDIA_TYPE);
  const manifest = encodeJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: COSIGN_CONFIG_MEDIA_TYPE, size: configDesc.size, digest: configDesc.digest },
    layers,
  });
  const signatureManifestDigest = await source.putManifest(repo, tag, manifest, OCI_MANIFEST);
  return { tag, signatureManifestDigest, signer };
}
