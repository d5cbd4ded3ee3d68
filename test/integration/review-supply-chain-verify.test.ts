// Review: content that fails signature verification is never cached, and a key dropped from the
// trust policy no longer vouches for a cached (offline) reload.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempHome } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { generateP256 } from '../helpers/signing.js';

function cacheState(home: string): { blobs: string[]; refs: string } {
  const dir = join(home, 'blobs', 'sha256');
  const refs = join(home, 'blobs', 'refs.json');
  return { blobs: existsSync(dir) ? readdirSync(dir) : [], refs: existsSync(refs) ? readFileSync(refs, 'utf8') : '' };
}

describe('supply chain: verification before caching', () => {
  let reg: RunningRegistry;
  const work = tempHome('wassette-r2-');
  const signer = generateP256();
  const other = generateP256();
  let ref = '';

  beforeAll(async () => {
    reg = await startRegistry();
    ref = `oci://${reg.registry}/r2/tool:1`;
    const pub = await runCli(['publish', fixture('all-types'), ref], { home: work.home });
    if (pub.code !== 0) throw new Error(pub.stderr);
    writeFileSync(join(work.home, 'signer.pem'), signer.privateKeyPem);
    writeFileSync(join(work.home, 'signer.pub'), signer.publicKeyPem);
    writeFileSync(join(work.home, 'other.pub'), other.publicKeyPem);
    const s = await runCli(['sign', ref, '--key', join(work.home, 'signer.pem')], { home: work.home });
    if (s.code !== 0) throw new Error(s.stderr);
  });
  afterAll(async () => {
    await destroyRegistry(reg);
    work.cleanup();
  });

  it('caches nothing (no blob, no tag mapping) for a component refused by the trust policy', async () => {
    const h = tempHome('wassette-r2-home-');
    try {
      writeFileSync(join(h.home, 'config.yaml'), `trust:\n  - scope: "${reg.registry}/r2"\n    require: cosign\n    keys: [${join(work.home, 'other.pub')}]\n`);
      const r = await runCli(['component', 'load', ref], { home: h.home });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/not by a trusted key/);
      expect(cacheState(h.home)).toEqual({ blobs: [], refs: '' });
    } finally {
      h.cleanup();
    }
  });

  it('does not reuse a recorded verification by a key the trust policy no longer lists', async () => {
    const h = tempHome('wassette-r2-home-');
    const trustKey = (pub: string) =>
      writeFileSync(join(h.home, 'config.yaml'), `trust:\n  - scope: "${reg.registry}/r2"\n    require: cosign\n    keys: [${join(work.home, pub)}]\n`);
    try {
      trustKey('signer.pub');
      const first = await runCli(['component', 'load', ref, '--json'], { home: h.home });
      expect(first.code, first.stderr).toBe(0);
      const pinned = JSON.parse(first.stdout).source as string;
      trustKey('other.pub');
      await reg.stop();
      try {
        const again = await runCli(['component', 'load', pinned, '--json'], { home: h.home });
        expect(again.code).not.toBe(0);
        expect(again.stderr).toMatch(/registry|reach/i);
        trustKey('signer.pub');
        const still = await runCli(['component', 'load', pinned, '--json'], { home: h.home });
        expect(still.code, still.stderr).toBe(0);
        expect(JSON.parse(still.stdout).verification).toMatchObject({ status: 'verified', method: 'cosign' });
      } finally {
        await reg.restart();
      }
    } finally {
      h.cleanup();
    }
  });
});
