// Names, sorts and aliases: the small encodings shared by sections and type declarators.
import type { Extern, Scope, Sort } from './model.js';
import { type ByteReader, hex, invalid } from './reader.js';

/** An import or export name: a discriminant byte (0x00 plain, 0x01 legacy interface form) then a string. */
export function readExternName(r: ByteReader): string {
  const at = r.pos;
  const b = r.u8();
  if (b !== 0x00 && b !== 0x01) throw invalid(`unknown import/export name encoding 0x${hex(b)} at byte ${at}`);
  return r.string();
}

/** A `sort`; core sorts collapse into 'core' because no core index space is tracked. */
export function readSort(r: ByteReader): Sort | 'core' {
  const at = r.pos;
  const b = r.u8();
  switch (b) {
    case 0x00: {
      const core = r.u8();
      return core === 0x11 ? 'module' : 'core';
    }
    case 0x01:
      return 'func';
    case 0x02:
      return 'value';
    case 0x03:
      return 'type';
    case 0x04:
      return 'component';
    case 0x05:
      return 'instance';
    default:
      throw invalid(`unknown sort 0x${hex(b)} at byte ${at}`);
  }
}

/** Looks an item up by sort and index in `scope`. */
export function itemAt(scope: Scope, sort: Sort, idx: number, at: number): Extern {
  const oob = (): never => {
    throw invalid(`${sort} index ${idx} out of bounds at byte ${at}`);
  };
  switch (sort) {
    case 'func': {
      const func = scope.funcs[idx] ?? oob();
      return { sort, func };
    }
    case 'type':
      return { sort, type: scope.types[idx] ?? oob() };
    case 'instance':
      return { sort, exports: scope.instances[idx] ?? oob() };
    case 'component': {
      const c = scope.components[idx] ?? oob();
      return { sort, imports: c.imports, exports: c.exports };
    }
    case 'value':
      return { sort };
    case 'module':
      return { sort };
  }
}

/** `alias`: adds an instance export or an outer item to the matching index space of `scope`. */
export function readAlias(r: ByteReader, scope: Scope): void {
  const at = r.pos;
  const sort = readSort(r);
  const target = r.u8();
  if (target === 0x00) {
    const idx = r.u32();
    const name = r.string();
    if (sort === 'core' || sort === 'module') throw invalid(`core sort in a component export alias at byte ${at}`);
    const inst = scope.instances[idx];
    if (inst === undefined) throw invalid(`instance index ${idx} out of bounds at byte ${at}`);
    const item = inst.get(name);
    if (item === undefined || item.sort !== sort) throw invalid(`instance ${idx} has no ${sort} export "${name}" (alias at byte ${at})`);
    scope.push(item);
    return;
  }
  if (target === 0x01) {
    r.u32();
    r.string();
    return; // core export alias: core index spaces are not tracked
  }
  if (target === 0x02) {
    const count = r.u32();
    const idx = r.u32();
    if (sort === 'core' || sort === 'module') return;
    let outer: Scope | undefined = scope;
    for (let i = 0; i < count && outer; i++) outer = outer.parent;
    if (outer === undefined) throw invalid(`outer alias at byte ${at} reaches beyond the outermost component`);
    scope.push(itemAt(outer, sort, idx, at));
    return;
  }
  throw invalid(`unknown alias target 0x${hex(target)} at byte ${at}`);
}
