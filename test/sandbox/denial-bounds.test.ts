import { describe, expect, it } from 'vitest';
import { MAX_DENIAL_REASON_BYTES, MAX_DENIAL_TARGET_BYTES, boundDenial, denialBytes, truncateUtf8 } from '../../src/sandbox/denial-bounds.js';

describe('denial bounds', () => {
  it('keeps short text as it is', () => {
    expect(truncateUtf8('/etc/passwd', 512)).toBe('/etc/passwd');
  });

  it('cuts a multi-MB target to the bound and notes the original length', () => {
    const huge = `/${'a'.repeat(4 * 1024 * 1024)}`;
    const d = boundDenial({ capability: 'storage', target: huge, reason: 'r'.repeat(1 << 20) });
    expect(Buffer.byteLength(d.target)).toBeLessThan(MAX_DENIAL_TARGET_BYTES + 64);
    expect(Buffer.byteLength(d.reason)).toBeLessThan(MAX_DENIAL_REASON_BYTES + 64);
    expect(d.target).toContain(`${huge.length} bytes`);
    expect(denialBytes(d)).toBeLessThan(2000);
  });

  it('never splits a multi-byte character into invalid text', () => {
    const cut = truncateUtf8('é'.repeat(1000), 511);
    expect(cut).not.toContain('\uFFFD');
    expect(Buffer.byteLength(cut.split('…')[0] ?? '')).toBeLessThanOrEqual(511);
  });
});
