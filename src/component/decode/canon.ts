// Reads one canonical definition; only `canon lift` matters (it adds a component function), the rest are skipped.
import type { Scope } from './model.js';
import { type ByteReader, hex, invalid } from './reader.js';
import { readValType, typeAt } from './types.js';

function skipOptions(r: ByteReader): void {
  r.vec(() => {
    const at = r.pos;
    const opt = r.u8();
    if (opt === 0x03 || opt === 0x04 || opt === 0x05 || opt === 0x07 || opt === 0x08) r.u32();
    else if (opt > 0x09) throw invalid(`unknown canonical option 0x${hex(opt)} at byte ${at}`);
  });
}

// Operand shapes of the canonical built-ins that define core functions (component-model async/threads included).
const NO_OPERANDS = new Set([0x05, 0x0d, 0x1e, 0x1f, 0x22, 0x23, 0x24, 0x25, 0x26, 0x2a, 0x42]);
const ONE_INDEX = new Set([0x02, 0x03, 0x04, 0x07, 0x0e, 0x13, 0x14, 0x15, 0x1a, 0x1b, 0x40]);
const ONE_FLAG = new Set([0x06, 0x0c, 0x28, 0x29, 0x2b]);
const INDEX_AND_OPTIONS = new Set([0x0f, 0x10, 0x16, 0x17]);
const INDEX_AND_FLAG = new Set([0x11, 0x12, 0x18, 0x19]);
const TWO_INDICES = new Set([0x27, 0x41]);

export function readCanon(r: ByteReader, scope: Scope): void {
  const at = r.pos;
  const op = r.u8();
  if (op === 0x00 || op === 0x01) {
    const sort = r.u8();
    if (sort !== 0x00) throw invalid(`unknown canonical ${op === 0 ? 'lift' : 'lower'} sort 0x${hex(sort)} at byte ${at}`);
    r.u32();
    skipOptions(r);
    if (op === 0x01) return;
    const tAt = r.pos;
    const def = typeAt(scope, r.u32(), tAt);
    if (def.tag !== 'func') throw invalid(`canon lift at byte ${at} names a ${def.tag} type, not a function type`);
    scope.funcs.push(def.func);
    return;
  }
  if (NO_OPERANDS.has(op)) return;
  if (ONE_INDEX.has(op)) return void r.u32();
  if (ONE_FLAG.has(op)) return void r.u8();
  if (INDEX_AND_OPTIONS.has(op)) {
    r.u32();
    skipOptions(r);
    return;
  }
  if (INDEX_AND_FLAG.has(op)) {
    r.u32();
    return void r.u8();
  }
  if (TWO_INDICES.has(op)) {
    r.u32();
    return void r.u32();
  }
  switch (op) {
    case 0x09: {
      // task.return
      const k = r.u8();
      if (k === 0x00) readValType(r, scope);
      else if (k === 0x01) r.u8();
      else throw invalid(`unknown task.return result encoding 0x${hex(k)} at byte ${at}`);
      skipOptions(r);
      return;
    }
    case 0x0a:
    case 0x0b:
      r.u8();
      r.u32();
      return; // context.get/set
    case 0x1c:
    case 0x1d: {
      skipOptions(r);
      return;
    } // error-context.new/debug-message
    case 0x20:
    case 0x21:
      r.u8();
      r.u32();
      return; // waitable-set.wait/poll
    default:
      throw invalid(`unknown canonical function 0x${hex(op)} at byte ${at}`);
  }
}
