// Reads component type definitions (value, function, resource, instance and component types) into the model.
import type { NamedField, PrimitiveKind, WitType } from '../wit-types.js';
import { skipCoreType } from './core-types.js';
import { readAlias, readExternName } from './items.js';
import { type Extern, type FuncDef, type TypeDef, Scope, named } from './model.js';
import { type ByteReader, hex, invalid } from './reader.js';

const PRIMITIVES: Record<number, PrimitiveKind> = {
  0x7f: 'bool',
  0x7e: 's8',
  0x7d: 'u8',
  0x7c: 's16',
  0x7b: 'u16',
  0x7a: 's32',
  0x79: 'u32',
  0x78: 's64',
  0x77: 'u64',
  0x76: 'f32',
  0x75: 'f64',
  0x74: 'char',
  0x73: 'string',
};
const ERROR_CONTEXT = 0x64;

type Val = TypeDef & ({ tag: 'value' } | { tag: 'unsupported' });

function unsupported(what: string): Val {
  return { tag: 'unsupported', what };
}

/** Looks up a type index, failing with the offset where it was referenced. */
export function typeAt(scope: Scope, idx: number, at: number): TypeDef {
  const def = scope.types[idx];
  if (def === undefined) throw invalid(`type index ${idx} out of bounds at byte ${at}`);
  return def;
}

/** `valtype`: a primitive or an index of a previously defined value type. */
export function readValType(r: ByteReader, scope: Scope): Val {
  const at = r.pos;
  const b = r.peek();
  const prim = PRIMITIVES[b];
  if (prim !== undefined) {
    r.u8();
    return { tag: 'value', type: { kind: prim } };
  }
  if (b === ERROR_CONTEXT) {
    r.u8();
    return unsupported('error-context');
  }
  const idx = r.s33Index();
  const def = typeAt(scope, idx, at);
  if (def.tag === 'value' || def.tag === 'unsupported') return def;
  throw invalid(`type index ${idx} at byte ${at} is a ${def.tag} type, not a value type`);
}

/** Types share subtrees, so a small binary can describe a huge tree; these bounds keep every walk cheap. */
export const MAX_TYPE_SIZE = 100_000;
export const MAX_TYPE_DEPTH = 100;
export const MAX_TOTAL_SIZE = 2_000_000;

/** Combines child types; the first unsupported child makes the whole type unsupported. */
function build(children: Val[], make: (types: WitType[]) => WitType): Val {
  const types: WitType[] = [];
  let size = 1;
  let depth = 1;
  for (const c of children) {
    if (c.tag === 'unsupported') return c;
    types.push(c.type);
    size += c.size ?? 1;
    depth = Math.max(depth, (c.depth ?? 1) + 1);
  }
  if (size > MAX_TYPE_SIZE) throw invalid(`a type expands to more than ${MAX_TYPE_SIZE} nodes`);
  if (depth > MAX_TYPE_DEPTH) throw invalid(`a type is nested more than ${MAX_TYPE_DEPTH} levels deep`);
  return { tag: 'value', type: make(types), size, depth };
}

function optVal(r: ByteReader, scope: Scope): Val | undefined {
  return r.option(() => readValType(r, scope), 'type');
}

function resourceName(scope: Scope, r: ByteReader): string {
  const at = r.pos;
  const idx = r.u32();
  const def = typeAt(scope, idx, at);
  if (def.tag !== 'resource') throw invalid(`own/borrow at byte ${at} names a ${def.tag} type, not a resource`);
  return def.name;
}

function readDefValType(r: ByteReader, scope: Scope, tag: number, at: number): Val {
  switch (tag) {
    case 0x72: {
      const fields = r.vec(() => ({ name: r.string(), t: readValType(r, scope) }));
      return build(
        fields.map((f) => f.t),
        (ts) => ({ kind: 'record', fields: fields.map((f, i) => ({ name: f.name, type: ts[i] as WitType })) }),
      );
    }
    case 0x71: {
      const cases = r.vec(() => {
        const name = r.string();
        const t = optVal(r, scope);
        r.option(() => r.u32(), 'variant refines');
        return { name, t };
      });
      const present = cases.filter((c) => c.t !== undefined).map((c) => c.t as Val);
      return build(present, (ts) => {
        let i = 0;
        return { kind: 'variant', cases: cases.map((c) => (c.t === undefined ? { name: c.name } : { name: c.name, type: ts[i++] as WitType })) };
      });
    }
    case 0x70:
      return build([readValType(r, scope)], ([e]) => ({ kind: 'list', element: e as WitType }));
    case 0x67: {
      const e = readValType(r, scope);
      r.u32();
      // A fixed-size list has the same JSON shape as a list; its length is not modelled.
      return build([e], ([el]) => ({ kind: 'list', element: el as WitType }));
    }
    case 0x6f:
      return build(
        r.vec(() => readValType(r, scope)),
        (ts) => ({ kind: 'tuple', elements: ts }),
      );
    case 0x6e:
      return { tag: 'value', type: { kind: 'flags', flags: r.vec(() => r.string()) } };
    case 0x6d:
      return { tag: 'value', type: { kind: 'enum', cases: r.vec(() => r.string()) } };
    case 0x6b:
      return build([readValType(r, scope)], ([t]) => ({ kind: 'option', inner: t as WitType }));
    case 0x6a: {
      const ok = optVal(r, scope);
      const err = optVal(r, scope);
      const kids = [ok, err].filter((k): k is Val => k !== undefined);
      return build(kids, (ts) => {
        const out: WitType = { kind: 'result' };
        let i = 0;
        if (ok) out.ok = ts[i++] as WitType;
        if (err) out.err = ts[i] as WitType;
        return out;
      });
    }
    case 0x69:
      return { tag: 'value', type: { kind: 'own', resource: resourceName(scope, r) } };
    case 0x68:
      return { tag: 'value', type: { kind: 'borrow', resource: resourceName(scope, r) } };
    case 0x66:
      optVal(r, scope);
      return unsupported('stream');
    case 0x65:
      optVal(r, scope);
      return unsupported('future');
    case 0x63:
      readValType(r, scope);
      readValType(r, scope);
      return unsupported('map');
    default:
      throw invalid(`unknown type encoding 0x${hex(tag)} at byte ${at}`);
  }
}

function readFuncType(r: ByteReader, scope: Scope): FuncDef {
  const params = r.vec(() => ({ name: r.string(), t: readValType(r, scope) }));
  const at = r.pos;
  const kind = r.u8();
  let results: Val[] = [];
  if (kind === 0x00) results = [readValType(r, scope)];
  // 0x01 is a (now always empty) list of named results; older encoders could name several.
  else if (kind === 0x01)
    results = r.vec(() => {
      r.string();
      return readValType(r, scope);
    });
  else throw invalid(`unknown function result encoding 0x${hex(kind)} at byte ${at}`);
  const all = [...params.map((p) => p.t), ...results];
  const size = all.reduce((n, t) => n + (t.tag === 'value' ? (t.size ?? 1) : 1), 1);
  scope.ctx.expandedSize += size;
  if (scope.ctx.expandedSize > MAX_TOTAL_SIZE) throw invalid(`function types expand to more than ${MAX_TOTAL_SIZE} nodes in total`);
  const bad = all.find((t) => t.tag === 'unsupported');
  if (bad?.tag === 'unsupported') return { params: [], unsupported: bad.what };
  const types = (xs: Val[]): WitType[] => xs.map((x) => (x as { type: WitType }).type);
  const out: FuncDef = { params: params.map((p): NamedField => ({ name: p.name, type: (p.t as { type: WitType }).type })), size };
  if (results.length === 1) out.result = types(results)[0] as WitType;
  else if (results.length > 1) out.result = { kind: 'tuple', elements: types(results) };
  return out;
}

/** `externdesc`: what an import or export (or export ascription) declares, resolved in `scope`. */
export function readExternDesc(r: ByteReader, scope: Scope): Extern {
  const at = r.pos;
  const kind = r.u8();
  switch (kind) {
    case 0x00: {
      const core = r.u8();
      if (core !== 0x11) throw invalid(`unknown core extern kind 0x${hex(core)} at byte ${at}`);
      r.u32();
      return { sort: 'module' };
    }
    case 0x01: {
      const def = typeAt(scope, r.u32(), at);
      if (def.tag !== 'func') throw invalid(`function at byte ${at} has a ${def.tag} type`);
      return { sort: 'func', func: def.func };
    }
    case 0x02: {
      const b = r.u8();
      if (b === 0x00) r.u32();
      else if (b === 0x01) readValType(r, scope);
      else throw invalid(`unknown value bound 0x${hex(b)} at byte ${at}`);
      return { sort: 'value' };
    }
    case 0x03: {
      const b = r.u8();
      if (b === 0x00) return { sort: 'type', type: typeAt(scope, r.u32(), at) };
      if (b === 0x01) return { sort: 'type', type: scope.ctx.newResource() };
      throw invalid(`unknown type bound 0x${hex(b)} at byte ${at}`);
    }
    case 0x04: {
      const def = typeAt(scope, r.u32(), at);
      if (def.tag !== 'component') throw invalid(`component at byte ${at} has a ${def.tag} type`);
      return { sort: 'component', imports: def.imports, exports: def.exports };
    }
    case 0x05: {
      const def = typeAt(scope, r.u32(), at);
      if (def.tag !== 'instance') throw invalid(`instance at byte ${at} has a ${def.tag} type`);
      return { sort: 'instance', exports: def.exports };
    }
    default:
      throw invalid(`unknown extern kind 0x${hex(kind)} at byte ${at}`);
  }
}

/** Declarations of an instance type (0x42) or component type (0x41), each in a fresh type scope. */
function readDecls(r: ByteReader, parent: Scope, component: boolean): Scope {
  const scope = new Scope(parent);
  r.vec(() => {
    const at = r.pos;
    const tag = r.u8();
    if (tag === 0x00) return skipCoreType(r);
    if (tag === 0x01) return void scope.types.push(readTypeDef(r, scope));
    if (tag === 0x02) return readAlias(r, scope);
    if (tag === 0x04 || (tag === 0x03 && component)) {
      const name = readExternName(r);
      const item = named(readExternDesc(r, scope), name, scope.ctx);
      (tag === 0x04 ? scope.exports : scope.imports).set(name, item);
      return scope.push(item);
    }
    throw invalid(`unknown ${component ? 'component' : 'instance'} type declaration 0x${hex(tag)} at byte ${at}`);
  });
  return scope;
}

/** One `type` definition (the type section and type declarators share this encoding). */
export function readTypeDef(r: ByteReader, scope: Scope): TypeDef {
  const at = r.pos;
  const tag = r.peek();
  if (PRIMITIVES[tag] !== undefined || tag === ERROR_CONTEXT) return readValType(r, scope);
  r.u8();
  switch (tag) {
    case 0x40:
    case 0x43:
      return { tag: 'func', func: readFuncType(r, scope) };
    case 0x41: {
      const s = readDecls(r, scope, true);
      return { tag: 'component', imports: s.imports, exports: s.exports };
    }
    case 0x42:
      return { tag: 'instance', exports: readDecls(r, scope, false).exports };
    case 0x3f:
    case 0x3e: {
      const rep = r.u8();
      if (rep !== 0x7f) throw invalid(`unknown resource representation 0x${hex(rep)} at byte ${at}`);
      r.option(() => r.u32(), 'resource destructor');
      if (tag === 0x3e) r.option(() => r.u32(), 'resource callback');
      return scope.ctx.newResource();
    }
    default:
      return readDefValType(r, scope, tag, at);
  }
}
