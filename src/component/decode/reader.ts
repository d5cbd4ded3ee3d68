// Bounds-checked cursor over component binary bytes; every failure is an InvalidComponent error with an offset.
import { ErrorCode, WassetteError } from '../../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function invalid(message: string): WassetteError {
  return new WassetteError(ErrorCode.InvalidComponent, `invalid component: ${message}`);
}

/** Reads a window `[pos, end)` of a shared byte array; offsets in messages are absolute. */
export class ByteReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw invalid(`truncated at byte ${this.end}`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++] as number;
  }

  peek(): number {
    this.need(1);
    return this.bytes[this.pos] as number;
  }

  /** Unsigned LEB128 up to 32 bits. */
  u32(): number {
    return this.leb32(false);
  }

  /** Signed LEB128 (s33) that must be a non-negative index, as used for type indices inside value types. */
  s33Index(): number {
    return this.leb32(true);
  }

  /** A LEB128 value that must fit in 32 bits; `signed` reads s33 and refuses negatives. */
  private leb32(signed: boolean): number {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (signed && b & 0x40) throw invalid(`negative type index at byte ${start}`);
        if (result > 0xffffffff) throw invalid(`integer too large at byte ${start}`);
        return result;
      }
    }
    throw invalid(`malformed LEB128 integer at byte ${start}`);
  }

  /** Skips any LEB128 integer (signed or unsigned, up to 64 bits). */
  skipLeb(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) if ((this.u8() & 0x80) === 0) return;
    throw invalid(`malformed LEB128 integer at byte ${start}`);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** A byte string prefixed by its u32 length. */
  bytesVec(): Uint8Array {
    const n = this.u32();
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const start = this.pos;
    const raw = this.bytesVec();
    try {
      return utf8.decode(raw);
    } catch {
      throw invalid(`name at byte ${start} is not valid UTF-8`);
    }
  }

  /** A vector: u32 count then `count` items read by `item`. */
  vec<T>(item: () => T): T[] {
    const n = this.u32();
    // Every item takes at least one byte, so a count beyond the remaining bytes is a truncation.
    if (n > this.end - this.pos) throw invalid(`truncated at byte ${this.end} (vector of ${n} items)`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }

  /** An optional value encoded as 0x00 (absent) or 0x01 followed by the value. */
  option<T>(item: () => T, what: string): T | undefined {
    const at = this.pos;
    const tag = this.u8();
    if (tag === 0x00) return undefined;
    if (tag === 0x01) return item();
    throw invalid(`unknown ${what} presence flag 0x${hex(tag)} at byte ${at}`);
  }

  /** A sub-reader over the next `len` bytes; this reader moves past them. */
  sub(len: number): ByteReader {
    this.need(len);
    const r = new ByteReader(this.bytes, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }
}

export function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
