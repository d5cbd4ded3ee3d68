// Caps every linear memory and table of a core wasm module (defined and imported) at a maximum,
// because wasm memory lives outside V8's heap limits: with a declared maximum, `memory.grow`
// fails inside the guest instead of exhausting the host. Tables get the same treatment: their
// backing store is also outside the JS heap limits, so each table's maximum is capped at the
// number of entries the byte budget pays for at TABLE_ENTRY_BYTES per entry.
import { ErrorCode, WassetteError } from '../errors.js';

const PAGE_BYTES = 65536;
const SECTION_IMPORT = 2;
const SECTION_TABLE = 4;
const SECTION_MEMORY = 5;
/** Host bytes charged per table entry (a V8 funcref/externref slot plus its bookkeeping; conservative). */
export const TABLE_ENTRY_BYTES = 16;

/** Page count for a byte budget at the default 64 KiB page size (at least one page). */
export function pagesForBytes(bytes: number): number {
  return Math.max(1, Math.floor(bytes / PAGE_BYTES));
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }
  byte(): number {
    if (this.pos >= this.buf.length) throw bad('unexpected end of module');
    return this.buf[this.pos++]!;
  }
  /** Unsigned LEB128 as a JS number (exact below 2^53, which covers every valid limit). */
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }
  /** Signed LEB128 (heap types); only its length matters here. */
  sleb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.buf.length) throw bad('unexpected end of module');
  }
}

function bad(msg: string): WassetteError {
  return new WassetteError(ErrorCode.InvalidComponent, `cannot cap memory of core module: ${msg}`);
}

export function encodeUleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

/** Reads a memtype at the reader and returns it re-encoded with the cap applied. */
function cappedMemType(r: Reader, maxBytes: number): number[] {
  const flags = r.byte();
  if (flags > 0x0f) throw bad(`unknown memory limits flags 0x${flags.toString(16)}`);
  const min = r.uleb();
  const hasMax = (flags & 0x01) !== 0;
  const max = hasMax ? r.uleb() : undefined;
  const customPage = (flags & 0x08) !== 0;
  const pageLog2 = customPage ? r.uleb() : 16;
  const capPages = Math.max(1, Math.floor(maxBytes / 2 ** pageLog2));
  if (min > capPages) {
    throw new WassetteError(
      ErrorCode.MemoryLimit,
      `component needs at least ${min * 2 ** pageLog2} bytes of linear memory, more than its ${maxBytes}-byte memory limit; raise the limit in its policy`,
    );
  }
  const newMax = max === undefined ? capPages : Math.min(max, capPages);
  return [flags | 0x01, ...encodeUleb(min), ...encodeUleb(newMax), ...(customPage ? encodeUleb(pageLog2) : [])];
}

/** Reads a tabletype (reftype + limits) and returns it re-encoded with the entry cap applied. */
function cappedTableType(r: Reader, maxBytes: number): number[] {
  const typeStart = r.pos;
  skipRefOrValType(r);
  const refType = Array.from(r.buf.subarray(typeStart, r.pos));
  const flags = r.byte();
  if (flags > 0x05 || (flags & 0x02) !== 0) throw bad(`unknown table limits flags 0x${flags.toString(16)}`);
  const min = r.uleb();
  const max = flags & 0x01 ? r.uleb() : undefined;
  const capEntries = Math.floor(maxBytes / TABLE_ENTRY_BYTES);
  if (min > capEntries) {
    throw new WassetteError(
      ErrorCode.MemoryLimit,
      `component needs a table of at least ${min} entries (${min * TABLE_ENTRY_BYTES} bytes at ${TABLE_ENTRY_BYTES} bytes per entry), more than its ${maxBytes}-byte memory limit; raise the limit in its policy`,
    );
  }
  const newMax = max === undefined ? capEntries : Math.min(max, capEntries);
  return [...refType, flags | 0x01, ...encodeUleb(min), ...encodeUleb(newMax)];
}

function rewriteTables(body: Uint8Array, maxBytes: number, caps: number[] | undefined, first: number): number[] {
  const r = new Reader(body);
  const count = r.uleb();
  const out = [...encodeUleb(count)];
  for (let i = 0; i < count; i++) {
    // 0x40 0x00 introduces a table with an init expression (function references): not supported.
    if (body[r.pos] === 0x40) throw bad('tables with an initializer expression are not supported');
    out.push(...cappedTableType(r, shareOf(caps, first + i, maxBytes)));
  }
  return out;
}

/** The byte budget of the i-th defined memory/table: its share when a split is given, else the whole limit. */
function shareOf(caps: number[] | undefined, i: number, maxBytes: number): number {
  if (!caps) return maxBytes;
  const c = caps[i];
  if (c === undefined) throw bad('memory split does not cover every defined memory and table');
  return Math.min(c, maxBytes);
}

function skipRefOrValType(r: Reader): void {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.sleb();
}

function rewriteImports(body: Uint8Array, maxBytes: number): number[] {
  const r = new Reader(body);
  const count = r.uleb();
  const out = [...encodeUleb(count)];
  for (let i = 0; i < count; i++) {
    const start = r.pos;
    r.skip(r.uleb()); // module name
    r.skip(r.uleb()); // field name
    const kind = r.byte();
    out.push(...body.subarray(start, r.pos));
    const descStart = r.pos;
    switch (kind) {
      case 0x00:
        r.uleb();
        break;
      case 0x01:
        out.push(...cappedTableType(r, maxBytes));
        continue;
      case 0x02:
        out.push(...cappedMemType(r, maxBytes));
        continue;
      case 0x03:
        skipRefOrValType(r);
        r.byte();
        break;
      case 0x04:
        r.byte();
        r.uleb();
        break;
      default:
        throw bad(`unknown import kind 0x${kind.toString(16)}`);
    }
    out.push(...body.subarray(descStart, r.pos));
  }
  return out;
}

function rewriteMemories(body: Uint8Array, maxBytes: number, caps: number[] | undefined, first: number): number[] {
  const r = new Reader(body);
  const count = r.uleb();
  const out = [...encodeUleb(count)];
  for (let i = 0; i < count; i++) out.push(...cappedMemType(r, shareOf(caps, first + i, maxBytes)));
  return out;
}

/** Byte budgets for each defined (not imported) memory and table of one module, in definition order. */
export interface DefinedShares {
  memories: number[];
  tables: number[];
}

/** Limits of one defined memory or table, in host bytes (tables at TABLE_ENTRY_BYTES per entry). */
export interface DefinedLimit {
  minBytes: number;
  /** The module's own declared maximum, if any. */
  maxBytes?: number;
  /** Granularity of the maximum in bytes (page size, or TABLE_ENTRY_BYTES). */
  unit: number;
}

/** Reads the limits of every defined memory and table of a core module (imports are defined elsewhere). */
export function definedLimits(module: Uint8Array): { memories: DefinedLimit[]; tables: DefinedLimit[] } {
  checkPreamble(module);
  const memories: DefinedLimit[] = [];
  const tables: DefinedLimit[] = [];
  const r = new Reader(module, 8);
  while (r.pos < module.length) {
    const id = r.byte();
    const size = r.uleb();
    const end = r.pos + size;
    if (id === SECTION_MEMORY || id === SECTION_TABLE) {
      const count = r.uleb();
      for (let i = 0; i < count; i++) {
        if (id === SECTION_TABLE) {
          if (module[r.pos] === 0x40) throw bad('tables with an initializer expression are not supported');
          skipRefOrValType(r);
          const flags = r.byte();
          const min = r.uleb();
          const max = flags & 0x01 ? r.uleb() : undefined;
          tables.push({ minBytes: min * TABLE_ENTRY_BYTES, ...(max !== undefined ? { maxBytes: max * TABLE_ENTRY_BYTES } : {}), unit: TABLE_ENTRY_BYTES });
        } else {
          const flags = r.byte();
          if (flags > 0x0f) throw bad(`unknown memory limits flags 0x${flags.toString(16)}`);
          const min = r.uleb();
          const max = flags & 0x01 ? r.uleb() : undefined;
          const unit = 2 ** (flags & 0x08 ? r.uleb() : 16);
          memories.push({ minBytes: min * unit, ...(max !== undefined ? { maxBytes: max * unit } : {}), unit });
        }
      }
    }
    r.pos = end;
    if (r.pos > module.length) throw bad('unexpected end of module');
  }
  return { memories, tables };
}

function checkPreamble(module: Uint8Array): void {
  if (module.length < 8 || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) {
    throw bad('not a wasm binary');
  }
  if (module[4] !== 1 || module[5] !== 0 || module[6] !== 0 || module[7] !== 0) throw bad('not a core module (layer/version mismatch)');
}

/**
 * Returns a copy of a core module whose memories declare a maximum of at most `maxBytes`
 * (an existing smaller maximum is kept). With `shares`, each defined memory and table gets its
 * own byte budget instead (imported ones keep `maxBytes`: they are defined, and counted, elsewhere).
 * Throws `memory-limit` when a minimum already exceeds its cap, and `invalid-component` for bytes
 * that are not a core module.
 */
export function capMemory(module: Uint8Array, maxBytes: number, shares?: DefinedShares): Uint8Array<ArrayBuffer> {
  checkPreamble(module);
  let memIdx = 0;
  let tableIdx = 0;
  const r = new Reader(module, 8);
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  while (r.pos < module.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.uleb();
    const bodyStart = r.pos;
    r.skip(size);
    if (id !== SECTION_IMPORT && id !== SECTION_MEMORY && id !== SECTION_TABLE) {
      parts.push(module.subarray(start, r.pos));
      continue;
    }
    const body = module.subarray(bodyStart, r.pos);
    let rewritten: number[];
    if (id === SECTION_IMPORT) rewritten = rewriteImports(body, maxBytes);
    else if (id === SECTION_TABLE) {
      rewritten = rewriteTables(body, maxBytes, shares?.tables, tableIdx);
      tableIdx += new Reader(body).uleb();
    } else {
      rewritten = rewriteMemories(body, maxBytes, shares?.memories, memIdx);
      memIdx += new Reader(body).uleb();
    }
    parts.push(Uint8Array.from([id, ...encodeUleb(rewritten.length), ...rewritten]));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
