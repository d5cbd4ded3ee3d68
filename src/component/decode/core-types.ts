// Skips core type definitions (function and module types) that appear inside component and instance types.
import { type ByteReader, hex, invalid } from './reader.js';

function skipHeapType(r: ByteReader): void {
  r.skipLeb(); // s33: either an abstract heap type byte or a type index
}

function skipValType(r: ByteReader): void {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x63 || b === 0x64) {
    skipHeapType(r);
    return;
  }
  // Number, vector and abbreviated reference types are single bytes in 0x69..0x7f.
  if (b >= 0x69 && b <= 0x7f) return;
  throw invalid(`unknown core value type 0x${hex(b)} at byte ${at}`);
}

function skipLimits(r: ByteReader): void {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 0x0f) throw invalid(`unknown core limits flags 0x${hex(flags)} at byte ${at}`);
  r.skipLeb();
  if (flags & 0x01) r.skipLeb();
  if (flags & 0x08) r.skipLeb();
}

function skipImportDesc(r: ByteReader): void {
  const at = r.pos;
  const kind = r.u8();
  switch (kind) {
    case 0x00:
      r.u32();
      return; // func (type idx)
    case 0x01:
      skipValType(r);
      skipLimits(r);
      return; // table
    case 0x02:
      skipLimits(r);
      return; // memory
    case 0x03:
      skipValType(r);
      r.u8();
      return; // global
    case 0x04:
      r.u8();
      r.u32();
      return; // tag
    default:
      throw invalid(`unknown core import kind 0x${hex(kind)} at byte ${at}`);
  }
}

function skipFuncType(r: ByteReader): void {
  r.vec(() => skipValType(r));
  r.vec(() => skipValType(r));
}

function skipModuleDecl(r: ByteReader): void {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00:
      r.string();
      r.string();
      skipImportDesc(r);
      return;
    case 0x01:
      skipCoreType(r);
      return;
    case 0x02: {
      r.u8(); // core sort
      const target = r.u8();
      if (target !== 0x01) throw invalid(`unknown core alias target 0x${hex(target)} at byte ${at}`);
      r.u32();
      r.u32();
      return;
    }
    case 0x03:
      r.string();
      skipImportDesc(r);
      return;
    default:
      throw invalid(`unknown core module type declaration 0x${hex(tag)} at byte ${at}`);
  }
}

/** One `core:type`: a core function type or a core module type (GC struct/array types are not supported). */
export function skipCoreType(r: ByteReader): void {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x60) {
    skipFuncType(r);
    return;
  }
  if (tag === 0x50) {
    r.vec(() => skipModuleDecl(r));
    return;
  }
  throw invalid(`unsupported core type encoding 0x${hex(tag)} at byte ${at}`);
}
