// The sha256 digest and URL pin rules: one parser and formatter, one error code.
import { describe, expect, it } from 'vitest';
import { isSha256Digest, parsePinnedUrl, pinnedUrl, sha256Digest } from '../../src/oci/digest.js';

const hex = 'a'.repeat(64);

describe('sha256Digest', () => {
  it('hashes to the sha256:<hex> form isSha256Digest accepts', () => {
    const d = sha256Digest(new TextEncoder().encode('abc'));
    expect(d).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(isSha256Digest(d)).toBe(true);
  });

  it.each([`sha256:${hex.toUpperCase()}`, hex, `sha512:${hex}`, 42, undefined])('rejects %j', (v) => {
    expect(isSha256Digest(v)).toBe(false);
  });
});

describe('parsePinnedUrl', () => {
  it.each([
    [`https://h.io/x.wasm#sha256=${hex.toUpperCase()}`, 'https://h.io/x.wasm', `sha256:${hex}`],
    ['https://h.io/x.wasm', 'https://h.io/x.wasm', undefined],
    ['http://127.0.0.1:8/x.wasm#', 'http://127.0.0.1:8/x.wasm', undefined],
  ])('%s', (input, url, pin) => {
    const got = parsePinnedUrl(input);
    expect(got.url.toString()).toBe(url);
    expect(got.pin).toBe(pin);
  });

  it.each([
    ['https://h.io/x.wasm#sha256=abc', 'not a digest pin'],
    [`https://h.io/x.wasm#sha256:${hex}`, 'not a digest pin'],
    ['https://h.io/x.wasm#md5=abc', 'not a digest pin'],
    ['not a url', 'not a URL'],
  ])('rejects %s with invalid-reference', (input, msg) => {
    expect(() => parsePinnedUrl(input)).toThrowError(expect.objectContaining({ code: 'invalid-reference', message: expect.stringContaining(msg) }));
  });

  it('reads back what pinnedUrl writes, replacing any earlier pin', () => {
    const written = pinnedUrl(`https://h.io/x.wasm#sha256=${'b'.repeat(64)}`, `sha256:${hex}`);
    expect(written).toBe(`https://h.io/x.wasm#sha256=${hex}`);
    expect(parsePinnedUrl(written).pin).toBe(`sha256:${hex}`);
    expect(() => pinnedUrl('https://h.io/x.wasm', hex)).toThrow(/not a sha256 digest/);
  });
});
