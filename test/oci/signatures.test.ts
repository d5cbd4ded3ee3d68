import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stillTrusted } from '../../src/oci/signatures.js';
import { isWassetteError, type WassetteError } from '../../src/errors.js';
import { COSIGN_PAYLOAD_MEDIA_TYPE, cosignSignatureTag, signComponent } from '../../src/oci/cosign.js';
import { attachNotationSignature, createNotationSignature } from '../../src/oci/notation.js';
import {
  MemorySignatureSource,
  encodeJson,
  registrySignatureSource,
  parseImageManifest,
  type Descriptor,
  type SignatureSource,
} from '../../src/oci/signature-source.js';
import { loadTrustMaterial, verifySignatures, type SignatureMethod } from '../../src/oci/signatures.js';
import { attachSigstoreBundle } from '../../src/oci/sigstore-bundle.js';
import { parseTrustPolicy, type Requirement } from '../../src/oci/trust-policy.js';
import { RegistryClient } from '../../src/oci/client.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { dsseBundle, generateP256, makeNotationPki, pushComponentManifest, type KeyPair, type NotationPki } from '../helpers/signing.js';

const REPO = 'team/tool';
const REF = `127.0.0.1:5000/${REPO}:1.0`;
type State = 'trusted' | 'unsigned' | 'tampered' | 'untrusted';

let signer: KeyPair;
let stranger: KeyPair;
let pki: NotationPki;
let otherPki: NotationPki;

beforeAll(() => {
  signer = generateP256();
  stranger = generateP256();
  pki = makeNotationPki({ name: 'Acme' });
  otherPki = makeNotationPki({ name: 'Other' });
});

/** Replaces the cosign payload blob with an edited copy, keeping the signature annotations. */
async function tamperCosign(source: SignatureSource, repo: string, digest: string): Promise<void> {
  const tag = cosignSignatureTag(digest);
  const m = parseImageManifest((await source.getManifest(repo, tag))!.bytes, 'sig');
  const layer = m.layers[0]!;
  const doc = JSON.parse(Buffer.from(await source.getBlob(repo, layer)).toString());
  doc.optional = { injected: 'yes' };
  const blob = await source.putBlob(repo, encodeJson(doc), COSIGN_PAYLOAD_MEDIA_TYPE);
  m.layers[0] = { ...layer, digest: blob.digest, size: blob.size };
  await source.putManifest(repo, tag, encodeJson(m), 'application/vnd.oci.image.manifest.v1+json');
}

function editJson(bytes: Uint8Array, change: (doc: any) => void): Uint8Array {
  const doc = JSON.parse(Buffer.from(bytes).toString());
  change(doc);
  return encodeJson(doc);
}

/** Puts a signature of `method` in `state` on `desc` in `source`. */
async function applySignature(source: SignatureSource, desc: Descriptor, method: SignatureMethod, state: State): Promise<void> {
  if (state === 'unsigned') return;
  const key = state === 'untrusted' ? stranger : signer;
  const certs = state === 'untrusted' ? otherPki : pki;
  if (method === 'cosign') {
    await signComponent(source, REPO, desc.digest, key.privateKeyPem);
    if (state === 'tampered') await tamperCosign(source, REPO, desc.digest);
  } else if (method === 'cosign-bundle') {
    let json = dsseBundle(desc.digest, key.privateKeyPem);
    if (state === 'tampered') {
      json = editJson(json, (d) => {
        const st = JSON.parse(Buffer.from(d.dsseEnvelope.payload, 'base64').toString());
        st.predicate = { injected: true };
        d.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
      });
    }
    await attachSigstoreBundle(source, REPO, desc, json);
  } else {
    let jws = createNotationSignature(desc, certs.leafKeyPem, [certs.leafCertPem, certs.caCertPem]);
    if (state === 'tampered') {
      jws = editJson(jws, (e) => {
        e.payload = Buffer.from(JSON.stringify({ targetArtifact: { ...desc, annotations: { injected: 'yes' } } })).toString('base64url');
      });
    }
    await attachNotationSignature(source, REPO, desc, jws);
  }
}

function policyFor(require: Requirement) {
  return parseTrustPolicy([{ scope: '127.0.0.1:5000/team', require, keys: [signer.publicKeyPem], certificates: [pki.caCertPem] }]);
}

const methods: SignatureMethod[] = ['cosign', 'cosign-bundle', 'notation'];
const states: State[] = ['trusted', 'unsigned', 'tampered', 'untrusted'];
const requires: Requirement[] = ['none', 'cosign', 'notation', 'any'];
const matches = (require: Requirement, method: SignatureMethod): boolean =>
  require === 'none' || require === 'any' || (require === 'cosign' ? method !== 'notation' : method === 'notation');
const matrix = methods.flatMap((m) => states.flatMap((s) => requires.map((r) => [m, s, r] as const)));

describe('verifySignatures matrix', () => {
  it.each(matrix)('%s / %s / require %s', async (method, state, require) => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    await applySignature(source, desc, method, state);
    const run = verifySignatures(source, REF, desc.digest, policyFor(require));

    const relevant = state !== 'unsigned' && matches(require, method);
    if (!relevant) {
      if (require === 'none') return expect(await run).toEqual({ status: 'unsigned' });
      return expect(run).rejects.toSatisfy((e: unknown) => isWassetteError(e, 'signature-required'));
    }
    if (state === 'trusted') {
      const outcome = await run;
      expect(outcome).toMatchObject({ status: 'verified', method });
      if (outcome.status === 'verified') expect(outcome.signer).toMatch(method === 'notation' ? /^CN=Acme Signer/ : /^sha256:[0-9a-f]{64}$/);
      return;
    }
    const kind = state === 'tampered' ? 'bad-signature' : 'untrusted-signer';
    if (require === 'none') return expect(await run).toMatchObject({ status: 'failed', method, kind });
    const err = await run.then(
      () => null,
      (e: WassetteError) => e,
    );
    expect(isWassetteError(err, 'signature-invalid')).toBe(true);
    expect(err!.data).toMatchObject({ kind, method });
    expect(err!.message).toMatch(state === 'tampered' ? /invalid .* signature \(bad-signature\)/ : /signed, but not by a trusted key/);
  });
});

describe('verifySignatures', () => {
  it('verifies when any of several signatures is trusted, and names it', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    await applySignature(source, desc, 'cosign', 'untrusted');
    await applySignature(source, desc, 'notation', 'trusted');
    expect(await verifySignatures(source, REF, desc.digest, policyFor('any'))).toEqual({
      status: 'verified',
      method: 'notation',
      signer: 'CN=Acme Signer, O=wassette-test',
      anchor: new X509Certificate(pki.caCertPem).fingerprint256,
    });
  });

  it('lets a recorded outcome stand for cached bytes only while its key or anchor certificate is still trusted', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    await applySignature(source, desc, 'notation', 'trusted');
    const notation = await verifySignatures(source, REF, desc.digest, policyFor('any'));
    const pinned = `${REF.replace(/:1\.0$/, '')}@${desc.digest}`;
    expect(stillTrusted(notation, pinned, policyFor('notation'))).toBe(true);
    expect(stillTrusted(notation, pinned, policyFor('cosign'))).toBe(false);
    // The CA was replaced by another one: the recorded outcome no longer counts.
    const otherCa = parseTrustPolicy([{ scope: '127.0.0.1:5000/team', require: 'notation', certificates: [otherPki.caCertPem] }]);
    expect(stillTrusted(notation, pinned, otherCa)).toBe(false);
    // Records made before anchors were kept are checked again rather than trusted.
    const { anchor: _dropped, ...legacy } = notation as { anchor?: string } & typeof notation;
    expect(stillTrusted(legacy, pinned, policyFor('notation'))).toBe(false);
    expect(stillTrusted({ status: 'unsigned' }, pinned, policyFor('none'))).toBe(true);
    expect(stillTrusted({ status: 'unsigned' }, pinned, policyFor('any'))).toBe(false);
  });

  it('reports tampering before an unknown signer', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    await applySignature(source, desc, 'cosign-bundle', 'untrusted');
    await applySignature(source, desc, 'notation', 'tampered');
    expect(await verifySignatures(source, REF, desc.digest, policyFor('none'))).toMatchObject({ status: 'failed', kind: 'bad-signature', method: 'notation' });
  });

  it('does not accept a signature copied from another component', async () => {
    const source = new MemorySignatureSource();
    const a = await pushComponentManifest(source, REPO, '1.0', 'a');
    const b = await pushComponentManifest(source, REPO, '2.0', 'b');
    await signComponent(source, REPO, a.desc.digest, signer.privateKeyPem);
    // Copy a's .sig manifest to b's tag.
    const sig = await source.getManifest(REPO, cosignSignatureTag(a.desc.digest));
    await source.putManifest(REPO, cosignSignatureTag(b.desc.digest), sig!.bytes, sig!.mediaType);
    await expect(verifySignatures(source, REF, b.desc.digest, policyFor('cosign'))).rejects.toMatchObject({
      code: 'signature-invalid',
      data: { kind: 'digest-mismatch' },
    });
  });

  it('requires signatures everywhere with the global switch', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    await expect(verifySignatures(source, 'other.io/x/y:1', desc.digest, parseTrustPolicy([], true))).rejects.toMatchObject({ code: 'signature-required' });
    expect(await verifySignatures(source, 'other.io/x/y:1', desc.digest, parseTrustPolicy([], false))).toEqual({ status: 'unsigned' });
  });

  it('reads keys and certificates from files named in the policy', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    await applySignature(source, desc, 'cosign', 'trusted');
    const files: Record<string, string> = { '/keys/team.pub': signer.publicKeyPem, '/certs/ca.pem': pki.caCertPem + otherPki.caCertPem };
    const readText = (p: string): string => {
      const text = files[p];
      if (text === undefined) throw new Error(`ENOENT ${p}`);
      return text;
    };
    const policy = parseTrustPolicy([{ scope: '127.0.0.1:5000', require: 'cosign', keys: ['/keys/team.pub'], certificates: ['/certs/ca.pem'] }]);
    expect(await verifySignatures(source, REF, desc.digest, policy, { readText })).toMatchObject({ status: 'verified', method: 'cosign' });
    expect(loadTrustMaterial({ keys: [], certificates: ['/certs/ca.pem'] }, readText).certificates).toHaveLength(2);
    expect(() => loadTrustMaterial({ keys: ['/missing.pub'], certificates: [] }, readText)).toThrow(/cannot be read/);
    expect(() => loadTrustMaterial({ keys: ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'], certificates: [] }, readText)).toThrow(
      /not a PEM public key/,
    );
  });

  it('lets registry errors through when signatures are required, and reports them otherwise', async () => {
    const source = new MemorySignatureSource();
    const { desc } = await pushComponentManifest(source, REPO, '1.0');
    source.referrers = async () => {
      throw new Error('registry down');
    };
    await expect(verifySignatures(source, REF, desc.digest, policyFor('any'))).rejects.toThrow('registry down');
    expect(await verifySignatures(source, REF, desc.digest, policyFor('none'))).toMatchObject({ status: 'failed', reason: /registry down/ });
  });
});

describe('against a real registry (docker-registry 2.x, no referrers API)', () => {
  let reg: RunningRegistry;
  let source: SignatureSource;
  beforeAll(async () => {
    reg = await startRegistry();
    source = registrySignatureSource(new RegistryClient(), reg.registry);
  }, 30_000);
  afterAll(async () => {
    await destroyRegistry(reg);
  });

  it.each(methods)('%s: signed, verified, and rejected when signed by a stranger', async (method) => {
    const repo = `team/${method}`;
    const ref = `${reg.registry}/${repo}:1.0`;
    const policy = parseTrustPolicy([{ scope: reg.registry, require: 'any', keys: [signer.publicKeyPem], certificates: [pki.caCertPem] }]);
    const { desc } = await pushComponentManifest(source, repo, '1.0');
    await expect(verifySignatures(source, ref, desc.digest, policy)).rejects.toMatchObject({ code: 'signature-required' });

    if (method === 'cosign') await signComponent(source, repo, desc.digest, signer.privateKeyPem, { dockerReference: `${reg.registry}/${repo}` });
    else if (method === 'cosign-bundle') await attachSigstoreBundle(source, repo, desc, dsseBundle(desc.digest, signer.privateKeyPem));
    else await attachNotationSignature(source, repo, desc, createNotationSignature(desc, pki.leafKeyPem, [pki.leafCertPem, pki.caCertPem]));
    expect(await verifySignatures(source, ref, desc.digest, policy)).toMatchObject({ status: 'verified', method });

    const other = await pushComponentManifest(source, repo, '2.0', 'other');
    const strangerPolicy = parseTrustPolicy([{ scope: reg.registry, require: 'any', keys: [stranger.publicKeyPem], certificates: [otherPki.caCertPem] }]);
    await expect(verifySignatures(source, `${reg.registry}/${repo}:2.0`, other.desc.digest, policy)).rejects.toMatchObject({ code: 'signature-required' });
    await expect(verifySignatures(source, ref, desc.digest, strangerPolicy)).rejects.toMatchObject({
      code: 'signature-invalid',
      data: { kind: 'untrusted-signer' },
    });
  });

  it('keeps both referrers when two are attached to one manifest', async () => {
    const repo = 'team/both';
    const { desc } = await pushComponentManifest(source, repo, '1.0');
    await attachSigstoreBundle(source, repo, desc, dsseBundle(desc.digest, stranger.privateKeyPem));
    await attachNotationSignature(source, repo, desc, createNotationSignature(desc, pki.leafKeyPem, [pki.leafCertPem]));
    expect(await source.referrers(repo, desc.digest)).toHaveLength(2);
    const policy = parseTrustPolicy([{ scope: reg.registry, require: 'notation', certificates: [pki.caCertPem] }]);
    expect(await verifySignatures(source, `${reg.registry}/${repo}@${desc.digest}`, desc.digest, policy)).toMatchObject({
      status: 'verified',
      method: 'notation',
    });
  });
});
