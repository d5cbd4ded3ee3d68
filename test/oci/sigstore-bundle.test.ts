import { createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toTrustedKey } from '../../src/oci/cosign.js';
import { MemorySignatureSource, encodeJson } from '../../src/oci/signature-source.js';
import {
  SIGSTORE_BUNDLE_ARTIFACT_TYPE,
  attachSigstoreBundle,
  bundleKeyHint,
  fetchBundles,
  mayHoldBundle,
  verifyBundle,
} from '../../src/oci/sigstore-bundle.js';
import { dsseBundle, generateP256, keyHint, makeNotationPki, messageSignatureBundle, pushComponentManifest } from '../helpers/signing.js';

const signer = generateP256();
const stranger = generateP256();
const trusted = [toTrustedKey(signer.publicKeyPem)];
const manifest = encodeJson({ schemaVersion: 2, layers: [] });
const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
const bytes = async (): Promise<Uint8Array> => manifest;

function edit(json: Uint8Array, change: (doc: Record<string, any>) => void): Uint8Array {
  const doc = JSON.parse(Buffer.from(json).toString()) as Record<string, any>;
  change(doc);
  return encodeJson(doc);
}

describe('verifyBundle', () => {
  it.each([
    ['message signature by trusted key', messageSignatureBundle(manifest, signer.privateKeyPem), 'ok'],
    ['DSSE statement by trusted key', dsseBundle(digest, signer.privateKeyPem), 'ok'],
    ['message signature by another key', messageSignatureBundle(manifest, stranger.privateKeyPem), 'untrusted-signer'],
    ['DSSE by another key', dsseBundle(digest, stranger.privateKeyPem), 'untrusted-signer'],
    ['DSSE for another image', dsseBundle(`sha256:${'0'.repeat(64)}`, signer.privateKeyPem), 'digest-mismatch'],
    ['message signature over other bytes', messageSignatureBundle(encodeJson({ other: true }), signer.privateKeyPem), 'digest-mismatch'],
    [
      'altered DSSE payload',
      edit(dsseBundle(digest, signer.privateKeyPem), (d) => {
        const st = JSON.parse(Buffer.from(d.dsseEnvelope.payload, 'base64').toString());
        st.predicate = { injected: true };
        d.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
      }),
      'bad-signature',
    ],
    [
      'altered message signature',
      edit(messageSignatureBundle(manifest, signer.privateKeyPem), (d) => {
        d.messageSignature.signature = sign('sha256', Buffer.from('x'), signer.privateKeyPem).toString('base64');
      }),
      'bad-signature',
    ],
    ['not a bundle', encodeJson({ hello: 'world' }), 'malformed'],
    ['not JSON', new TextEncoder().encode('{'), 'malformed'],
  ])('%s', async (_name, json, expected) => {
    const check = await verifyBundle(json, digest, trusted, bytes);
    if (expected === 'ok') expect(check).toEqual({ ok: true, signer: trusted[0]!.fingerprint });
    else expect(check).toMatchObject({ ok: false, kind: expected });
  });

  it('says untrusted when no keys are configured', async () => {
    expect(await verifyBundle(dsseBundle(digest, signer.privateKeyPem), digest, [], bytes)).toMatchObject({
      kind: 'untrusted-signer',
      reason: /no trusted keys/,
    });
  });

  it('refuses keyless (certificate) bundles offline', async () => {
    const pki = makeNotationPki({ keyType: 'ec' });
    const json = edit(dsseBundle(digest, pki.leafKeyPem), (d) => {
      const der = Buffer.from(pki.leafCertPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
      d.verificationMaterial = { certificate: { rawBytes: der.toString('base64') }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } };
    });
    expect(await verifyBundle(json, digest, trusted, bytes)).toMatchObject({ kind: 'unsupported', reason: /keyless/ });
  });

  it('ignores transparency-log entries it cannot check offline', async () => {
    const json = edit(dsseBundle(digest, signer.privateKeyPem), (d) => {
      d.verificationMaterial.tlogEntries = [
        {
          logIndex: '1',
          logId: { keyId: 'AAAA' },
          kindVersion: { kind: 'dsse', version: '0.0.1' },
          integratedTime: '1700000000',
          inclusionPromise: { signedEntryTimestamp: 'AAAA' },
          inclusionProof: { logIndex: '1', rootHash: 'AAAA', treeSize: '2', hashes: [], checkpoint: { envelope: 'x' } },
          canonicalizedBody: 'e30=',
        },
      ];
    });
    expect(await verifyBundle(json, digest, trusted, bytes)).toMatchObject({ ok: true });
  });

  it('uses the conventional key hint', () => {
    expect(bundleKeyHint(trusted[0]!)).toBe(keyHint(signer.privateKeyPem));
  });
});

describe('bundles as referrers', () => {
  it('attaches and finds bundles for the subject only', async () => {
    const source = new MemorySignatureSource();
    const a = await pushComponentManifest(source, 'team/tool', '1.0', 'a');
    const b = await pushComponentManifest(source, 'team/tool', '2.0', 'b');
    const attached = await attachSigstoreBundle(source, 'team/tool', a.desc, dsseBundle(a.desc.digest, signer.privateKeyPem));
    await attachSigstoreBundle(source, 'team/tool', b.desc, dsseBundle(b.desc.digest, signer.privateKeyPem));
    expect(attached.artifactType).toBe(SIGSTORE_BUNDLE_ARTIFACT_TYPE);

    const referrers = await source.referrers('team/tool', a.desc.digest);
    expect(referrers).toHaveLength(1);
    expect(referrers[0]!.annotations?.['dev.sigstore.bundle.content']).toBe('dsse-envelope');
    const found = await fetchBundles(source, 'team/tool', a.desc.digest, referrers);
    expect(found).toHaveLength(1);
    expect(await verifyBundle(found[0]!, a.desc.digest, trusted, bytes)).toMatchObject({ ok: true });
    // A referrer listed for `a` whose manifest names another subject is skipped.
    expect(await fetchBundles(source, 'team/tool', b.desc.digest, referrers)).toEqual([]);
  });

  it.each([
    [SIGSTORE_BUNDLE_ARTIFACT_TYPE, true],
    ['application/vnd.oci.empty.v1+json', true],
    ['application/vnd.cncf.notary.signature', false],
    [undefined, false],
  ])('mayHoldBundle(%s) = %s', (artifactType, expected) => {
    expect(mayHoldBundle({ mediaType: 'm', digest: 'd', size: 1, ...(artifactType ? { artifactType } : {}) })).toBe(expected);
  });
});
