// Signatures end to end: `wassette sign`, then loads of signed / unsigned / altered / foreign-key components
// under no trust policy, a cosign policy with a key, and --require-signatures (CLI and serve).
import { createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/client.js';
import { COSIGN_SIGNATURE_ANNOTATION, cosignSignatureTag, keyFingerprint } from '../../src/oci/cosign.js';
import { encodeJson } from '../../src/oci/manifest.js';
import { call, childEnv, CLI, fixture, ROOT, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { generateP256 } from '../helpers/signing.js';

type Case = 'signed' | 'unsigned' | 'altered' | 'foreign';
const CASES: Case[] = ['signed', 'unsigned', 'altered', 'foreign'];

/** `serve` with extra flags: the shared session helper only runs plain `serve`. */
async function serveWith(home: string, args: string[]): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'serve', ...args], env: childEnv(home), cwd: ROOT, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'wassette-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, listChanged: () => 0, logs: [], close: () => client.close() };
}

describe('signatures through the CLI and the stdio server', () => {
  let reg: RunningRegistry;
  const work = tempHome('wassette-sig-');
  const trusted = generateP256();
  const foreign = generateP256();
  const trustedFp = keyFingerprint(createPublicKey(trusted.publicKeyPem));
  const foreignFp = keyFingerprint(createPublicKey(foreign.publicKeyPem));
  const ref = {} as Record<Case, string>;
  const keyFile = (name: string, pem: string) => {
    const p = join(work.home, name);
    writeFileSync(p, pem);
    return p;
  };
  let trustedKey = '';
  let trustedPub = '';

  /** A home whose config.yaml holds `yaml`. */
  function homeWith(yaml: string): { home: string; cleanup(): void } {
    const h = tempHome('wassette-sig-home-');
    writeFileSync(join(h.home, 'config.yaml'), yaml);
    return h;
  }

  beforeAll(async () => {
    reg = await startRegistry();
    trustedKey = keyFile('trusted.pem', trusted.privateKeyPem);
    trustedPub = keyFile('trusted.pub', trusted.publicKeyPem);
    const foreignKey = keyFile('foreign.pem', foreign.privateKeyPem);
    for (const c of CASES) {
      const pub = await runCli(['publish', fixture('all-types'), `oci://${reg.registry}/sig/${c}:1`], { home: work.home });
      if (pub.code !== 0) throw new Error(pub.stderr);
      ref[c] = `oci://${reg.registry}/sig/${c}:1`;
    }
    for (const [c, key] of [
      ['altered', trustedKey],
      ['foreign', foreignKey],
    ] as const) {
      const s = await runCli(['sign', ref[c], '--key', key], { home: work.home });
      if (s.code !== 0) throw new Error(s.stderr);
    }
    // Alter the trusted signature of `altered` after the fact: flip a bit in its signature annotation.
    const client = new RegistryClient();
    const target = { registry: reg.registry, repository: 'sig/altered' };
    const digest = (await client.resolve(target, '1'))!.digest;
    const sig = await client.getManifest(target, cosignSignatureTag(digest));
    if (sig.parsed.kind !== 'manifest') throw new Error('expected a signature manifest');
    const layer = sig.parsed.manifest.layers[0]!;
    const raw = Buffer.from(layer.annotations![COSIGN_SIGNATURE_ANNOTATION]!, 'base64');
    raw[raw.length - 3]! ^= 0x01;
    layer.annotations![COSIGN_SIGNATURE_ANNOTATION] = raw.toString('base64');
    await client.putManifest(target, cosignSignatureTag(digest), encodeJson(sig.parsed.manifest), sig.mediaType);
  });
  afterAll(async () => {
    await destroyRegistry(reg);
    work.cleanup();
  });

  it('wassette sign resolves the tag and signs the manifest digest with the key', async () => {
    const r = await runCli(['sign', ref.signed, '--key', trustedKey, '--json'], { home: work.home });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { reference: string; manifestDigest: string; signer: string; signatureTag: string };
    const digest = (await new RegistryClient().resolve({ registry: reg.registry, repository: 'sig/signed' }, '1'))!.digest;
    expect(out.manifestDigest).toBe(digest);
    expect(out.reference).toBe(`oci://${reg.registry}/sig/signed@${digest}`);
    expect(out.signer).toBe(trustedFp);
    expect(out.signatureTag).toBe(cosignSignatureTag(digest));
    const missing = await runCli(['sign', `oci://${reg.registry}/sig/nothing:1`, '--key', trustedKey], { home: work.home });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
    const noKey = await runCli(['sign', ref.signed], { home: work.home });
    expect(noKey.code).toBe(2);
  });

  it('with no trust policy every case loads; outcomes are reported, never enforced', async () => {
    const h = tempHome();
    const s = await startStdioSession({ home: h.home });
    try {
      for (const c of CASES) {
        const r = await call(s, 'load_component', { path: ref[c] });
        expect(r.isError, `${c}: ${text(r)}`).toBeFalsy();
      }
      const list = (await call(s, 'list_components')).structuredContent?.components as Array<{ source: string; verification: Record<string, string> }>;
      const v = (c: Case) => list.find((x) => x.source.startsWith(ref[c]))?.verification;
      expect(v('unsigned')).toEqual({ status: 'unsigned' });
      // No keys configured: a signature exists but nobody is trusted to have made it.
      expect(v('signed')).toMatchObject({ status: 'failed', method: 'cosign', kind: 'untrusted-signer' });
      expect(v('foreign')).toMatchObject({ status: 'failed', kind: 'untrusted-signer' });
    } finally {
      await s.close();
      h.cleanup();
    }
  });

  it('with require: cosign and the key, only the validly signed component loads, and list_components names the signer', async () => {
    const h = homeWith(`trust:\n  - scope: "${reg.registry}/sig"\n    require: cosign\n    keys: [${trustedPub}]\n`);
    const s = await startStdioSession({ home: h.home });
    try {
      const ok = await call(s, 'load_component', { path: ref.signed });
      expect(ok.isError, text(ok)).toBeFalsy();
      expect(ok.structuredContent?.verification).toEqual({ status: 'verified', method: 'cosign', signer: trustedFp });

      const unsigned = await call(s, 'load_component', { path: ref.unsigned });
      expect(unsigned.isError).toBe(true);
      expect(text(unsigned)).toMatch(/has no cosign signature, but the trust policy .* requires one/);

      const altered = await call(s, 'load_component', { path: ref.altered });
      expect(altered.isError).toBe(true);
      expect(text(altered)).toMatch(/invalid cosign signature \(bad-signature\).*altered/);

      const foreignLoad = await call(s, 'load_component', { path: ref.foreign });
      expect(foreignLoad.isError).toBe(true);
      expect(text(foreignLoad)).toMatch(/signed, but not by a trusted key/);
      expect(text(foreignLoad)).toContain(foreignFp);

      const list = (await call(s, 'list_components')).structuredContent?.components as Array<{ id: string; verification: unknown }>;
      expect(list).toHaveLength(1);
      expect(list[0]?.verification).toEqual({ status: 'verified', method: 'cosign', signer: trustedFp });
    } finally {
      await s.close();
    }
    // The CLI shows the outcome too: component list's SIGNATURE column and inspect.
    const table = await runCli(['component', 'list'], { home: h.home });
    expect(table.stdout).toMatch(/SIGNATURE/);
    expect(table.stdout).toContain(`verified cosign ${trustedFp.slice(0, 19)}…`);
    const inspect = await runCli(['inspect', ref.signed], { home: h.home });
    expect(inspect.stdout).toContain(`signature: verified (cosign, signer ${trustedFp})`);
    h.cleanup();
  });

  it('--require-signatures on component load enforces signatures with keys from the config', async () => {
    const h = homeWith(`trust:\n  - scope: "*"\n    keys: [${trustedPub}]\n`);
    try {
      const plain = await runCli(['component', 'load', ref.unsigned], { home: h.home });
      expect(plain.code, plain.stderr).toBe(0);
      const expected: Record<Case, RegExp | null> = {
        signed: null,
        unsigned: /has no signature, but the trust policy .* requires one/,
        altered: /bad-signature/,
        foreign: /not by a trusted key/,
      };
      for (const c of CASES) {
        const r = await runCli(['component', 'load', ref[c], '--require-signatures', '--json'], { home: h.home });
        if (expected[c] === null) {
          expect(r.code, r.stderr).toBe(0);
          expect(JSON.parse(r.stdout).verification).toMatchObject({ status: 'verified', signer: trustedFp });
        } else {
          expect(r.code, c).toBe(1);
          expect(r.stderr).toMatch(/^wassette: /);
          expect(r.stderr).toMatch(expected[c]!);
        }
      }
    } finally {
      h.cleanup();
    }
  });

  it('serve --require-signatures refuses unsigned components; an explicit require: none scope still wins', async () => {
    const h = homeWith(`trust:\n  - scope: "*"\n    keys: [${trustedPub}]\n  - scope: "${reg.registry}/sig/unsigned"\n    require: none\n`);
    const s = await serveWith(h.home, ['--require-signatures']);
    try {
      const foreignLoad = await call(s, 'load_component', { path: ref.foreign });
      expect(foreignLoad.isError).toBe(true);
      expect(text(foreignLoad)).toMatch(/not by a trusted key/);
      const unsigned = await call(s, 'load_component', { path: ref.unsigned });
      expect(unsigned.isError, text(unsigned)).toBeFalsy();
      const signed = await call(s, 'load_component', { path: ref.signed });
      expect(signed.structuredContent?.verification).toMatchObject({ status: 'verified', signer: trustedFp });
    } finally {
      await s.close();
      h.cleanup();
    }
  });

  it('WASSETTE_REQUIRE_SIGNATURES=true enforces the same as the flag', async () => {
    const h = homeWith(`trust:\n  - scope: "*"\n    keys: [${trustedPub}]\n`);
    try {
      const r = await runCli(['component', 'load', ref.altered], { home: h.home, env: { WASSETTE_REQUIRE_SIGNATURES: 'true' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/bad-signature/);
    } finally {
      h.cleanup();
    }
  });
  it('a signed digest reloaded offline keeps its recorded verification and still meets require: cosign', async () => {
    const h = homeWith(`trust:\n  - scope: "${reg.registry}/sig"\n    require: cosign\n    keys: [${trustedPub}]\n`);
    try {
      const first = await runCli(['component', 'load', ref.signed, '--json'], { home: h.home });
      expect(first.code, first.stderr).toBe(0);
      const pinned = JSON.parse(first.stdout).source as string;
      expect(pinned).toMatch(/@sha256:[0-9a-f]{64}$/);
      await reg.stop();
      try {
        const again = await runCli(['component', 'load', pinned, '--json'], { home: h.home });
        expect(again.code, again.stderr).toBe(0);
        expect(JSON.parse(again.stdout).verification).toEqual({ status: 'verified', method: 'cosign', signer: trustedFp });
      } finally {
        await reg.restart();
      }
    } finally {
      h.cleanup();
    }
  });
});
