// Shared bits for the OCI tests: fake component bytes and a per-test temp home.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A component-shaped buffer: the `\0asm` component header followed by `size - 8` random bytes. */
export function fakeComponent(size = 256): Uint8Array {
  const b = randomBytes(Math.max(size, 8));
  b.set([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], 0);
  return b;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'wassette-oci-'));
}
