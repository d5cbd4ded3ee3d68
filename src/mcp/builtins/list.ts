// The built-in tools, in the order `tools/list` shows them. A new built-in is one entry in its group's file.
import { ErrorCode, WassetteError } from '../../errors.js';
import { componentBuiltins } from './components.js';
import type { Builtin } from './define.js';
import { discoveryBuiltins } from './discovery.js';
import { permissionBuiltins } from './permissions.js';

export const BUILTINS: readonly Builtin[] = [...componentBuiltins, ...permissionBuiltins, ...discoveryBuiltins];

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTINS.map((b) => b.name));

/** The built-ins left after the operator's `disabled_builtins`; a misspelt name is refused, not ignored. */
export function enabledBuiltins(disabled: readonly string[]): Builtin[] {
  const unknown = disabled.filter((n) => !BUILTIN_NAMES.has(n));
  if (unknown.length > 0) {
    throw new WassetteError(
      ErrorCode.InvalidConfig,
      `disabled_builtins: no built-in tool named ${unknown.map((n) => `"${n}"`).join(', ')} (built-ins: ${[...BUILTIN_NAMES].join(', ')})`,
    );
  }
  return BUILTINS.filter((b) => !disabled.includes(b.name));
}
