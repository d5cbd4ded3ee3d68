// Tool descriptions: the WIT doc comment when the component has one, else a short generated sentence.
import type { WitFunction, WitType } from './wit-types.js';

/** Longest description handed to clients; long docs are cut at a sentence or word boundary. */
export const MAX_DESCRIPTION = 1024;

/** WIT-like text for a type: its declared name when it has one, else its structure. */
export function witTypeToString(t: WitType): string {
  if ('name' in t && t.name !== undefined) return t.name;
  switch (t.kind) {
    case 'list':
      return `list<${witTypeToString(t.element)}>`;
    case 'option':
      return `option<${witTypeToString(t.inner)}>`;
    case 'tuple':
      return `tuple<${t.elements.map(witTypeToString).join(', ')}>`;
    case 'result':
      return `result<${t.ok ? witTypeToString(t.ok) : '_'}, ${t.err ? witTypeToString(t.err) : '_'}>`;
    case 'record':
      return `record { ${t.fields.map((f) => `${f.name}: ${witTypeToString(f.type)}`).join(', ')} }`;
    case 'variant':
      return `variant { ${t.cases.map((c) => (c.type ? `${c.name}(${witTypeToString(c.type)})` : c.name)).join(', ')} }`;
    case 'enum':
      return `enum { ${t.cases.join(', ')} }`;
    case 'flags':
      return `flags { ${t.flags.join(', ')} }`;
    case 'own':
      return t.resource;
    case 'borrow':
      return `borrow<${t.resource}>`;
    default:
      return t.kind;
  }
}

/** `text` when it fits in `max` characters, else cut at a sentence or word boundary with `...` appended. */
export function truncate(text: string, max = MAX_DESCRIPTION): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 3);
  const sentence = cut.lastIndexOf('. ');
  const at = sentence > max / 2 ? sentence + 1 : cut.lastIndexOf(' ');
  return `${cut.slice(0, at > 0 ? at : cut.length).trimEnd()}...`;
}

function returns(fn: WitFunction): string {
  const r = fn.result;
  if (fn.kind === 'constructor') return `returns a \`${fn.resource ?? 'resource'}\` handle`;
  if (!r) return 'returns nothing';
  if (r.kind !== 'result') return `returns ${witTypeToString(r)}`;
  const ok = r.ok ? witTypeToString(r.ok) : 'nothing';
  const err = !r.err ? 'an error' : r.err.kind === 'string' ? 'an error string' : `an error (${witTypeToString(r.err)})`;
  return `returns ${ok} or ${err}`;
}

function origin(interfaceName: string | undefined): string {
  return interfaceName === undefined ? '' : ` from interface ${interfaceName.replace(/@.*$/, '')}`;
}

/** A one-sentence description generated from names and types. */
export function generatedDescription(fn: WitFunction, interfaceName?: string): string {
  const params = fn.params.filter((p) => !(fn.kind === 'method' && p.name === 'self'));
  const takes = params.length === 0 ? 'takes no arguments' : `takes ${params.map((p) => `${p.name} (${witTypeToString(p.type)})`).join(', ')}`;
  const res = fn.resource ?? 'resource';
  const what =
    fn.kind === 'constructor'
      ? `Creates a \`${res}\`${origin(interfaceName)}`
      : fn.kind === 'method'
        ? `Calls \`${fn.name}\` on a \`${res}\` handle (self)${origin(interfaceName)}`
        : fn.kind === 'static'
          ? `Calls \`${res}.${fn.name}\`${origin(interfaceName)}`
          : `Calls \`${fn.name}\`${origin(interfaceName)}`;
  return `${what}: ${takes}; ${returns(fn)}.`;
}

/** The tool description: the function's doc comment when present, else a generated sentence. */
export function describeFunction(fn: WitFunction, interfaceName?: string): string {
  const docs = fn.docs?.trim();
  return docs ? truncate(docs) : generatedDescription(fn, interfaceName);
}
