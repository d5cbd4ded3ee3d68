// WIT types -> JSON Schema (draft 2020-12), following the JSON value mapping in architecture.md.
import type { TypeDocs, WitFunction, WitType } from './wit-types.js';

/** A JSON Schema document (2020-12). Kept loose: schemas are generated and handed to MCP clients as data. */
export type JSONSchema = Record<string, unknown>;

/**
 * `input`: what an agent may send (option fields may be absent, u64 accepts decimal strings).
 * `output`: what a tool returns (every record field present, none as null, non-finite floats as strings).
 */
export type SchemaDirection = 'input' | 'output';

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const U64_MAX = 18446744073709551615n;
export const S64_MIN = -9223372036854775808n;
export const S64_MAX = 9223372036854775807n;

/** Bounds for the integer kinds that fit a JS number exactly. */
export const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  u8: [0, 255],
  s8: [-128, 127],
  u16: [0, 65535],
  s16: [-32768, 32767],
  u32: [0, 4294967295],
  s32: [-2147483648, 2147483647],
};

/** What f32/f64 NaN and infinities become in JSON output (JSON has no literal for them). */
export const NON_FINITE_STRINGS = ['NaN', 'Infinity', '-Infinity'] as const;

/**
 * A regex alternation matching the decimal numbers 1..max without leading zeros, so a schema
 * can bound u64/s64 strings exactly (JSON Schema has no big-integer comparison).
 */
export function decimalUpTo(max: bigint): string {
  const digits = max.toString();
  const n = digits.length;
  const alts = n > 1 ? [`[1-9][0-9]{0,${n - 2}}`] : [];
  for (let i = 0; i < n; i++) {
    const d = Number(digits[i]);
    const low = i === 0 ? 1 : 0;
    if (d > low) alts.push(`${digits.slice(0, i)}[${low}-${d - 1}]${i < n - 1 ? `[0-9]{${n - 1 - i}}` : ''}`);
  }
  alts.push(digits);
  return alts.join('|');
}

const U64_PATTERN = `^(0|${decimalUpTo(U64_MAX)})$`;
const S64_PATTERN = `^(0|${decimalUpTo(S64_MAX)}|-(${decimalUpTo(-S64_MIN)}))$`;

/** Whether jco represents this option as `{tag: 'none'} | {tag: 'some', val}` rather than `undefined | T`. */
export function isTaggedOption(t: WitType): boolean {
  // jco uses undefined for none unless the payload itself can be undefined, i.e. an untagged option.
  return t.kind === 'option' && t.inner.kind === 'option' && !isTaggedOption(t.inner);
}

/** Whether a record field or parameter of this type may be omitted by the caller. */
export function isOptional(t: WitType): boolean {
  return t.kind === 'option';
}

/** `schema` described by a doc comment; a description it already has (a value-mapping note) follows in brackets. */
function described(schema: JSONSchema, doc: string | undefined): JSONSchema {
  if (doc === undefined) return schema;
  return { ...schema, description: typeof schema.description === 'string' ? `${doc} (${schema.description})` : doc };
}

function titled(t: WitType, schema: JSONSchema): JSONSchema {
  const docs = 'docs' in t ? t.docs?.docs : undefined;
  return 'name' in t && t.name !== undefined ? described({ title: t.name, ...schema }, docs) : described(schema, docs);
}

/** The doc of one field, case or flag (own keys only: a field may be called `constructor`). */
function itemDoc(docs: TypeDocs | undefined, name: string): string | undefined {
  return docs?.items && Object.hasOwn(docs.items, name) ? docs.items[name] : undefined;
}

/** Enum case docs have no schema slot of their own (the cases are plain strings), so they join the description. */
function enumDescription(cases: string[], docs: TypeDocs | undefined): JSONSchema {
  const lines = cases.flatMap((c) => {
    const doc = itemDoc(docs, c);
    return doc === undefined ? [] : [`${c}: ${doc}`];
  });
  return lines.length > 0 ? { description: lines.join('\n') } : {};
}

function integerSchema(kind: string, dir: SchemaDirection): JSONSchema {
  const range = INT_RANGES[kind];
  if (range) return { type: 'integer', minimum: range[0], maximum: range[1] };
  const unsigned = kind === 'u64';
  // Numbers past 2^53 lose precision in JSON parsers, so only safe integers travel as numbers.
  return {
    type: ['integer', 'string'],
    minimum: unsigned ? 0 : -MAX_SAFE,
    maximum: MAX_SAFE,
    pattern: unsigned ? U64_PATTERN : S64_PATTERN,
    description:
      dir === 'input' ? `${kind}: an integer, or a decimal string for values beyond 2^53` : `${kind}: an integer, or a decimal string when beyond 2^53`,
  };
}

function floatSchema(kind: string, dir: SchemaDirection): JSONSchema {
  if (dir === 'input') return { type: 'number' };
  return {
    anyOf: [{ type: 'number' }, { type: 'string', enum: [...NON_FINITE_STRINGS] }],
    description: `${kind}; NaN and infinities are the strings "NaN", "Infinity", "-Infinity"`,
  };
}

/** `T or null`, written compactly when T is a plain typed schema. */
function nullable(inner: JSONSchema): JSONSchema {
  if (typeof inner.type === 'string' && !('enum' in inner) && !('const' in inner)) {
    return { ...inner, type: [inner.type, 'null'] };
  }
  if (Array.isArray(inner.type) && !('enum' in inner) && !('const' in inner)) {
    return inner.type.includes('null') ? inner : { ...inner, type: [...inner.type, 'null'] };
  }
  if (Array.isArray(inner.enum)) {
    const types = typeof inner.type === 'string' ? [inner.type, 'null'] : undefined;
    return { ...inner, ...(types ? { type: types } : {}), enum: [...inner.enum, null] };
  }
  if (Array.isArray(inner.anyOf) && inner.anyOf.some((s: JSONSchema) => s.type === 'null')) return inner;
  return { anyOf: [inner, { type: 'null' }] };
}

function caseSchema(tag: string, payload: WitType | undefined, dir: SchemaDirection, doc?: string): JSONSchema {
  const properties: JSONSchema = { tag: { const: tag } };
  const required = ['tag'];
  if (payload) {
    properties.val = witTypeToSchema(payload, dir);
    if (dir === 'output' || !isOptional(payload)) required.push('val');
  }
  return described({ type: 'object', properties, required, additionalProperties: false }, doc);
}

/** JSON Schema for one WIT type. Pure; never throws for a well-formed type. */
export function witTypeToSchema(t: WitType, dir: SchemaDirection = 'input'): JSONSchema {
  switch (t.kind) {
    case 'bool':
      return { type: 'boolean' };
    case 'u8':
    case 's8':
    case 'u16':
    case 's16':
    case 'u32':
    case 's32':
    case 'u64':
    case 's64':
      return integerSchema(t.kind, dir);
    case 'f32':
    case 'f64':
      return floatSchema(t.kind, dir);
    case 'char':
      return { type: 'string', minLength: 1, maxLength: 1, description: 'a single Unicode character' };
    case 'string':
      return { type: 'string' };
    case 'list':
      return titled(t, { type: 'array', items: witTypeToSchema(t.element, dir) });
    case 'tuple':
      return titled(t, {
        type: 'array',
        prefixItems: t.elements.map((e) => witTypeToSchema(e, dir)),
        minItems: t.elements.length,
        maxItems: t.elements.length,
      });
    case 'record': {
      const properties: JSONSchema = {};
      for (const f of t.fields) properties[f.name] = described(witTypeToSchema(f.type, dir), itemDoc(t.docs, f.name));
      const required = t.fields.filter((f) => dir === 'output' || !isOptional(f.type)).map((f) => f.name);
      return titled(t, { type: 'object', properties, required, additionalProperties: false });
    }
    case 'variant':
      return titled(t, { oneOf: t.cases.map((c) => caseSchema(c.name, c.type, dir, itemDoc(t.docs, c.name))) });
    case 'result':
      return titled(t, { oneOf: [caseSchema('ok', t.ok, dir), caseSchema('err', t.err, dir)] });
    case 'enum':
      return titled(t, { type: 'string', enum: [...t.cases], ...enumDescription(t.cases, t.docs) });
    case 'flags': {
      const properties: JSONSchema = {};
      for (const f of t.flags) properties[f] = described({ type: 'boolean' }, itemDoc(t.docs, f));
      return titled(t, {
        type: 'object',
        properties,
        additionalProperties: false,
        description: 'flags: true to set, absent or false to clear',
      });
    }
    case 'option': {
      // option<option<T>> collapses: JSON null can only mean the outermost none.
      const inner = witTypeToSchema(t.inner, dir);
      return titled(t, nullable(inner));
    }
    case 'own':
      return { type: 'string', description: `handle to a \`${t.resource}\` resource` };
    case 'borrow':
      return { type: 'string', description: `handle to a \`${t.resource}\` resource (borrowed)` };
  }
}

export interface ToolSchemas {
  inputSchema: JSONSchema;
  outputSchema: JSONSchema;
}

/** The type carried in `{result: ...}` on success: T for a top-level `result<T, E>`, else the return type. */
export function successType(fn: WitFunction): WitType | undefined {
  return fn.result?.kind === 'result' ? fn.result.ok : fn.result;
}

/**
 * Input: an object keyed by WIT parameter names as written (methods include `self`, a handle string).
 * Output: `{result: T}`; a top-level `result<T, E>` reports T here and E through an isError result.
 * Functions with no success value (no return, or `result<_, E>`) return `{}`: the schema allows no
 * properties, so `result` is never required.
 */
export function toolSchemas(fn: WitFunction): ToolSchemas {
  const properties: JSONSchema = {};
  for (const p of fn.params) properties[p.name] = witTypeToSchema(p.type, 'input');
  const required = fn.params.filter((p) => !isOptional(p.type)).map((p) => p.name);
  const inputSchema: JSONSchema = { type: 'object', properties, required, additionalProperties: false };
  const ok = successType(fn);
  const outputSchema: JSONSchema = ok
    ? { type: 'object', properties: { result: witTypeToSchema(ok, 'output') }, required: ['result'], additionalProperties: false }
    : { type: 'object', properties: {}, additionalProperties: false };
  return { inputSchema, outputSchema };
}
