// JSON <-> the JS values jco's transpiled bindings take and return, checked against the WIT type.
//
// jco conventions (verified by transpiling a component with jco-transpile 0.15.0, see values.test.ts):
// record fields and flag keys are lowerCamelCase (`first-name` -> `firstName`, `HTTP-code` -> `httpCode`);
// variant tags and enum cases stay as written in WIT; u64/s64 are BigInt; lists of numbers are typed
// arrays (list<u8> -> Uint8Array); option none is `undefined`, except an option whose payload is itself
// an undefined-able option, which is `{tag: 'none'} | {tag: 'some', val}`; nested results are `{tag, val}`.
//
// JSON limits, chosen and documented here:
// - option<option<T>>: JSON null is the outermost none; `some(none)` cannot be sent, and is output as null.
// - f32/f64 NaN and +-Infinity are output as the strings "NaN", "Infinity", "-Infinity"; inputs must be finite.
import { ErrorCode, WassetteError } from '../errors.js';
import type { WitFunction, WitType } from './wit-types.js';
import { INT_RANGES, MAX_SAFE, S64_MAX, S64_MIN, U64_MAX, isOptional, isTaggedOption } from './schema.js';

/** Hooks for resource handles; without them handle strings pass through unchanged both ways. */
export interface ValueHooks {
  /** Maps a handle string sent by the agent to the JS resource object the bindings expect. */
  handleToResource?(handle: string, resource: string, borrowed: boolean): unknown;
  /** Maps a resource object returned by the component to a handle string for the agent. */
  resourceToHandle?(value: unknown, resource: string): string;
}

/** jco's JS name for a WIT name (record field, flag, function, method): lowerCamelCase. */
export function witNameToJs(name: string): string {
  return name
    .replace(/^%/, '')
    .split('-')
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}

/** jco's JS class name for a WIT resource: UpperCamelCase (`counter-thing` -> `CounterThing`). */
export function witNameToJsClass(name: string): string {
  const camel = witNameToJs(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

const TYPED_ARRAYS: Record<string, { from(items: ArrayLike<never>): unknown }> = {
  u8: Uint8Array,
  s8: Int8Array,
  u16: Uint16Array,
  s16: Int16Array,
  u32: Uint32Array,
  s32: Int32Array,
  u64: BigUint64Array,
  s64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};
const U64_RE = /^(0|[1-9][0-9]*)$/;
const S64_RE = /^(0|-?[1-9][0-9]*)$/;
const F32_MAX = 3.4028234663852886e38;

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}...` : JSON.stringify(v);
  return String(v);
}

function bad(path: string, message: string): never {
  throw new WassetteError(ErrorCode.InvalidArgument, `argument '${path}': ${message}`, { data: { path } });
}

function expected(path: string, what: string, got: unknown): never {
  return bad(path, `expected ${what}, got ${shown(got)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function checkKeys(path: string, json: Record<string, unknown>, allowed: string[], what: string): void {
  for (const key of Object.keys(json)) {
    if (!allowed.includes(key)) bad(path, `unknown ${what} '${key}' (expected one of: ${allowed.join(', ')})`);
  }
}

function toBigInt(kind: 'u64' | 's64', json: unknown, path: string): bigint {
  const [min, max] = kind === 'u64' ? [0n, U64_MAX] : [S64_MIN, S64_MAX];
  const what = `integer ${min}..${max} (a decimal string beyond 2^53)`;
  let big: bigint;
  if (typeof json === 'number' && Number.isInteger(json)) {
    if (!Number.isSafeInteger(json)) bad(path, `${json} is beyond 2^53 and may have lost precision; pass it as a decimal string`);
    big = BigInt(json);
  } else if (typeof json === 'string' && (kind === 'u64' ? U64_RE : S64_RE).test(json)) {
    big = BigInt(json);
  } else {
    return expected(path, what, json);
  }
  if (big < min || big > max) expected(path, what, json);
  return big;
}

function caseToWit(tag: string, payload: WitType | undefined, json: Record<string, unknown>, path: string, hooks: ValueHooks): unknown {
  checkKeys(path, json, payload ? ['tag', 'val'] : ['tag'], 'key');
  if (!payload) return { tag };
  if (!Object.hasOwn(json, 'val') && !isOptional(payload)) bad(path, `case '${tag}' needs a 'val'`);
  return { tag, val: jsonToWit(payload, json.val, `${path}.val`, hooks) };
}

function tagOf(json: unknown, path: string, tags: string[]): string {
  if (!isObject(json)) return expected(path, `an object {"tag": ${tags.map((t) => `"${t}"`).join(' | ')}, "val"?}`, json);
  const tag = json.tag;
  if (typeof tag !== 'string' || !tags.includes(tag)) bad(path, `unknown tag ${shown(tag)} (expected one of: ${tags.join(', ')})`);
  return tag;
}

/** Converts an agent's JSON value to what the bindings take; `path` names the value in errors. */
export function jsonToWit(t: WitType, json: unknown, path: string, hooks: ValueHooks = {}): unknown {
  switch (t.kind) {
    case 'bool':
      return typeof json === 'boolean' ? json : expected(path, 'boolean', json);
    case 'u8':
    case 's8':
    case 'u16':
    case 's16':
    case 'u32':
    case 's32': {
      const [min, max] = INT_RANGES[t.kind] ?? [0, 0];
      const ok = typeof json === 'number' && Number.isInteger(json) && json >= min && json <= max;
      return ok ? json : expected(path, `integer ${min}..${max}`, json);
    }
    case 'u64':
    case 's64':
      return toBigInt(t.kind, json, path);
    case 'f32':
    case 'f64': {
      const ok = typeof json === 'number' && Number.isFinite(json) && (t.kind === 'f64' || Math.abs(json) <= F32_MAX);
      return ok ? json : expected(path, t.kind === 'f32' ? 'a finite number within f32 range' : 'a finite number', json);
    }
    case 'char': {
      const cps = typeof json === 'string' ? [...json] : [];
      const cp = cps.length === 1 ? ((cps[0] ?? '').codePointAt(0) ?? 0) : -1;
      return cp >= 0 && (cp < 0xd800 || cp > 0xdfff) ? json : expected(path, 'a single Unicode character', json);
    }
    case 'string':
      return typeof json === 'string' ? json : expected(path, 'string', json);
    case 'list': {
      if (!Array.isArray(json)) return expected(path, 'array', json);
      const items = json.map((e, i) => jsonToWit(t.element, e, `${path}[${i}]`, hooks));
      const typed = TYPED_ARRAYS[t.element.kind];
      return typed ? typed.from(items as never[]) : items;
    }
    case 'tuple': {
      const n = t.elements.length;
      if (!Array.isArray(json) || json.length !== n) return expected(path, `array of ${n} items`, json);
      return t.elements.map((e, i) => jsonToWit(e, json[i], `${path}[${i}]`, hooks));
    }
    case 'record': {
      if (!isObject(json)) return expected(path, 'object', json);
      checkKeys(
        path,
        json,
        t.fields.map((f) => f.name),
        'field',
      );
      const out: Record<string, unknown> = {};
      for (const f of t.fields) {
        const present = Object.hasOwn(json, f.name) && json[f.name] !== undefined;
        if (!present && !isOptional(f.type)) bad(path, `missing required field '${f.name}'`);
        out[witNameToJs(f.name)] = jsonToWit(f.type, present ? json[f.name] : null, `${path}.${f.name}`, hooks);
      }
      return out;
    }
    case 'variant': {
      const tag = tagOf(
        json,
        path,
        t.cases.map((c) => c.name),
      );
      const c = t.cases.find((x) => x.name === tag);
      return caseToWit(tag, c?.type, json as Record<string, unknown>, path, hooks);
    }
    case 'result': {
      const tag = tagOf(json, path, ['ok', 'err']);
      return caseToWit(tag, tag === 'ok' ? t.ok : t.err, json as Record<string, unknown>, path, hooks);
    }
    case 'enum':
      return typeof json === 'string' && t.cases.includes(json) ? json : expected(path, `one of: ${t.cases.join(', ')}`, json);
    case 'flags': {
      if (!isObject(json)) return expected(path, 'object of booleans', json);
      checkKeys(path, json, t.flags, 'flag');
      const out: Record<string, boolean> = {};
      for (const f of t.flags) {
        const v = json[f] ?? false;
        if (typeof v !== 'boolean') expected(`${path}.${f}`, 'boolean', v);
        out[witNameToJs(f)] = v as boolean;
      }
      return out;
    }
    case 'option': {
      const tagged = isTaggedOption(t);
      if (json === null || json === undefined) return tagged ? { tag: 'none' } : undefined;
      const inner = jsonToWit(t.inner, json, path, hooks);
      return tagged ? { tag: 'some', val: inner } : inner;
    }
    case 'own':
    case 'borrow': {
      if (typeof json !== 'string' || json === '') return expected(path, `a \`${t.resource}\` handle string`, json);
      return hooks.handleToResource ? hooks.handleToResource(json, t.resource, t.kind === 'borrow') : json;
    }
  }
}

/** The parameter a JSON key names: as written, snake_case or camelCase. */
function paramFor(fn: WitFunction, key: string): string | undefined {
  return fn.params.find((p) => p.name === key || p.name.replace(/-/g, '_') === key || witNameToJs(p.name) === key)?.name;
}

/** Re-keys agent arguments by WIT parameter names; rejects unknown and doubly given arguments. */
export function normalizeArgs(fn: WitFunction, args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (!isObject(args)) throw new WassetteError(ErrorCode.InvalidArgument, `arguments must be an object, got ${shown(args)}`);
  const out: Record<string, unknown> = {};
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(args)) {
    const name = paramFor(fn, key);
    if (name === undefined) {
      const names = fn.params.map((p) => p.name).join(', ') || 'none';
      throw new WassetteError(ErrorCode.InvalidArgument, `unknown argument '${key}' (expected: ${names})`, { data: { path: key } });
    }
    const prior = seen.get(name);
    if (prior !== undefined) bad(name, `given twice (as '${prior}' and '${key}')`);
    seen.set(name, key);
    out[name] = value;
  }
  return out;
}

/** Builds the positional argument list for a call from the agent's JSON arguments. */
export function argsToWit(fn: WitFunction, args: unknown, hooks: ValueHooks = {}): unknown[] {
  const named = normalizeArgs(fn, args);
  return fn.params.map((p) => {
    const v = named[p.name];
    if (v === undefined && !isOptional(p.type)) {
      throw new WassetteError(ErrorCode.InvalidArgument, `missing required argument '${p.name}'`, { data: { path: p.name } });
    }
    return jsonToWit(p.type, v ?? null, p.name, hooks);
  });
}

function wrong(path: string, what: string, got: unknown): never {
  throw new WassetteError(ErrorCode.Internal, `component returned an unexpected value at '${path}': expected ${what}, got ${shown(got)}`);
}

function nonFinite(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Converts a value the bindings returned to JSON; `path` names the value in errors (default `result`). */
export function witToJson(t: WitType, value: unknown, path = 'result', hooks: ValueHooks = {}): unknown {
  switch (t.kind) {
    case 'bool':
      return typeof value === 'boolean' ? value : wrong(path, 'boolean', value);
    case 'u8':
    case 's8':
    case 'u16':
    case 's16':
    case 'u32':
    case 's32':
      return typeof value === 'number' ? value : wrong(path, 'number', value);
    case 'u64':
    case 's64': {
      if (typeof value === 'number') return value;
      if (typeof value !== 'bigint') return wrong(path, 'bigint', value);
      return value >= -BigInt(MAX_SAFE) && value <= BigInt(MAX_SAFE) ? Number(value) : value.toString();
    }
    case 'f32':
    case 'f64':
      return typeof value === 'number' ? nonFinite(value) : wrong(path, 'number', value);
    case 'char':
    case 'string':
      return typeof value === 'string' ? value : wrong(path, 'string', value);
    case 'list': {
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return wrong(path, 'array', value);
      return Array.from(value as ArrayLike<unknown>, (e, i) => witToJson(t.element, e, `${path}[${i}]`, hooks));
    }
    case 'tuple': {
      if (!Array.isArray(value) || value.length !== t.elements.length) return wrong(path, `array of ${t.elements.length}`, value);
      return t.elements.map((e, i) => witToJson(e, value[i], `${path}[${i}]`, hooks));
    }
    case 'record': {
      if (!isObject(value)) return wrong(path, 'object', value);
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = witToJson(f.type, value[witNameToJs(f.name)], `${path}.${f.name}`, hooks);
      return out;
    }
    case 'variant':
    case 'result': {
      const cases =
        t.kind === 'variant'
          ? t.cases
          : [
              { name: 'ok', type: t.ok },
              { name: 'err', type: t.err },
            ];
      const c = isObject(value) ? cases.find((x) => x.name === value.tag) : undefined;
      if (!c || !isObject(value)) return wrong(path, `{tag} with tag ${cases.map((x) => x.name).join(' | ')}`, value);
      return c.type ? { tag: c.name, val: witToJson(c.type, value.val, `${path}.val`, hooks) } : { tag: c.name };
    }
    case 'enum':
      return typeof value === 'string' && t.cases.includes(value) ? value : wrong(path, t.cases.join(' | '), value);
    case 'flags': {
      if (!isObject(value)) return wrong(path, 'object of booleans', value);
      const out: Record<string, boolean> = {};
      for (const f of t.flags) out[f] = value[witNameToJs(f)] === true;
      return out;
    }
    case 'option': {
      if (isTaggedOption(t)) {
        if (!isObject(value) || (value.tag !== 'none' && value.tag !== 'some')) return wrong(path, '{tag: none | some}', value);
        return value.tag === 'none' ? null : witToJson(t.inner, value.val, path, hooks);
      }
      return value === undefined || value === null ? null : witToJson(t.inner, value, path, hooks);
    }
    case 'own':
    case 'borrow': {
      if (hooks.resourceToHandle) return hooks.resourceToHandle(value, t.resource);
      return typeof value === 'string' ? value : wrong(path, `a \`${t.resource}\` handle`, value);
    }
  }
}
