// A component's MCP tool definitions, and the mapping of a call's outcome to MCP structured content.
import { describeFunction } from './describe.js';
import { type JSONSchema, successType, toolSchemas } from './schema.js';
import { baseToolName } from './tool-names.js';
import { type ValueHooks, witToJson } from './values.js';
import type { ComponentDescription, WitFunction } from './wit-types.js';

export interface ToolTarget {
  /** Fully qualified export name of the interface (`local:calc/math@0.1.0`); absent at world level. */
  interface?: string;
  function: WitFunction;
}

export interface ToolDef {
  /** Name before collision handling; pass these to `assignToolNames` for the final MCP names. */
  baseName: string;
  description: string;
  inputSchema: JSONSchema;
  outputSchema: JSONSchema;
  target: ToolTarget;
}

function toolDef(fn: WitFunction, interfaceName?: string): ToolDef {
  const { inputSchema, outputSchema } = toolSchemas(fn);
  return {
    baseName: baseToolName(fn, interfaceName),
    description: describeFunction(fn, interfaceName),
    inputSchema,
    outputSchema,
    target: interfaceName === undefined ? { function: fn } : { interface: interfaceName, function: fn },
  };
}

/** One tool per exported function: world-level functions first, then each interface's, in WIT order. */
export function componentTools(desc: ComponentDescription): ToolDef[] {
  return [...desc.functions.map((fn) => toolDef(fn)), ...desc.interfaces.flatMap((iface) => iface.functions.map((fn) => toolDef(fn, iface.name)))];
}

/**
 * What the runtime saw: `ok` with the value the bindings returned (for a top-level `result<T, E>`
 * that is already T, as jco unwraps it), or `err` with the E payload jco threw.
 */
export type CallOutcome = { kind: 'ok'; value: unknown } | { kind: 'err'; payload: unknown };

export type ToolResultJson = { isError?: false; structured: Record<string, unknown> } | { isError: true; structured: { error: unknown } };

/**
 * Structured content for MCP: `{result}` on success (`{}` when there is no success value), or
 * `isError` with `{error}` for the err case of a top-level result (`null` when E is absent).
 * Throws WassetteError(Internal) if the component returned something its type does not allow.
 */
export function toolResultToJson(fn: WitFunction, outcome: CallOutcome, hooks: ValueHooks = {}): ToolResultJson {
  if (outcome.kind === 'err') {
    const errType = fn.result?.kind === 'result' ? fn.result.err : undefined;
    return { isError: true, structured: { error: errType ? witToJson(errType, outcome.payload, 'error', hooks) : null } };
  }
  const ok = successType(fn);
  return { structured: ok ? { result: witToJson(ok, outcome.value, 'result', hooks) } : {} };
}
