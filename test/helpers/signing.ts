// Test helpers: P-256 keys, a Notation CA and leaf made with openssl, sigstore bundles, a fake component manifest.
import { toDSSEBundle, toMessageSignatureBundle, bundleToJSON } from '@sigstore/bundle';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Digest } from '../../src/oci/digest.js';
import type { Descriptor, SignatureSource } from '../../src/oci/signature-source.js';
import { encodeJson } from '../../src/oci/manifest.js';

export interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh ECDSA P-256 key pair as PKCS#8 / SPKI PEM (what `openssl ecparam` + `pkcs8` give). */
export function generateP256(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface NotationPki {
  caCertPem: string;
  leafCertPem: string;
  leafKeyPem: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A root CA and a code-signing leaf issued by it, made by the openssl CLI in a temp dir. */
export function makeNotationPki(options: { name?: string; keyType?: 'rsa' | 'ec' } = {}): NotationPki {
  const name = options.name ?? 'Test';
  const newKey = options.keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  const dir = mkdtempSync(join(tmpdir(), 'wassette-pki-'));
  try {
    openssl(dir, [
      'req',
      '-x509',
      ...newKey,
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      `/CN=${name} Root CA/O=wassette-test`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl(dir, ['req', ...newKey, '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${name} Signer/O=wassette-test`]);
    writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n');
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.crt',
      '-days',
      '7',
      '-extfile',
      'leaf.ext',
    ]);
    return {
      caCertPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
      leafCertPem: readFileSync(join(dir, 'leaf.crt'), 'utf8'),
      leafKeyPem: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** base64 SHA-256 of the SPKI DER: the key hint sigstore clients write. */
export function keyHint(privateKeyPem: string): string {
  const der = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** A message-signature bundle: ECDSA over the manifest bytes, digest = the manifest digest. */
export function messageSignatureBundle(manifestBytes: Uint8Array, privateKeyPem: string, options: { hint?: string } = {}): Uint8Array {
  const bytes = Buffer.from(manifestBytes);
  const bundle = toMessageSignatureBundle({
    digest: createHash('sha256').update(bytes).digest(),
    signature: sign('sha256', bytes, privateKeyPem),
    keyHint: options.hint ?? keyHint(privateKeyPem),
  });
  return encodeJson(bundleToJSON(bundle));
}

/** A DSSE bundle over an in-toto statement whose subject is `manifestDigest`. */
export function dsseBundle(manifestDigest: string, privateKeyPem: string, options: { hint?: string; subjectDigest?: string } = {}): Uint8Array {
  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'component', digest: { sha256: (options.subjectDigest ?? manifestDigest).slice('sha256:'.length) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    }),
  );
  const payloadType = 'application/vnd.in-toto+json';
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${statement.length} `), statement]);
  const bundle = toDSSEBundle({
    artifact: statement,
    artifactType: payloadType,
    signature: sign('sha256', pae, privateKeyPem),
    keyHint: options.hint ?? keyHint(privateKeyPem),
  });
  return encodeJson(bundleToJSON(bundle));
}

/** Pushes a small component-like manifest (wasm layer + config) and tags it; returns its descriptor and bytes. */
export async function pushComponentManifest(
  source: SignatureSource,
  repo: string,
  tag: string,
  content = 'wasm',
): Promise<{ desc: Descriptor; bytes: Uint8Array }> {
  const layer = await source.putBlob(repo, new TextEncoder().encode(`\0asm-${content}`), 'application/wasm');
  const config = await source.putBlob(repo, new TextEncoder().encode('{}'), 'application/vnd.wasm.config.v0+json');
  const bytes = encodeJson({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
  });
  const digest = await source.putManifest(repo, tag, bytes, 'application/vnd.oci.image.manifest.v1+json');
  if (digest !== sha256Digest(bytes)) throw new Error('registry changed the manifest digest');
  return { desc: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: bytes.byteLength }, bytes };
}
