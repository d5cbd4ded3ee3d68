import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchTrust, ruleFromLoad, type TrustRule } from '../../src/approvals/trust-rules.js';
import { signerIdentity, subjectSignature } from '../../src/core/trust.js';
import { keyFingerprint } from '../../src/oci/cosign.js';

const SUBJECT = 'CN=Acme Signer, O=wassette-test';
const CA1 = 'AB:CD:EF:01';
const CA2 = '12:34:56:78';
const source = `oci://registry.example:5000/acme/tool@sha256:${'a'.repeat(64)}`;

describe('signer identity', () => {
  it('keeps a key fingerprint as it is and pins a certificate subject to the trusted certificate it ended at', () => {
    expect(signerIdentity('sha256:abc', undefined)).toBe('sha256:abc');
    expect(signerIdentity(SUBJECT, CA1)).toBe(`${SUBJECT} anchored at sha256:abcdef01`);
    expect(subjectSignature({ status: 'verified', method: 'notation', signer: SUBJECT, anchor: CA1 })).toEqual({
      status: 'verified',
      signer: `${SUBJECT} anchored at sha256:abcdef01`,
    });
    expect(subjectSignature({ status: 'unsigned' })).toEqual({ status: 'unsigned' });
    expect(subjectSignature(undefined)).toEqual({ status: 'unsigned' });
  });

  it('a rule made from a Notation load does not trust the same subject issued by another trusted CA', () => {
    const first = { source, signature: subjectSignature({ status: 'verified', method: 'notation', signer: SUBJECT, anchor: CA1 }), permissions: [] };
    const made = ruleFromLoad(first, 'user (cli)');
    expect(made?.signer).toContain('anchored at sha256:abcdef01');
    const rule: TrustRule = { ...made!, id: 'tr-1', createdAt: 1 };
    expect(matchTrust([rule], first).trusted).toBe(true);
    const sameName = { ...first, signature: subjectSignature({ status: 'verified', method: 'notation', signer: SUBJECT, anchor: CA2 }) };
    const v = matchTrust([rule], sameName);
    expect(v.trusted).toBe(false);
    expect(v.trusted === false && v.reasons[0]).toContain('anchored at sha256:12345678');
  });

  it('a subject that spells the pinned anchor itself, issued by another CA, is not the pinned signer', () => {
    // The anchor is always the last, fixed-length part, so a subject cannot end with another CA's fingerprint.
    const a1 = Array.from({ length: 32 }, () => 'AB').join(':');
    const a2 = Array.from({ length: 32 }, () => '12').join(':');
    const first = { source, signature: subjectSignature({ status: 'verified', method: 'notation', signer: SUBJECT, anchor: a1 }), permissions: [] };
    const rule: TrustRule = { ...ruleFromLoad(first, 'user (cli)')!, id: 'tr-1', createdAt: 1 };
    const forged = `${SUBJECT} anchored at sha256:${'ab'.repeat(32)}`;
    const viaOtherCa = { ...first, signature: subjectSignature({ status: 'verified', method: 'notation', signer: forged, anchor: a2 }) };
    expect(matchTrust([rule], viaOtherCa).trusted).toBe(false);
    // Nor can a key fingerprint (cosign: sha256:<hex>, no spaces) equal a pinned certificate identity.
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    expect(keyFingerprint(key)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rule.signer).toMatch(/ anchored at sha256:[0-9a-f]{64}$/);
  });
});
