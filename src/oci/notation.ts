// Notation (Notary Project) JWS signatures as OCI referrers: creating them and verifying x5c chains offline.
import { X509Certificate, createPrivateKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import {
  MAX_SIGNATURES_PER_KIND,
  attachReferrer,
  encodeJson,
  fail,
  fetchSmallBlob,
  parseImageManifest,
  parseJson,
  sha256Digest,
  type Descriptor,
  type SignatureCheck,
  type SignatureSource,
} from './signature-source.js';

export const NOTATION_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';
export const NOTATION_JWS_MEDIA_TYPE = 'application/jose+json';
export const NOTATION_PAYLOAD_CTY = 'application/vnd.cncf.notary.payload.v1+json';
const THUMBPRINT_ANNOTATION = 'io.cncf.notary.x509chain.thumbprint#S256';
const CODE_SIGNING_EKU = '1.3.6.1.5.5.7.3.3';
const SIGNING_SCHEMES = ['notary.x509', 'notary.x509.signingAuthority'];
/** Critical headers this verifier understands; any other entry in `crit` makes it refuse. */
const KNOWN_CRIT = new Set(['io.cncf.notary.signingScheme', 'io.cncf.notary.expiry', 'io.cncf.notary.authenticSigningTime']);

type Alg = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';
const ALGS: Record<Alg, { hash: string; key: 'rsa' | string }> = {
  PS256: { hash: 'sha256', key: 'rsa' },
  PS384: { hash: 'sha384', key: 'rsa' },
  PS512: { hash: 'sha512', key: 'rsa' },
  ES256: { hash: 'sha256', key: 'prime256v1' },
  ES384: { hash: 'sha384', key: 'secp384r1' },
  ES512: { hash: 'sha512', key: 'secp521r1' },
};

function keyMatches(alg: Alg, key: KeyObject): boolean {
  const want = ALGS[alg].key;
  return want === 'rsa' ? key.asymmetricKeyType === 'rsa' : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === want;
}

/** JWS signature options: RSA-PSS with salt = hash length, ECDSA as raw r||s, as JOSE requires. */
function joseOptions(alg: Alg, key: KeyObject): { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' } {
  return alg.startsWith('PS')
    ? { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: Number(ALGS[alg].hash.slice(3)) / 8 }
    : { key, dsaEncoding: 'ieee-p1363' };
}

const b64url = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');

/** A readable one-line certificate subject (`CN=..., O=...`). */
export function subjectOf(cert: X509Certificate): string {
  return cert.subject.split('\n').join(', ');
}

function algFor(key: KeyObject): Alg {
  if (key.asymmetricKeyType === 'rsa') return 'PS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return 'ES256';
  if (curve === 'secp384r1') return 'ES384';
  if (curve === 'secp521r1') return 'ES512';
  throw new WassetteError(ErrorCode.InvalidArgument, 'Notation signing key must be RSA or ECDSA P-256/P-384/P-521');
}

/**
 * Builds a Notation JWS envelope (JSON serialization) over `target`, signed with the leaf's key.
 * `chainPem` is leaf first, then intermediates, then (as Notation requires) the root.
 */
export function createNotationSignature(
  target: Descriptor,
  privateKeyPem: string,
  chainPem: readonly string[],
  options: { now?: Date; expiry?: Date } = {},
): Uint8Array {
  const key = createPrivateKey(privateKeyPem);
  const alg = algFor(key);
  const protectedHeader: Record<string, unknown> = {
    alg,
    crit: ['io.cncf.notary.signingScheme', ...(options.expiry ? ['io.cncf.notary.expiry'] : [])],
    cty: NOTATION_PAYLOAD_CTY,
    'io.cncf.notary.signingScheme': 'notary.x509',
    'io.cncf.notary.signingTime': (options.now ?? new Date()).toISOString(),
    ...(options.expiry ? { 'io.cncf.notary.expiry': options.expiry.toISOString() } : {}),
  };
  const payload = b64url(JSON.stringify({ targetArtifact: { mediaType: target.mediaType, digest: target.digest, size: target.size } }));
  const protectedB64 = b64url(JSON.stringify(protectedHeader));
  const signature = cryptoSign(ALGS[alg].hash, Buffer.from(`${protectedB64}.${payload}`), joseOptions(alg, key));
  const x5c = chainPem.map((pem) => new X509Certificate(pem).raw.toString('base64'));
  return encodeJson({ payload, protected: protectedB64, header: { x5c, 'io.cncf.notary.signingAgent': 'wassette' }, signature: b64url(signature) });
}

/** Attaches a JWS envelope to `subject` as a Notation signature referrer. */
export async function attachNotationSignature(source: SignatureSource, repo: string, subject: Descriptor, jws: Uint8Array): Promise<Descriptor> {
  const env = parseJson(jws, 'JWS envelope') as { header?: { x5c?: string[] } };
  const thumbprints = (env.header?.x5c ?? []).map((c) => sha256Digest(Buffer.from(c, 'base64')).slice('sha256:'.length));
  return attachReferrer(
    source,
    repo,
    subject,
    NOTATION_ARTIFACT_TYPE,
    { bytes: jws, mediaType: NOTATION_JWS_MEDIA_TYPE },
    { [THUMBPRINT_ANNOTATION]: JSON.stringify(thumbprints) },
  );
}

/** Downloads the JWS envelopes of Notation referrers that refer to `manifestDigest`. */
export async function fetchNotationSignatures(
  source: SignatureSource,
  repo: string,
  manifestDigest: string,
  referrers: readonly Descriptor[],
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const desc of referrers.filter((d) => d.artifactType === NOTATION_ARTIFACT_TYPE).slice(0, MAX_SIGNATURES_PER_KIND)) {
    const m = await source.getManifest(repo, desc.digest);
    if (m === null || sha256Digest(m.bytes) !== desc.digest) continue;
    const manifest = parseImageManifest(m.bytes, `notation manifest ${desc.digest}`);
    if (manifest.subject?.digest !== manifestDigest) continue;
    const layer = manifest.layers.find((l) => l.mediaType === NOTATION_JWS_MEDIA_TYPE);
    if (layer) out.push(await fetchSmallBlob(source, repo, layer));
  }
  return out;
}

interface Envelope {
  payload: string;
  protected: string;
  signature: string;
  header: { x5c: string[] };
}

function readEnvelope(jws: Uint8Array): Envelope | string {
  let env: Partial<Envelope>;
  try {
    env = parseJson(jws, 'JWS envelope') as Partial<Envelope>;
  } catch (e) {
    return errorMessage(e);
  }
  const x5c = env?.header?.x5c;
  if (typeof env?.payload !== 'string' || typeof env.protected !== 'string' || typeof env.signature !== 'string')
    return 'JWS envelope lacks payload, protected or signature';
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string')) return 'JWS envelope has no x5c certificate chain';
  return env as Envelope;
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

/** Checks x5c is a chain (each issued and signed by the next) ending at a trusted certificate. */
function checkChain(chain: X509Certificate[], trusted: readonly X509Certificate[], now: Date): SignatureCheck {
  const leaf = chain[0]!;
  for (const [i, cert] of chain.entries()) {
    if (!validAt(cert, now)) return fail('expired', `certificate "${subjectOf(cert)}" is not valid now (${cert.validFrom} - ${cert.validTo})`);
    const issuer = chain[i + 1];
    if (issuer && !(issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) {
      return fail('malformed', `x5c is not a certificate chain: "${subjectOf(cert)}" is not issued by "${subjectOf(issuer)}"`);
    }
  }
  if (leaf.ca) return fail('malformed', 'the signing certificate is a CA certificate');
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(CODE_SIGNING_EKU))
    return fail('malformed', 'the signing certificate is not for code signing (extended key usage)');
  const signer = subjectOf(leaf);
  if (trusted.length === 0) return fail('untrusted-signer', `signed by "${signer}", but no trusted certificates are configured for this reference`);
  const top = chain[chain.length - 1]!;
  // The trusted certificate the chain ends at is recorded, so a cached reload can tell whether it is still trusted.
  const anchor =
    trusted.find((t) => chain.some((c) => t.fingerprint256 === c.fingerprint256)) ??
    trusted.find((t) => t.ca && validAt(t, now) && top.checkIssued(t) && top.verify(t.publicKey));
  if (anchor) return { ok: true, signer, anchor: anchor.fingerprint256 };
  return fail('untrusted-signer', `signed by "${signer}", whose chain does not lead to a trusted certificate`);
}

/** Verifies one Notation JWS envelope for `manifestDigest` against trusted CA (or leaf) certificates. */
export function verifyNotationSignature(jws: Uint8Array, manifestDigest: string, trusted: readonly X509Certificate[], now: Date = new Date()): SignatureCheck {
  const env = readEnvelope(jws);
  if (typeof env === 'string') return fail('malformed', env);
  let header: Record<string, unknown>;
  let chain: X509Certificate[];
  try {
    header = JSON.parse(Buffer.from(env.protected, 'base64url').toString('utf8')) as Record<string, unknown>;
    chain = env.header.x5c.map((c) => new X509Certificate(Buffer.from(c, 'base64')));
  } catch (e) {
    return fail('malformed', `unreadable JWS header or x5c: ${errorMessage(e)}`);
  }
  const alg = header.alg as Alg;
  if (!(alg in ALGS)) return fail('unsupported', `JWS algorithm "${String(header.alg)}" is not supported`);
  if (header.cty !== NOTATION_PAYLOAD_CTY) return fail('malformed', `JWS content type is not ${NOTATION_PAYLOAD_CTY}`);
  const crit = Array.isArray(header.crit) ? header.crit.map(String) : [];
  if (!crit.includes('io.cncf.notary.signingScheme')) return fail('malformed', 'signingScheme is not marked critical');
  const unknown = crit.find((c) => !KNOWN_CRIT.has(c));
  if (unknown) return fail('unsupported', `critical header "${unknown}" is not supported (verification plugins are not)`);
  if (!SIGNING_SCHEMES.includes(String(header['io.cncf.notary.signingScheme']))) return fail('unsupported', 'unknown Notation signing scheme');

  const leafKey = chain[0]!.publicKey;
  if (!keyMatches(alg, leafKey)) return fail('malformed', `JWS algorithm ${alg} does not match the signing certificate's key`);
  const ok = (() => {
    try {
      return cryptoVerify(ALGS[alg].hash, Buffer.from(`${env.protected}.${env.payload}`), joseOptions(alg, leafKey), Buffer.from(env.signature, 'base64url'));
    } catch {
      return false;
    }
  })();
  if (!ok) return fail('bad-signature', `signature does not verify with its certificate "${subjectOf(chain[0]!)}": altered`);

  let target: unknown;
  try {
    target = (JSON.parse(Buffer.from(env.payload, 'base64url').toString('utf8')) as { targetArtifact?: { digest?: unknown } }).targetArtifact?.digest;
  } catch {
    return fail('malformed', 'JWS payload is not JSON');
  }
  if (target !== manifestDigest) return fail('digest-mismatch', `Notation signature is for ${String(target)}, not ${manifestDigest}`);
  const expiry = header['io.cncf.notary.expiry'];
  if (expiry !== undefined) {
    if (!crit.includes('io.cncf.notary.expiry')) return fail('malformed', 'expiry is present but not marked critical');
    if (!(new Date(String(expiry)) >= now)) return fail('expired', `Notation signature expired at ${String(expiry)}`);
  }
  return checkChain(chain, trusted, now);
}
