// MCP tool names for component functions: readable, stable across restarts, unique, <= 64 of [A-Za-z0-9_-].
//
// The rule, in order:
// 1. Base name (per function, from WIT alone): world-level `word-count` -> `word_count`; interface
//    functions -> `<namespace>_<package>_<interface>_<fn>` without the version
//    (`test:types/echo@0.1.0` + `echo-string` -> `test_types_echo_echo_string`); resource members ->
//    `<prefix>_<resource>_new` (constructor) or `<prefix>_<resource>_<method>`. Lowercase, `-` -> `_`.
// 2. A base name used by exactly one tool across all loaded components (and not reserved) is the name.
// 3. Otherwise every tool using it gets `<component-prefix>__<base>`, so all stay reachable and the
//    result does not depend on load order. The prefix is the component id when it is short and already
//    name-safe, else a readable cut of it plus a hash of the full id. Duplicates inside one component
//    (only possible through odd characters) get `_2`, `_3`... in declaration order.
// 4. Names over 64 characters keep their first 24 and last 32 characters around a 6-hex hash of the
//    whole name, so the function name stays last.
import { createHash } from 'node:crypto';
import { ErrorCode, WassetteError } from '../errors.js';
import type { WitFunction } from './wit-types.js';

export const MAX_TOOL_NAME = 64;
const PREFIX_MAX = 20;

function hash(s: string, hexChars: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, hexChars);
}

/** Lowercases and maps everything outside [a-z0-9_] to `_` (WIT's `-` included). */
export function snake(s: string): string {
  return s
    .replace(/^%/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

/** `ns:pkg/iface@1.0.0` -> `ns_pkg_iface`; a plain export name -> its snake form. */
export function interfacePrefix(interfaceName: string): string {
  const unversioned = interfaceName.replace(/@.*$/, '');
  return unversioned
    .split(/[:/]/)
    .filter((p) => p !== '')
    .map(snake)
    .join('_');
}

/** The base tool name of a function (rule 1); `interfaceName` is absent for world-level functions. */
export function baseToolName(fn: WitFunction, interfaceName?: string): string {
  const parts: string[] = interfaceName === undefined ? [] : [interfacePrefix(interfaceName)];
  if (fn.resource !== undefined && fn.kind !== 'freestanding') {
    parts.push(snake(fn.resource), fn.kind === 'constructor' ? 'new' : snake(fn.name));
  } else {
    parts.push(snake(fn.name));
  }
  return parts.join('_');
}

/** Fits a name into 64 characters (rule 4); shorter names are returned unchanged. */
export function fitToolName(name: string): string {
  if (name.length <= MAX_TOOL_NAME) return name;
  return `${name.slice(0, 24)}_${hash(name, 6)}_${name.slice(-32)}`;
}

/** The collision prefix for a component id (rule 3). */
export function componentPrefix(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_');
  if (safe === id && safe.length <= PREFIX_MAX) return safe;
  return `${safe.slice(0, PREFIX_MAX - 7).replace(/_+$/, '')}_${hash(id, 6)}`;
}

export interface ComponentToolBases {
  /** Component id, unique among loaded components. */
  id: string;
  /** Base tool names (from `baseToolName`) in declaration order. */
  tools: string[];
}

/**
 * Final tool names for every loaded component (rules 2-4). Returns, per component id, the names in
 * the order of its `tools`. Same set of inputs in any order gives the same names. `reserved` holds
 * names that components must never take (the built-in tools).
 */
export function assignToolNames(components: ComponentToolBases[], reserved: Iterable<string> = []): Map<string, string[]> {
  const taken = new Set(reserved);
  const users = new Map<string, Set<string>>();
  for (const c of components) {
    for (const base of c.tools) users.set(base, (users.get(base) ?? new Set()).add(c.id));
  }
  const out = new Map<string, string[]>();
  const owner = new Map<string, string>();
  for (const c of [...components].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const seen = new Map<string, number>();
    const names = c.tools.map((base) => {
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const unique = n === 1 ? base : `${base}_${n}`;
      const shared = (users.get(base)?.size ?? 0) > 1 || taken.has(base);
      const name = fitToolName(shared ? `${componentPrefix(c.id)}__${unique}` : unique);
      const prior = owner.get(name);
      if (prior !== undefined || taken.has(name)) {
        throw new WassetteError(
          ErrorCode.ToolCollision,
          `tool name '${name}' of component '${c.id}' collides with ${prior === undefined ? 'a built-in tool' : `component '${prior}'`}; rename the component id`,
        );
      }
      owner.set(name, c.id);
      return name;
    });
    out.set(c.id, names);
  }
  return out;
}
