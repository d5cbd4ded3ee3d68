// Attaches package-docs type docs (record fields, variant and enum cases, flags) to a function's types, within size caps.
import { truncate } from './describe.js';
import type { TypeDocs, WitFunction, WitType } from './wit-types.js';

/** Type docs of one scope (a world or an interface) by type name. */
export type TypeDocsMap = Readonly<Record<string, TypeDocs>>;

/** Longest single type or item doc; longer ones are cut at a sentence or word boundary. */
export const MAX_TYPE_DOC = 512;
/**
 * Type-doc characters one function's types may carry in total (its tool's schemas repeat them), and the whole
 * component's: a component cannot grow tools/list much past its function descriptions with them. Docs past a cap
 * are left out, not cut.
 */
export const MAX_FUNCTION_TYPE_DOCS = 4096;
export const MAX_COMPONENT_TYPE_DOCS = 65_536;

export interface DocsBudget {
  component: number;
  function: number;
}

export function newDocsBudget(): DocsBudget {
  return { component: MAX_COMPONENT_TYPE_DOCS, function: MAX_FUNCTION_TYPE_DOCS };
}

/** The doc trimmed and cut to MAX_TYPE_DOC, or undefined when empty or past what the budget has left. */
function charge(text: string, budget: DocsBudget): string | undefined {
  const doc = truncate(text.trim(), MAX_TYPE_DOC);
  if (doc === '' || doc.length > budget.function || doc.length > budget.component) return undefined;
  budget.function -= doc.length;
  budget.component -= doc.length;
  return doc;
}

/** The docs for a type with these item names: only items the type has, each charged to the budget. */
function docsFor(entry: TypeDocs | undefined, names: readonly string[], budget: DocsBudget): TypeDocs | undefined {
  if (entry === undefined) return undefined;
  const out: TypeDocs = {};
  const docs = entry.docs === undefined ? undefined : charge(entry.docs, budget);
  if (docs !== undefined) out.docs = docs;
  const items: Record<string, string> = {};
  for (const name of names) {
    const raw = entry.items && Object.hasOwn(entry.items, name) ? entry.items[name] : undefined;
    const doc = raw === undefined ? undefined : charge(raw, budget);
    if (doc !== undefined) items[name] = doc;
  }
  if (Object.keys(items).length > 0) out.items = items;
  return out.docs !== undefined || out.items !== undefined ? out : undefined;
}

function lookup(t: { name?: string }, types: TypeDocsMap): TypeDocs | undefined {
  return t.name !== undefined && Object.hasOwn(types, t.name) ? types[t.name] : undefined;
}

function annotate(t: WitType, types: TypeDocsMap, budget: DocsBudget): WitType {
  switch (t.kind) {
    case 'list':
      return { ...t, element: annotate(t.element, types, budget) };
    case 'option':
      return { ...t, inner: annotate(t.inner, types, budget) };
    case 'tuple':
      return { ...t, elements: t.elements.map((e) => annotate(e, types, budget)) };
    case 'result': {
      const out = { ...t };
      if (t.ok) out.ok = annotate(t.ok, types, budget);
      if (t.err) out.err = annotate(t.err, types, budget);
      return out;
    }
    case 'record': {
      const docs = docsFor(
        lookup(t, types),
        t.fields.map((f) => f.name),
        budget,
      );
      const fields = t.fields.map((f) => ({ ...f, type: annotate(f.type, types, budget) }));
      return docs ? { ...t, fields, docs } : { ...t, fields };
    }
    case 'variant': {
      const docs = docsFor(
        lookup(t, types),
        t.cases.map((c) => c.name),
        budget,
      );
      const cases = t.cases.map((c) => (c.type ? { ...c, type: annotate(c.type, types, budget) } : c));
      return docs ? { ...t, cases, docs } : { ...t, cases };
    }
    case 'enum': {
      const docs = docsFor(lookup(t, types), t.cases, budget);
      return docs ? { ...t, docs } : t;
    }
    case 'flags': {
      const docs = docsFor(lookup(t, types), t.flags, budget);
      return docs ? { ...t, docs } : t;
    }
    default:
      return t;
  }
}

/**
 * `fn` with the docs of its named types filled in from `types` (its scope's). Names match within the scope only, and
 * only items the type really has get docs. Each function starts with a fresh per-function allowance.
 */
export function withTypeDocs(fn: WitFunction, types: TypeDocsMap, budget: DocsBudget): WitFunction {
  budget.function = MAX_FUNCTION_TYPE_DOCS;
  const out: WitFunction = { ...fn, params: fn.params.map((p) => ({ ...p, type: annotate(p.type, types, budget) })) };
  if (fn.result) out.result = annotate(fn.result, types, budget);
  return out;
}
