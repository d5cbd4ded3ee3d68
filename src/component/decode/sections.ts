// Walks the sections of a component (and of nested components), filling its index spaces and import/export maps.
import { readCanon } from './canon.js';
import { itemAt, readAlias, readExternName, readSort } from './items.js';
import { type Extern, type ExternMap, Scope, named } from './model.js';
import { type ByteReader, hex, invalid } from './reader.js';
import { readExternDesc, readTypeDef } from './types.js';

export interface CustomSection {
  name: string;
  data: Uint8Array;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Checks the 8-byte preamble; the layer field tells core modules (layer 0) from components (layer 1). */
export function readPreamble(r: ByteReader): void {
  const available = r.end - r.pos;
  const magicOk = MAGIC.every((b, i) => i >= available || r.bytes[r.pos + i] === b);
  if (!magicOk) throw invalid('not a WebAssembly binary (bad magic)');
  if (available < 8) throw invalid(`truncated at byte ${r.end}`);
  r.skip(4);
  const version = r.u8() | (r.u8() << 8);
  const layer = r.u8() | (r.u8() << 8);
  if (layer === 0) {
    throw invalid('is a core WebAssembly module, not a component; wrap it with `jco new` / `wasm-tools component new`');
  }
  // Pre-standard component binaries carry versions 0x0a..0x0d; the sections read here did not change shape.
  if (layer !== 1) throw invalid(`unknown binary layer ${layer} (version 0x${hex(version)})`);
}

function readSortIdx(r: ByteReader, scope: Scope): Extern | undefined {
  const sort = readSort(r);
  const at = r.pos;
  const idx = r.u32();
  return sort === 'core' ? undefined : itemAt(scope, sort, idx, at);
}

function readInstance(r: ByteReader, scope: Scope): ExternMap {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00) {
    const cAt = r.pos;
    const c = scope.components[r.u32()];
    if (c === undefined) throw invalid(`component index out of bounds at byte ${cAt}`);
    r.vec(() => {
      r.string();
      return readSortIdx(r, scope);
    });
    // Imported types are not substituted into the exports: names and shapes are all a description needs.
    return c.exports;
  }
  if (tag === 0x01) {
    const exports: ExternMap = new Map();
    r.vec(() => {
      const name = readExternName(r);
      const item = readSortIdx(r, scope);
      if (item) exports.set(name, named(item, name, scope.ctx));
    });
    return exports;
  }
  throw invalid(`unknown instance encoding 0x${hex(tag)} at byte ${at}`);
}

function readSection(id: number, r: ByteReader, scope: Scope, customs: CustomSection[]): void {
  switch (id) {
    case 0:
      customs.push({ name: r.string(), data: r.bytes.subarray(r.pos, r.end) });
      r.pos = r.end;
      return;
    case 1:
    case 2:
    case 3:
      r.pos = r.end;
      return; // core modules, instances and types: skipped whole
    case 4: {
      readPreamble(r);
      const nested = readComponent(r, new Scope(scope), []);
      scope.push({ sort: 'component', imports: nested.imports, exports: nested.exports });
      return;
    }
    case 5:
      return void r.vec(() => scope.instances.push(readInstance(r, scope)));
    case 6:
      return void r.vec(() => readAlias(r, scope));
    case 7:
      return void r.vec(() => scope.types.push(readTypeDef(r, scope)));
    case 8:
      return void r.vec(() => readCanon(r, scope));
    case 9: {
      r.u32();
      r.vec(() => r.u32());
      scope.values += r.u32();
      return;
    }
    case 10:
      return void r.vec(() => {
        const name = readExternName(r);
        const item = named(readExternDesc(r, scope), name, scope.ctx);
        scope.imports.set(name, item);
        scope.push(item);
      });
    case 11:
      return void r.vec(() => {
        const name = readExternName(r);
        const item = readSortIdx(r, scope);
        const ascribed = r.option(() => readExternDesc(r, scope), 'export type');
        const chosen = ascribed ?? item;
        if (chosen === undefined) return; // core exports other than modules cannot appear here
        const exported = named(chosen, name, scope.ctx);
        scope.exports.set(name, exported);
        scope.push(exported);
      });
    default:
      throw invalid(`unknown section id ${id} at byte ${r.pos}`);
  }
}

/** Reads sections after the preamble until `r` is exhausted. Custom sections are collected into `customs`. */
export function readComponent(r: ByteReader, scope: Scope, customs: CustomSection[]): Scope {
  while (!r.done) {
    const id = r.u8();
    const len = r.u32();
    const start = r.pos;
    const body = r.sub(len);
    readSection(id, body, scope, customs);
    if (!body.done) throw invalid(`section ${id} at byte ${start} has ${body.end - body.pos} unread trailing bytes`);
  }
  return scope;
}
