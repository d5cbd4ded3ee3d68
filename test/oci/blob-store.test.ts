// BlobStore: verified writes, corrupt-entry detection, prune, and the tag -> digest index.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/oci/blob-store.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { tempHome } from './registry-fixtures.js';

describe('BlobStore', () => {
  it('stores under blobs/sha256/<hex> and reads back', async () => {
    const home = tempHome();
    const store = BlobStore.forHome(home);
    const bytes = Buffer.from('hello');
    const digest = await store.put(bytes);
    expect(digest).toBe(sha256Digest(bytes));
    expect(readdirSync(join(home, 'blobs', 'sha256'))).toEqual([digest.slice(7)]);
    expect(Buffer.from((await store.get(digest)) ?? []).toString()).toBe('hello');
    expect(await store.has(digest)).toBe(true);
  });

  it('refuses bytes that do not match the expected digest and writes nothing', async () => {
    const store = BlobStore.forHome(tempHome());
    const wrong = sha256Digest(Buffer.from('other'));
    await expect(store.put(Buffer.from('hello'), wrong)).rejects.toMatchObject({ code: 'digest-mismatch' });
    expect(await store.has(wrong)).toBe(false);
    expect(await store.has(sha256Digest(Buffer.from('hello')))).toBe(false);
  });

  it('treats a corrupted entry as absent and removes it', async () => {
    const store = BlobStore.forHome(tempHome());
    const digest = await store.put(Buffer.from('payload'));
    writeFileSync(store.path(digest), 'tampered');
    expect(await store.get(digest)).toBeUndefined();
    expect(await store.has(digest)).toBe(false);
  });

  it('prunes everything not kept, and the ref mappings to pruned manifests', async () => {
    const store = BlobStore.forHome(tempHome());
    const a = await store.put(Buffer.from('a'));
    const b = await store.put(Buffer.from('bb'));
    await store.recordRef('h/r:keep', a);
    await store.recordRef('h/r:drop', b);
    expect(await store.prune([a])).toEqual({ removed: 1, freedBytes: 2 });
    expect(await store.has(a)).toBe(true);
    expect(await store.has(b)).toBe(false);
    expect((await store.resolveRef('h/r:keep'))?.manifestDigest).toBe(a);
    expect(await store.resolveRef('h/r:drop')).toBeUndefined();
  });

  it('rejects non-sha256 digests as paths', () => {
    expect(() => BlobStore.forHome(tempHome()).path('sha256:../../etc/passwd')).toThrowError(expect.objectContaining({ code: 'invalid-argument' }));
  });
});
