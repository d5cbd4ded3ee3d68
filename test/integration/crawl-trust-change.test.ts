// A crawl keeps what it indexed for an unchanged digest, but not a signature status the trust policy no longer
// backs: a key trusted after the first crawl turns `failed` into `verified`, and a key no longer trusted turns
// `verified` back into `failed`, on the next crawl, as a load from the cache would re-check it (stillTrusted).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { generateP256 } from '../helpers/signing.js';

const env = { WASSETTE_MODEL_DOWNLOAD: '0', WASSETTE_EMBED_MODEL: '/nonexistent-model' };
let reg: RunningRegistry;
const home = tempHome('wassette-crawl-trust-');
const pub = join(home.home, 'key.pub');

async function crawled(repo = 'tools/text-tools'): Promise<{ summary: Record<string, any>; signature: Record<string, any> }> {
  const c = await runCli(['crawl', '--registry', reg.registry, '--json'], { home: home.home, env });
  expect(c.code, c.stderr).toBe(0);
  const s = await runCli(['search', 'reverse a string', '--json'], { home: home.home, env });
  expect(s.code, s.stderr).toBe(0);
  const hit = (JSON.parse(s.stdout) as { results: Array<{ ref: string; signature: Record<string, any> }> }).results.find((r) => r.ref.includes(`/${repo}@`));
  expect(hit, s.stdout).toBeDefined();
  return { summary: JSON.parse(c.stdout), signature: hit!.signature };
}

function trust(keys: string[]): void {
  const list = keys.length === 0 ? '[]' : `[${keys.join(', ')}]`;
  writeFileSync(join(home.home, 'config.yaml'), `trust:\n  - scope: "${reg.registry}/tools"\n    keys: ${list}\n`);
}

beforeAll(async () => {
  reg = await startRegistry();
  const key = generateP256();
  writeFileSync(join(home.home, 'key.pem'), key.privateKeyPem);
  writeFileSync(pub, key.publicKeyPem);
  const ref = `oci://${reg.registry}/tools/text-tools:1.0.0`;
  const p = await runCli(['publish', fixture('text-tools'), ref], { home: home.home });
  expect(p.code, p.stderr).toBe(0);
  const g = await runCli(['sign', ref, '--key', join(home.home, 'key.pem')], { home: home.home });
  expect(g.code, g.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await destroyRegistry(reg);
  home.cleanup();
});

describe('crawl after a trust policy change', () => {
  it('re-checks a recorded signature status the policy no longer backs, and only then', async () => {
    const first = await crawled();
    expect(first.signature).toMatchObject({ status: 'failed', kind: 'untrusted-signer' });

    trust([pub]);
    const trusted = await crawled();
    expect(trusted.signature).toMatchObject({ status: 'verified', method: 'cosign' });
    expect(trusted.summary).toMatchObject({ updated: 1, unchanged: 0 });

    const again = await crawled();
    expect(again.summary).toMatchObject({ updated: 0, unchanged: 1 });

    trust([]);
    const revoked = await crawled();
    expect(revoked.signature).toMatchObject({ status: 'failed' });
    expect(revoked.summary).toMatchObject({ updated: 1 });
  });
});

describe('crawl after an unchanged artifact is signed', () => {
  it('notices the new signature (the digest is the same) and records it; an unsigned one stays unchanged', async () => {
    const ref = `oci://${reg.registry}/later/text-tools:1.0.0`;
    const p = await runCli(['publish', fixture('text-tools'), ref], { home: home.home });
    expect(p.code, p.stderr).toBe(0);
    const unsigned = await crawled('later/text-tools');
    expect(unsigned.signature).toMatchObject({ status: 'unsigned' });
    const still = await crawled('later/text-tools');
    expect(still.signature).toMatchObject({ status: 'unsigned' });
    const updatedBefore = still.summary.updated;

    const g = await runCli(['sign', ref, '--key', join(home.home, 'key.pem')], { home: home.home });
    expect(g.code, g.stderr).toBe(0);
    const signed = await crawled('later/text-tools');
    expect(signed.signature).toMatchObject({ status: 'failed', kind: 'untrusted-signer' });
    expect(signed.summary.updated).toBe(updatedBefore + 1);
  });
});
