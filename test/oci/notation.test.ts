import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  NOTATION_ARTIFACT_TYPE,
  attachNotationSignature,
  createNotationSignature,
  fetchNotationSignatures,
  subjectOf,
  verifyNotationSignature,
} from '../../src/oci/notation.js';
import type { Descriptor } from '../../src/oci/signature-source.js';
import { encodeJson } from '../../src/oci/manifest.js';
import { MemorySignatureSource } from '../helpers/memory-signature-source.js';
import { makeNotationPki, pushComponentManifest, type NotationPki } from '../helpers/signing.js';

const target: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'ab'.repeat(32)}`, size: 321 };
let rsa: NotationPki;
let ec: NotationPki;
let other: NotationPki;
let ca: X509Certificate;

beforeAll(() => {
  rsa = makeNotationPki({ name: 'Acme' });
  ec = makeNotationPki({ name: 'Ec', keyType: 'ec' });
  other = makeNotationPki({ name: 'Other' });
  ca = new X509Certificate(rsa.caCertPem);
});

type Env = { payload: string; protected: string; header: { x5c: string[] }; signature: string };
function edit(jws: Uint8Array, change: (env: Env) => void): Uint8Array {
  const env = JSON.parse(Buffer.from(jws).toString()) as Env;
  change(env);
  return encodeJson(env);
}
const decode = (s: string): Record<string, unknown> => JSON.parse(Buffer.from(s, 'base64url').toString()) as Record<string, unknown>;
const encode = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
/** Re-signs an edited protected header so only the edit, not the signature, is under test. */
function resign(env: Env, keyPem: string): void {
  env.signature = sign('sha256', Buffer.from(`${env.protected}.${env.payload}`), { key: createPrivateKey(keyPem), padding: 6, saltLength: 32 }).toString(
    'base64url',
  );
}

describe('createNotationSignature', () => {
  it('writes the Notation JWS envelope shape', () => {
    const env = JSON.parse(Buffer.from(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem])).toString()) as Env;
    const header = decode(env.protected);
    expect(header).toMatchObject({
      alg: 'PS256',
      cty: 'application/vnd.cncf.notary.payload.v1+json',
      crit: ['io.cncf.notary.signingScheme'],
      'io.cncf.notary.signingScheme': 'notary.x509',
    });
    expect(typeof header['io.cncf.notary.signingTime']).toBe('string');
    expect(decode(env.payload)).toEqual({ targetArtifact: target });
    expect(env.header.x5c).toHaveLength(2);
    expect(decode(createNotationSignatureHeader(ec)).alg).toBe('ES256');
  });
});

function createNotationSignatureHeader(pki: NotationPki): string {
  return (JSON.parse(Buffer.from(createNotationSignature(target, pki.leafKeyPem, [pki.leafCertPem])).toString()) as Env).protected;
}

describe('verifyNotationSignature', () => {
  const later = new Date(Date.now() + 60 * 24 * 3600 * 1000);
  const cases: Array<[string, () => Uint8Array, () => X509Certificate[], string, Date?]> = [
    ['RSA (PS256) chain to a trusted root', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]), () => [ca], 'ok'],
    ['leaf only, issued by a trusted root', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), () => [ca], 'ok'],
    ['EC (ES256) chain', () => createNotationSignature(target, ec.leafKeyPem, [ec.leafCertPem, ec.caCertPem]), () => [new X509Certificate(ec.caCertPem)], 'ok'],
    ['the leaf itself trusted', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), () => [new X509Certificate(rsa.leafCertPem)], 'ok'],
    [
      'chain to an untrusted root',
      () => createNotationSignature(target, other.leafKeyPem, [other.leafCertPem, other.caCertPem]),
      () => [ca],
      'untrusted-signer',
    ],
    ['no trusted certificates', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]), () => [], 'untrusted-signer'],
    [
      'signed for another artifact',
      () => createNotationSignature({ ...target, digest: `sha256:${'0'.repeat(64)}` }, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]),
      () => [ca],
      'digest-mismatch',
    ],
    [
      'altered payload',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]), (e) => {
          e.payload = encode({ targetArtifact: { ...target, size: 1 } });
        }),
      () => [ca],
      'bad-signature',
    ],
    [
      'x5c swapped for another signer',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]), (e) => {
          e.header.x5c = [other.leafCertPem, other.caCertPem].map((p) => new X509Certificate(p).raw.toString('base64'));
        }),
      () => [ca],
      'bad-signature',
    ],
    ['chain in the wrong order', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, other.caCertPem]), () => [ca], 'malformed'],
    ['certificates expired by now', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]), () => [ca], 'expired', later],
    [
      'signature expiry passed',
      () => createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem], { expiry: new Date(Date.now() - 1000) }),
      () => [ca],
      'expired',
    ],
    [
      'unknown critical header',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), (e) => {
          e.protected = encode({ ...decode(e.protected), crit: ['io.cncf.notary.signingScheme', 'io.cncf.notary.verificationPlugin'] });
          resign(e, rsa.leafKeyPem);
        }),
      () => [ca],
      'unsupported',
    ],
    [
      'wrong content type',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), (e) => {
          e.protected = encode({ ...decode(e.protected), cty: 'application/json' });
          resign(e, rsa.leafKeyPem);
        }),
      () => [ca],
      'malformed',
    ],
    [
      'alg none',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), (e) => {
          e.protected = encode({ ...decode(e.protected), alg: 'none' });
        }),
      () => [ca],
      'unsupported',
    ],
    [
      'alg not matching the key',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), (e) => {
          e.protected = encode({ ...decode(e.protected), alg: 'ES256' });
        }),
      () => [ca],
      'malformed',
    ],
    ['CA certificate as signer', () => createNotationSignature(target, rsa.leafKeyPem, [rsa.caCertPem]), () => [ca], 'bad-signature'],
    [
      'no x5c',
      () =>
        edit(createNotationSignature(target, rsa.leafKeyPem, [rsa.leafCertPem]), (e) => {
          e.header.x5c = [];
        }),
      () => [ca],
      'malformed',
    ],
    ['not JSON', () => new TextEncoder().encode('eyJ.abc.def'), () => [ca], 'malformed'],
  ];

  it.each(cases)('%s', (_name, jws, trusted, expected, now) => {
    const check = verifyNotationSignature(jws(), target.digest, trusted(), now ?? new Date());
    if (expected === 'ok') expect(check).toMatchObject({ ok: true, signer: expect.stringMatching(/^CN=\w+ Signer, O=wassette-test$/) });
    else expect(check).toMatchObject({ ok: false, kind: expected });
  });
});

describe('Notation referrers', () => {
  it('attaches a signature with thumbprints and finds it again', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, 'team/tool', '1.0');
    await attachNotationSignature(source, 'team/tool', desc, createNotationSignature(desc, rsa.leafKeyPem, [rsa.leafCertPem, rsa.caCertPem]));
    const referrers = await source.referrers('team/tool', desc.digest, NOTATION_ARTIFACT_TYPE);
    expect(referrers).toHaveLength(1);
    const thumbs = JSON.parse(referrers[0]!.annotations!['io.cncf.notary.x509chain.thumbprint#S256']!) as string[];
    expect(thumbs[0]).toBe(new X509Certificate(rsa.leafCertPem).fingerprint256.replace(/:/g, '').toLowerCase());
    const [jws] = await fetchNotationSignatures(source, 'team/tool', desc.digest, referrers);
    expect(verifyNotationSignature(jws!, desc.digest, [ca])).toMatchObject({ ok: true, signer: 'CN=Acme Signer, O=wassette-test' });
  });
});

describe('subjectOf (what a trust rule pins a Notation signer by)', () => {
  function selfSigned(subj: string, extra: string[] = []): X509Certificate {
    const dir = mkdtempSync(join(tmpdir(), 'wassette-subj-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          'k',
          '-out',
          'c',
          '-days',
          '1',
          '-subj',
          subj,
          ...extra,
        ],
        { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return new X509Certificate(readFileSync(join(dir, 'c')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a crafted common name cannot read as another subject (separators and control characters are escaped)', () => {
    const real = subjectOf(selfSigned('/CN=Acme Signer/O=wassette-test'));
    expect(real).toBe('CN=Acme Signer, O=wassette-test');
    const crafted = [
      selfSigned('/CN=Acme Signer, O=wassette-test'),
      selfSigned('/CN=Acme Signer\nO=wassette-test'),
      selfSigned('/CN=Acme Signer+O=wassette-test', ['-multivalue-rdn']),
    ].map(subjectOf);
    for (const s of crafted) expect(s).not.toBe(real);
  });
});
