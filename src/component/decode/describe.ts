// Turns the decoded top-level scope into the shared ComponentDescription shape (without docs and WIT text).
import type { ComponentDescription, FunctionKind, SkippedFunction, WitFunction, WitInterface, WitType } from '../wit-types.js';
import { checkExportBudget } from './export-budget.js';
import { type ExternMap, type FuncDef, PLACEHOLDER, type Scope } from './model.js';

export interface ParsedFunctionName {
  name: string;
  kind: FunctionKind;
  resource?: string;
}

const PREFIXES: [RegExp, FunctionKind][] = [
  [/^\[(?:async )?constructor\](.+)$/, 'constructor'],
  [/^\[(?:async )?method\]([^.]+)\.(.+)$/, 'method'],
  [/^\[(?:async )?static\]([^.]+)\.(.+)$/, 'static'],
];

/**
 * Splits wit-component's mangled export names: `[constructor]counter` -> constructor of `counter` (named
 * `constructor`), `[method]counter.get` -> method `get`, `[static]counter.make` -> static `make`.
 */
export function parseFunctionName(exportName: string): ParsedFunctionName {
  for (const [re, kind] of PREFIXES) {
    const m = re.exec(exportName);
    if (m) return { name: kind === 'constructor' ? 'constructor' : (m[2] as string), kind, resource: m[1] as string };
  }
  return { name: exportName.replace(/^\[async\]/, ''), kind: 'freestanding' };
}

/** Replaces names of resources that were only named by a later export. */
function fixResources(t: WitType, names: Map<string, string>): WitType {
  switch (t.kind) {
    case 'own':
    case 'borrow':
      return t.resource.startsWith(PLACEHOLDER) ? { ...t, resource: names.get(t.resource) ?? t.resource } : t;
    case 'list':
      return { ...t, element: fixResources(t.element, names) };
    case 'option':
      return { ...t, inner: fixResources(t.inner, names) };
    case 'tuple':
      return { ...t, elements: t.elements.map((e) => fixResources(e, names)) };
    case 'record':
      return { ...t, fields: t.fields.map((f) => ({ name: f.name, type: fixResources(f.type, names) })) };
    case 'variant':
      return { ...t, cases: t.cases.map((c) => (c.type ? { name: c.name, type: fixResources(c.type, names) } : c)) };
    case 'result': {
      const out: WitType = { ...t };
      if (t.ok) out.ok = fixResources(t.ok, names);
      if (t.err) out.err = fixResources(t.err, names);
      return out;
    }
    default:
      return t;
  }
}

function toFunction(exportName: string, def: FuncDef, names: Map<string, string>): WitFunction {
  const parsed = parseFunctionName(exportName);
  const fn: WitFunction = {
    name: parsed.name,
    kind: parsed.kind,
    ...(parsed.resource === undefined ? {} : { resource: parsed.resource }),
    params: def.params.map((p) => ({ name: p.name, type: fixResources(p.type, names) })),
  };
  if (def.result) fn.result = fixResources(def.result, names);
  return fn;
}

/**
 * Functions of an export map; functions whose types the model cannot express (stream, future) are
 * left out and listed in `skipped` (qualified by `where`) so the loader can say so.
 */
function functionsOf(exports: ExternMap, names: Map<string, string>, skipped: SkippedFunction[], where?: string): WitFunction[] {
  const out: WitFunction[] = [];
  for (const [name, item] of exports) {
    if (item.sort !== 'func') continue;
    if (item.func.unsupported === undefined) out.push(toFunction(name, item.func, names));
    else skipped.push({ name: where === undefined ? name : `${where}#${name}`, reason: `uses ${item.func.unsupported}` });
  }
  return out;
}

function resourcesOf(exports: ExternMap, functions: WitFunction[]): string[] {
  const out = new Set<string>();
  for (const [name, item] of exports) if (item.sort === 'type' && item.type.tag === 'resource') out.add(name);
  for (const f of functions) if (f.resource !== undefined) out.add(f.resource);
  return [...out];
}

export function describeScope(scope: Scope): Omit<ComponentDescription, 'wit'> {
  // Before anything expands a shared type tree (fixResources copies it per function), refuse on the DAG sizes.
  checkExportBudget(scope);
  const names = scope.ctx.resourceNames;
  const skipped: SkippedFunction[] = [];
  const interfaces: WitInterface[] = [];
  for (const [name, item] of scope.exports) {
    if (item.sort !== 'instance') continue;
    const functions = functionsOf(item.exports, names, skipped, name);
    interfaces.push({ name, functions, resources: resourcesOf(item.exports, functions) });
  }
  const imports = [...scope.imports].filter(([, i]) => i.sort === 'instance' || i.sort === 'func').map(([n]) => n);
  const functions = functionsOf(scope.exports, names, skipped);
  return { functions, interfaces, imports, ...(skipped.length > 0 ? { skipped } : {}) };
}
