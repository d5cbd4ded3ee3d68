// Collects the `///` doc comments of WIT sources into the JSON that wit-component's `package-docs` section holds.
//
// Tracked: the package, worlds, interfaces (top-level and inline world exports), functions, resource members, and
// records, variants, enums and flags with their fields, cases and flags (the product shows those in tool schemas).

export interface FuncDocsMap {
  [name: string]: string;
}
/** wit-parser's TypeMetadata: the type's docs and its items' (fields, cases, flags) by name. */
export interface TypeDocsJson {
  docs?: string;
  items?: Record<string, string>;
}
export interface InterfaceDocsJson {
  docs?: string;
  funcs: FuncDocsMap;
  types?: Record<string, TypeDocsJson>;
}
export interface WorldDocsJson {
  docs?: string;
  funcs: FuncDocsMap;
  interfaces: Record<string, InterfaceDocsJson>;
  types?: Record<string, TypeDocsJson>;
}
export interface PackageDocsJson {
  docs?: string;
  worlds: Record<string, WorldDocsJson>;
  interfaces: Record<string, InterfaceDocsJson>;
}

type Scope =
  | { kind: 'root' }
  | { kind: 'world'; docs: WorldDocsJson }
  | { kind: 'interface'; docs: InterfaceDocsJson }
  | { kind: 'resource'; name: string; owner: FuncDocsMap }
  | { kind: 'type'; docs: TypeDocsJson }
  | { kind: 'other' };

const IDENT = '%?[a-z][a-z0-9-]*';

/** Removes `//` comments that are not doc comments and block comments; keeps the code part of a line. */
function stripComment(line: string): string {
  return line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
}

function withDocs<T extends { docs?: string }>(target: T, docs: string | undefined): T {
  if (docs !== undefined) target.docs = docs;
  return target;
}

function put(map: FuncDocsMap, key: string, docs: string | undefined): void {
  if (docs !== undefined) map[key] = docs;
}

/** A record, variant, enum or flags declaration in a world or interface: opens a scope collecting its items' docs. */
function declareType(named: (re: string) => string | undefined, owner: { types?: Record<string, TypeDocsJson> }, docs: string | undefined): Scope | undefined {
  const name = named(`(?:record|variant|enum|flags)\\s+(${IDENT})`);
  if (name === undefined) return undefined;
  owner.types ??= {};
  return { kind: 'type', docs: (owner.types[name] = withDocs<TypeDocsJson>({}, docs)) };
}

/** Opens the scope a declaration line starts, recording its docs; returns undefined when the line opens none. */
function declare(code: string, scope: Scope, docs: string | undefined, out: PackageDocsJson): Scope | undefined {
  const named = (re: string) => new RegExp(`^${re}`).exec(code)?.[1]?.replace(/^%/, '');
  if (scope.kind === 'root') {
    if (/^package\s/.test(code)) withDocs(out, docs);
    const world = named(`world\\s+(${IDENT})`);
    if (world !== undefined) return { kind: 'world', docs: (out.worlds[world] = withDocs<WorldDocsJson>({ funcs: {}, interfaces: {} }, docs)) };
    const iface = named(`interface\\s+(${IDENT})`);
    if (iface !== undefined) return { kind: 'interface', docs: (out.interfaces[iface] = withDocs<InterfaceDocsJson>({ funcs: {} }, docs)) };
  } else if (scope.kind === 'world') {
    const inline = named(`export\\s+(${IDENT})\\s*:\\s*interface\\b`);
    if (inline !== undefined) return { kind: 'interface', docs: (scope.docs.interfaces[inline] = withDocs<InterfaceDocsJson>({ funcs: {} }, docs)) };
    const fn = named(`export\\s+(${IDENT})\\s*:\\s*(?:async\\s+)?func\\b`);
    if (fn !== undefined) put(scope.docs.funcs, fn, docs);
    return declareType(named, scope.docs, docs);
  } else if (scope.kind === 'type') {
    // An item starts its line: `name: type,` (field), `name(type),` or `name,` (case, flag).
    const item = named(`(${IDENT})\\s*(?=[:(,}]|$)`);
    if (item !== undefined && docs !== undefined) (scope.docs.items ??= {})[item] = docs;
  } else if (scope.kind === 'interface') {
    const resource = named(`resource\\s+(${IDENT})`);
    if (resource !== undefined) return { kind: 'resource', name: resource, owner: scope.docs.funcs };
    const fn = named(`(${IDENT})\\s*:\\s*(?:async\\s+)?func\\b`);
    if (fn !== undefined) put(scope.docs.funcs, fn, docs);
    return declareType(named, scope.docs, docs);
  } else if (scope.kind === 'resource') {
    if (/^constructor\s*\(/.test(code)) put(scope.owner, `[constructor]${scope.name}`, docs);
    const stat = named(`(${IDENT})\\s*:\\s*static\\s+(?:async\\s+)?func\\b`);
    if (stat !== undefined) put(scope.owner, `[static]${scope.name}.${stat}`, docs);
    const method = named(`(${IDENT})\\s*:\\s*(?:async\\s+)?func\\b`);
    if (method !== undefined) put(scope.owner, `[method]${scope.name}.${method}`, docs);
  }
  return undefined;
}

/** Adds the docs of one WIT source to `out` (several files of one package accumulate). */
export function collectWitDocs(source: string, out: PackageDocsJson = { worlds: {}, interfaces: {} }): PackageDocsJson {
  const stack: Scope[] = [{ kind: 'root' }];
  let pending: string[] = [];
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    const doc = /^\/\/\/ ?(.*)$/.exec(line);
    if (doc && !line.startsWith('////')) {
      pending.push(doc[1] ?? '');
      continue;
    }
    const code = stripComment(line).trim();
    if (code === '') continue;
    const docs = pending.length > 0 ? pending.join('\n') : undefined;
    pending = [];
    const scope = stack[stack.length - 1]!;
    const opened = declare(code, scope, docs, out);
    // Each `{` opens a scope (the declared one, else an anonymous one such as a record body); `}` closes one.
    let first = true;
    for (const ch of code) {
      if (ch === '{') {
        stack.push(first && opened ? opened : { kind: 'other' });
        first = false;
      } else if (ch === '}' && stack.length > 1) {
        stack.pop();
      }
    }
  }
  for (const w of Object.values(out.worlds)) [w, ...Object.values(w.interfaces)].forEach(pruneTypes);
  Object.values(out.interfaces).forEach(pruneTypes);
  return out;
}

/** Drops types without docs: every type named in the section must exist where it is applied, so name only those needed. */
function pruneTypes(owner: { types?: Record<string, TypeDocsJson> }): void {
  if (!owner.types) return;
  for (const [name, t] of Object.entries(owner.types)) if (t.docs === undefined && t.items === undefined) delete owner.types[name];
  if (Object.keys(owner.types).length === 0) delete owner.types;
}

/**
 * The docs as a runtime component must carry them. wit-component (inside jco's transpile) applies the section to
 * the package it synthesizes for a component, `root:component` with world `root`, and refuses names outside it
 * ("missing world", "missing interface"). So the chosen world becomes `root`, and interfaces of the source package
 * are dropped (their docs cannot reach a runtime component; export functions at world level or through an inline
 * `export name: interface {...}` instead). Returns the docs and the names that were dropped.
 */
export function componentPackageDocs(docs: PackageDocsJson, world?: string): { docs: PackageDocsJson; dropped: string[] } {
  const names = Object.keys(docs.worlds);
  const chosen = world ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined || docs.worlds[chosen] === undefined) {
    throw new Error(names.length === 0 ? 'the WIT declares no world' : `choose the world to document: ${names.join(', ')}`);
  }
  const out: PackageDocsJson = { worlds: { root: docs.worlds[chosen] }, interfaces: {} };
  if (docs.docs !== undefined) out.docs = docs.docs;
  return { docs: out, dropped: Object.keys(docs.interfaces).map((i) => `interface ${i}`) };
}

/** Item names (fields, cases, flags) of the named types a component's functions use: a world's or one interface's. */
export type TypeItems = Record<string, readonly string[]>;

function keepPresent(owner: { types?: Record<string, TypeDocsJson> }, present: TypeItems | undefined): string[] {
  const dropped: string[] = [];
  for (const [name, t] of Object.entries(owner.types ?? {})) {
    const items = present && Object.hasOwn(present, name) ? present[name] : undefined;
    const kept = Object.entries(t.items ?? {}).filter(([item]) => items?.includes(item));
    const entry = withDocs<TypeDocsJson>(kept.length > 0 ? { items: Object.fromEntries(kept) } : {}, t.docs);
    if (items === undefined || (entry.docs === undefined && entry.items === undefined)) {
      dropped.push(name);
      delete owner.types![name];
    } else owner.types![name] = entry;
  }
  if (owner.types && Object.keys(owner.types).length === 0) delete owner.types;
  return dropped;
}

/**
 * Keeps only the type docs of the `root` world and its inline interfaces that name types, fields and cases the built
 * component has. wit-component refuses the whole section otherwise ("missing type", "not all 'items' match"), which
 * would make the component fail to load; a type the exports do not use is left out of the component. Edits `docs` in
 * place and returns the names of the types dropped.
 */
export function keepPresentTypes(docs: PackageDocsJson, world: TypeItems, interfaces: Record<string, TypeItems>): string[] {
  const root = docs.worlds.root;
  if (root === undefined) return [];
  const dropped = keepPresent(root, world);
  for (const [name, i] of Object.entries(root.interfaces))
    dropped.push(...keepPresent(i, Object.hasOwn(interfaces, name) ? interfaces[name] : undefined).map((t) => `${name}.${t}`));
  return dropped;
}

/** The section payload as wit-component writes it: version byte 0, then the JSON. */
export function encodePackageDocs(docs: PackageDocsJson): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(docs));
  const out = new Uint8Array(json.length + 1);
  out.set(json, 1);
  return out;
}
