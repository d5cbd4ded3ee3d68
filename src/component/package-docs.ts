// Reads wit-component's `package-docs` custom section (a version byte, then JSON) and attaches its doc comments.
import { type DocsBudget, type TypeDocsMap, newDocsBudget, withTypeDocs } from './type-docs.js';
import type { ComponentDescription, TypeDocs, WitFunction, WitInterface } from './wit-types.js';

export const PACKAGE_DOCS_SECTION = 'package-docs';

/** Function docs are a string (v0) or `{docs, stability}` (v1). */
type FuncDocs = string | null | { docs?: string | null };

export interface InterfaceDocs {
  docs?: string;
  funcs: Record<string, string>;
  /** Docs of the named types declared here (records, variants, enums, flags), when any has some. */
  types?: TypeDocsMap;
}

export interface PackageDocs {
  docs?: string;
  /** World docs and docs of world-level functions, by world name. */
  worlds: Record<string, { docs?: string; funcs: Record<string, string>; interfaces: Record<string, InterfaceDocs>; types?: TypeDocsMap }>;
  /** Interface docs by bare interface name (`math`, not `local:demo/math@0.1.0`). */
  interfaces: Record<string, InterfaceDocs>;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function funcDocs(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, d] of Object.entries(obj(v))) {
    const text = typeof d === 'string' ? d : str(obj(d as FuncDocs).docs);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/** `{name: {docs, stability, items: {field: docs}}}`; types with neither docs nor item docs are left out. */
function typeDocs(v: unknown): TypeDocsMap | undefined {
  const out: Record<string, TypeDocs> = {};
  for (const [name, t] of Object.entries(obj(v))) {
    const o = obj(t);
    const entry: TypeDocs = {};
    const docs = str(o.docs);
    if (docs !== undefined) entry.docs = docs;
    const items = Object.entries(obj(o.items)).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (items.length > 0) entry.items = Object.fromEntries(items);
    if (entry.docs !== undefined || entry.items !== undefined) out[name] = entry;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function interfaceDocs(v: unknown): InterfaceDocs {
  const o = obj(v);
  const out: InterfaceDocs = { funcs: funcDocs(o.funcs) };
  const docs = str(o.docs);
  if (docs !== undefined) out.docs = docs;
  const types = typeDocs(o.types);
  if (types !== undefined) out.types = types;
  return out;
}

function mapValues<T>(v: unknown, f: (x: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, f(x)]));
}

/**
 * Parses the section payload. Returns undefined for unknown versions or malformed JSON: docs are optional
 * decoration and must never make an otherwise valid component fail to load.
 */
export function parsePackageDocs(data: Uint8Array): PackageDocs | undefined {
  if (data.length < 1 || (data[0] !== 0 && data[0] !== 1)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(1)));
  } catch {
    return undefined;
  }
  const o = obj(json);
  const out: PackageDocs = {
    worlds: mapValues(o.worlds, (w) => {
      const wo = obj(w);
      const world: PackageDocs['worlds'][string] = {
        funcs: { ...funcDocs(wo.funcs), ...funcDocs(wo.func_exports) },
        interfaces: { ...mapValues(wo.interfaces, interfaceDocs), ...mapValues(wo.interface_exports, interfaceDocs) },
      };
      const docs = str(wo.docs);
      if (docs !== undefined) world.docs = docs;
      const types = typeDocs(wo.types);
      if (types !== undefined) world.types = types;
      return world;
    }),
    interfaces: mapValues(o.interfaces, interfaceDocs),
  };
  const docs = str(o.docs);
  if (docs !== undefined) out.docs = docs;
  return out;
}

/** `local:demo/math@0.1.0` -> `math`; a plain export name stays as it is. */
export function bareInterfaceName(exportName: string): string {
  const slash = exportName.lastIndexOf('/');
  const tail = slash >= 0 ? exportName.slice(slash + 1) : exportName;
  const at = tail.indexOf('@');
  return at >= 0 ? tail.slice(0, at) : tail;
}

/** WIT's key for a function inside package-docs (the mangled export name). */
export function docsKey(f: WitFunction): string {
  if (f.kind === 'constructor') return `[constructor]${f.resource}`;
  if (f.kind === 'method' || f.kind === 'static') return `[${f.kind}]${f.resource}.${f.name}`;
  return f.name;
}

function withFuncDocs(fns: WitFunction[], docs: Record<string, string>, types: TypeDocsMap | undefined, budget: DocsBudget): WitFunction[] {
  return fns.map((f) => {
    const d = docs[docsKey(f)];
    const typed = types === undefined ? f : withTypeDocs(f, types, budget);
    return d === undefined ? typed : { ...typed, docs: d };
  });
}

function withInterfaceDocs(i: WitInterface, docs: InterfaceDocs | undefined, budget: DocsBudget): WitInterface {
  if (!docs) return i;
  const out: WitInterface = { ...i, functions: withFuncDocs(i.functions, docs.funcs, docs.types, budget) };
  if (docs.docs !== undefined) out.docs = docs.docs;
  return out;
}

/**
 * Returns a copy of `desc` with docs filled in. Package interfaces match by bare name; kebab-named world
 * exports (`export calc: interface {...}`) match the world's own interface docs. The world is the only one in the
 * package, or else the first one listing docs for an exported function. Type docs (record fields, variant and
 * enum cases, flags) match named types by name within the function's own scope: the world's types for world-level
 * functions, the interface's for an interface's; they are cut to size on the way (type-docs.ts).
 */
export function applyPackageDocs<T extends Omit<ComponentDescription, 'wit'>>(desc: T, docs: PackageDocs): T {
  const worlds = Object.values(docs.worlds);
  const world = worlds.length === 1 ? worlds[0] : worlds.find((w) => desc.functions.some((f) => docsKey(f) in w.funcs));
  const budget = newDocsBudget();
  const out: T = {
    ...desc,
    functions: withFuncDocs(desc.functions, world?.funcs ?? {}, world?.types, budget),
    interfaces: desc.interfaces.map((i) => withInterfaceDocs(i, world?.interfaces[i.name] ?? docs.interfaces[bareInterfaceName(i.name)], budget)),
  };
  const worldDocs = world?.docs;
  if (worldDocs !== undefined) out.docs = worldDocs;
  return out;
}
