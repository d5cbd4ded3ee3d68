import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  COSIGN_PAYLOAD_MEDIA_TYPE,
  COSIGN_SIGNATURE_ANNOTATION,
  SIGNER_HINT_ANNOTATION,
  cosignSignatureTag,
  fetchCosignSignatures,
  keyFingerprint,
  payloadDigest,
  signComponent,
  simpleSigningPayload,
  toTrustedKey,
  verifyCosignSignature,
  type CosignSignature,
} from '../../src/oci/cosign.js';
import { MemorySignatureSource, encodeJson, parseImageManifest } from '../../src/oci/signature-source.js';
import { generateP256, pushComponentManifest } from '../helpers/signing.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;

describe('cosign formats', () => {
  it('names the signature tag after the digest', () => {
    expect(cosignSignatureTag(DIGEST)).toBe(`sha256-${'ab'.repeat(32)}.sig`);
  });

  it('writes the simple-signing payload cosign writes', () => {
    const doc = JSON.parse(Buffer.from(simpleSigningPayload('127.0.0.1:5000/team/tool', DIGEST)).toString());
    expect(doc).toEqual({
      critical: {
        identity: { 'docker-reference': '127.0.0.1:5000/team/tool' },
        image: { 'docker-manifest-digest': DIGEST },
        type: 'cosign container image signature',
      },
      optional: null,
    });
  });

  it.each([
    ['valid', simpleSigningPayload('r', DIGEST), { digest: DIGEST }],
    ['not json', new TextEncoder().encode('{'), 'error'],
    ['wrong type', encodeJson({ critical: { type: 'atomic container signature', image: { 'docker-manifest-digest': DIGEST } } }), 'error'],
    ['no digest', encodeJson({ critical: { type: 'cosign container image signature', image: {} } }), 'error'],
    ['bad digest', encodeJson({ critical: { type: 'cosign container image signature', image: { 'docker-manifest-digest': 'sha256:xyz' } } }), 'error'],
  ])('payloadDigest: %s', (_name, payload, expected) => {
    const got = payloadDigest(payload);
    if (expected === 'error') expect(got).toHaveProperty('error');
    else expect(got).toEqual(expected);
  });
});

describe('verifyCosignSignature (pure)', () => {
  const signer = generateP256();
  const stranger = generateP256();
  const trusted = [toTrustedKey(signer.publicKeyPem)];
  const payload = simpleSigningPayload('r', DIGEST);
  const good = (over: Partial<CosignSignature> = {}): CosignSignature => ({
    payload,
    signature: sign('sha256', payload, signer.privateKeyPem).toString('base64'),
    signerHint: undefined,
    ...over,
  });
  const tampered = simpleSigningPayload('other-repo', DIGEST);

  it.each([
    ['trusted signature', good(), [trusted], 'ok'],
    ['no trusted keys', good(), [[]], 'untrusted-signer'],
    ['signed by another key', good({ signature: sign('sha256', payload, stranger.privateKeyPem).toString('base64') }), [trusted], 'untrusted-signer'],
    ['altered payload, hint names trusted key', good({ payload: tampered, signerHint: trusted[0]!.fingerprint }), [trusted], 'bad-signature'],
    ['altered payload, no hint', good({ payload: tampered }), [trusted], 'untrusted-signer'],
    ['payload for another image', good({ payload: simpleSigningPayload('r', OTHER) }), [trusted], 'digest-mismatch'],
    ['missing signature annotation', good({ signature: '' }), [trusted], 'malformed'],
    ['garbage payload', good({ payload: new TextEncoder().encode('nope') }), [trusted], 'malformed'],
  ])('%s', (_name, sig, [keys], expected) => {
    const check = verifyCosignSignature(sig, DIGEST, keys!);
    if (expected === 'ok') expect(check).toEqual({ ok: true, signer: trusted[0]!.fingerprint });
    else expect(check).toMatchObject({ ok: false, kind: expected });
  });

  it('accepts Ed25519 and RSA keys that cosign can also use', () => {
    for (const type of ['ed25519', 'rsa'] as const) {
      const { privateKey, publicKey } = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const sigBytes = sign(type === 'rsa' ? 'sha256' : null, payload, privateKey);
      const key = { key: publicKey, fingerprint: keyFingerprint(publicKey) };
      expect(verifyCosignSignature(good({ signature: sigBytes.toString('base64') }), DIGEST, [key])).toMatchObject({ ok: true });
    }
  });
});

describe('signComponent', () => {
  it('writes a .sig manifest that verifies with the public key', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, 'team/tool', '1.0');
    const keys = generateP256();
    const result = await signComponent(source, 'team/tool', desc.digest, keys.privateKeyPem, { dockerReference: '127.0.0.1:5000/team/tool' });
    expect(result.tag).toBe(cosignSignatureTag(desc.digest));
    expect(result.signer).toBe(keyFingerprint(createPublicKey(keys.publicKeyPem)));

    const sigManifest = await source.getManifest('team/tool', result.tag);
    const manifest = parseImageManifest(sigManifest!.bytes, 'sig');
    expect(manifest.layers).toHaveLength(1);
    expect(manifest.layers[0]!.mediaType).toBe(COSIGN_PAYLOAD_MEDIA_TYPE);
    expect(manifest.layers[0]!.annotations?.[COSIGN_SIGNATURE_ANNOTATION]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(manifest.config?.mediaType).toBe('application/vnd.oci.image.config.v1+json');

    const [sig] = await fetchCosignSignatures(source, 'team/tool', desc.digest);
    expect(JSON.parse(Buffer.from(sig!.payload).toString()).critical.identity['docker-reference']).toBe('127.0.0.1:5000/team/tool');
    expect(verifyCosignSignature(sig!, desc.digest, [toTrustedKey(keys.publicKeyPem)])).toEqual({ ok: true, signer: result.signer });
  });

  it('keeps earlier signatures when signing again', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, 'team/tool', '1.0');
    const [a, b] = [generateP256(), generateP256()];
    await signComponent(source, 'team/tool', desc.digest, a.privateKeyPem);
    await signComponent(source, 'team/tool', desc.digest, b.privateKeyPem);
    const sigs = await fetchCosignSignatures(source, 'team/tool', desc.digest);
    expect(sigs).toHaveLength(2);
    expect(verifyCosignSignature(sigs[0]!, desc.digest, [toTrustedKey(a.publicKeyPem)])).toMatchObject({ ok: true });
    expect(verifyCosignSignature(sigs[1]!, desc.digest, [toTrustedKey(b.publicKeyPem)])).toMatchObject({ ok: true });
    expect(sigs[1]!.signerHint).toBe(toTrustedKey(b.publicKeyPem).fingerprint);
  });

  it('returns no signatures when the .sig tag is absent', async () => {
    expect(await fetchCosignSignatures(new MemorySignatureSource(), 'team/tool', DIGEST)).toEqual([]);
  });

  it.each([
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /P-256/],
    ['a cosign-encrypted key', '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n', /cosign-encrypted/],
    ['not a key', 'hello', /not an unencrypted PEM private key/],
  ])('refuses %s', async (_name, pem, message) => {
    const source = new MemorySignatureSource();
    await expect(signComponent(source, 'team/tool', DIGEST, pem)).rejects.toThrow(message);
  });

  it('refuses a non-digest target', async () => {
    await expect(signComponent(new MemorySignatureSource(), 'r', 'latest', generateP256().privateKeyPem)).rejects.toThrow(/sha256/);
  });

  it('never trusts the hint annotation alone', () => {
    const keys = generateP256();
    const payload = simpleSigningPayload('r', DIGEST);
    const sig: CosignSignature = { payload, signature: Buffer.alloc(70, 1).toString('base64'), signerHint: toTrustedKey(keys.publicKeyPem).fingerprint };
    expect(verifyCosignSignature(sig, DIGEST, [toTrustedKey(keys.publicKeyPem)])).toMatchObject({ ok: false, kind: 'bad-signature' });
    expect(SIGNER_HINT_ANNOTATION).toMatch(/^dev\.wassette\//);
  });
});
