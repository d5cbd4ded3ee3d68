// Renders a ComponentDescription as readable WIT: a world listing imports and exports, then each exported interface.
import { bareInterfaceName } from './package-docs.js';
import type { ComponentDescription, WitFunction, WitInterface, WitType } from './wit-types.js';

const KEYWORDS = new Set([
  'as',
  'async',
  'bool',
  'borrow',
  'char',
  'constructor',
  'enum',
  'export',
  'f32',
  'f64',
  'flags',
  'from',
  'func',
  'future',
  'import',
  'include',
  'interface',
  'list',
  'option',
  'own',
  'package',
  'record',
  'resource',
  'result',
  's16',
  's32',
  's64',
  's8',
  'static',
  'stream',
  'string',
  'tuple',
  'type',
  'u16',
  'u32',
  'u64',
  'u8',
  'use',
  'variant',
  'with',
  'world',
  'error-context',
]);

/** WIT identifiers that collide with keywords are written with a leading `%`. */
export function witIdent(name: string): string {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

/** A type as it appears where it is used: named types by name, anonymous ones spelled out. */
export function typeRef(t: WitType): string {
  if ('name' in t && t.name !== undefined) return witIdent(t.name);
  switch (t.kind) {
    case 'list':
      return `list<${typeRef(t.element)}>`;
    case 'option':
      return `option<${typeRef(t.inner)}>`;
    case 'tuple':
      return `tuple<${t.elements.map(typeRef).join(', ')}>`;
    case 'result':
      if (!t.ok && !t.err) return 'result';
      if (!t.err) return `result<${typeRef(t.ok as WitType)}>`;
      return `result<${t.ok ? typeRef(t.ok) : '_'}, ${typeRef(t.err)}>`;
    case 'own':
      return witIdent(t.resource);
    case 'borrow':
      return `borrow<${witIdent(t.resource)}>`;
    // Anonymous aggregates cannot be written in WIT; spell them inline so nothing is hidden.
    case 'record':
      return `record { ${t.fields.map((f) => `${witIdent(f.name)}: ${typeRef(f.type)}`).join(', ')} }`;
    case 'variant':
      return `variant { ${t.cases.map(caseText).join(', ')} }`;
    case 'enum':
      return `enum { ${t.cases.map(witIdent).join(', ')} }`;
    case 'flags':
      return `flags { ${t.flags.map(witIdent).join(', ')} }`;
    default:
      return t.kind;
  }
}

function caseText(c: { name: string; type?: WitType }): string {
  return c.type ? `${witIdent(c.name)}(${typeRef(c.type)})` : witIdent(c.name);
}

function children(t: WitType): WitType[] {
  switch (t.kind) {
    case 'list':
      return [t.element];
    case 'option':
      return [t.inner];
    case 'tuple':
      return t.elements;
    case 'record':
      return t.fields.map((f) => f.type);
    case 'variant':
      return t.cases.flatMap((c) => (c.type ? [c.type] : []));
    case 'result':
      return [t.ok, t.err].filter((x): x is WitType => x !== undefined);
    default:
      return [];
  }
}

/** Named types reachable from `fns`, dependencies first, one per name. */
function namedTypes(fns: WitFunction[]): WitType[] {
  const seen = new Map<string, WitType>();
  const visit = (t: WitType): void => {
    const name = 'name' in t ? t.name : undefined;
    if (name !== undefined && seen.has(name)) return;
    children(t).forEach(visit);
    if (name !== undefined) seen.set(name, t);
  };
  for (const f of fns) {
    for (const p of f.params) visit(p.type);
    if (f.result) visit(f.result);
  }
  return [...seen.values()];
}

function typeDef(t: WitType, indent: string): string {
  const name = witIdent((t as { name: string }).name);
  const docs = 'docs' in t ? t.docs : undefined;
  const item = (n: string): string | undefined => (docs?.items && Object.hasOwn(docs.items, n) ? docs.items[n] : undefined);
  const body = (items: Array<[text: string, doc: string | undefined]>): string =>
    items.length === 0 ? '{}' : `{\n${items.flatMap(([text, doc]) => [...docLines(doc, `${indent}  `), `${indent}  ${text},`]).join('\n')}\n${indent}}`;
  const head = docLines(docs?.docs, indent)
    .map((l) => `${l}\n`)
    .join('');
  switch (t.kind) {
    case 'record':
      return `${head}${indent}record ${name} ${body(t.fields.map((f) => [`${witIdent(f.name)}: ${typeRef(f.type)}`, item(f.name)]))}`;
    case 'variant':
      return `${head}${indent}variant ${name} ${body(t.cases.map((c) => [caseText(c), item(c.name)]))}`;
    case 'enum':
      return `${head}${indent}enum ${name} ${body(t.cases.map((c) => [witIdent(c), item(c)]))}`;
    case 'flags':
      return `${head}${indent}flags ${name} ${body(t.flags.map((f) => [witIdent(f), item(f)]))}`;
    default:
      return `${indent}type ${name} = ${typeRef({ ...t, name: undefined } as WitType)};`;
  }
}

function docLines(docs: string | undefined, indent: string): string[] {
  return docs ? docs.split('\n').map((l) => `${indent}/// ${l}`.trimEnd()) : [];
}

function signature(f: WitFunction): string {
  const params = (f.kind === 'method' ? f.params.slice(1) : f.params).map((p) => `${witIdent(p.name)}: ${typeRef(p.type)}`).join(', ');
  if (f.kind === 'constructor') return `constructor(${params});`;
  const result = f.result ? ` -> ${typeRef(f.result)}` : '';
  return `${witIdent(f.name)}: ${f.kind === 'static' ? 'static ' : ''}func(${params})${result};`;
}

function functionLines(f: WitFunction, indent: string): string[] {
  return [...docLines(f.docs, indent), `${indent}${signature(f)}`];
}

/** The body lines of an interface: type definitions, resources with their functions, then free functions. */
function interfaceBody(i: WitInterface, indent: string): string[] {
  const lines = namedTypes(i.functions).map((t) => typeDef(t, indent));
  for (const r of i.resources) {
    const members = i.functions.filter((f) => f.resource === r && f.kind !== 'freestanding');
    if (members.length === 0) lines.push(`${indent}resource ${witIdent(r)};`);
    else lines.push(`${indent}resource ${witIdent(r)} {`, ...members.flatMap((f) => functionLines(f, `${indent}  `)), `${indent}}`);
  }
  for (const f of i.functions.filter((fn) => fn.kind === 'freestanding')) lines.push(...functionLines(f, indent));
  return lines;
}

/** Readable WIT for a decoded component. Package-less: the world is named `component`. */
export function printWit(desc: Omit<ComponentDescription, 'wit'>): string {
  const out: string[] = [...docLines(desc.docs, ''), 'world component {'];
  for (const name of desc.imports) out.push(`  import ${name.includes(':') ? name : witIdent(name)};`);
  for (const t of namedTypes(desc.functions)) out.push(typeDef(t, '  '));
  const separate: WitInterface[] = [];
  for (const i of desc.interfaces) {
    if (i.name.includes(':')) {
      out.push(`  export ${i.name};`);
      separate.push(i);
    } else {
      out.push(...docLines(i.docs, '  '), `  export ${witIdent(i.name)}: interface {`, ...interfaceBody(i, '    '), '  }');
    }
  }
  for (const f of desc.functions) {
    out.push(...docLines(f.docs, '  '), `  export ${signature(f)}`);
  }
  out.push('}');
  for (const i of separate) {
    out.push('', `// ${i.name}`, ...docLines(i.docs, ''), `interface ${witIdent(bareInterfaceName(i.name))} {`, ...interfaceBody(i, '  '), '}');
  }
  return `${out.join('\n')}\n`;
}
