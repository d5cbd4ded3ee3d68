// Load-time caps on what a component exports, checked on memoized DAG sizes before any tree is expanded.
import { ErrorCode, WassetteError } from '../../errors.js';
import type { ExternMap, FuncDef, Scope } from './model.js';

/**
 * Every exported function becomes an MCP tool whose JSON schema is the expanded tree of its types, so
 * these bound what decoding, schema generation, description, ajv compile and `tools/list` can cost.
 * Real components are far below them (the largest fixtures export < 20 functions of < 200 nodes each).
 */
export const MAX_EXPORTED_FUNCTIONS = 256;
/** Expanded type nodes of one function (params + result): about 50 bytes of JSON schema per node; ajv compiles a
 * schema of this size in under a second on a loaded 2-core machine (10k nodes took 2-5 s and 260 MB). */
export const MAX_FUNCTION_TYPE_NODES = 2_000;
/** Expanded type nodes over all exported functions of one component (bounds tools/list to a few MB). */
export const MAX_EXPORT_TYPE_NODES = 20_000;

export interface ExportedFunc {
  name: string;
  size: number;
}

/** Pure check on (name, expanded size) pairs; returns the first cap exceeded, naming it and its value. */
export function exportBudgetViolation(funcs: readonly ExportedFunc[]): string | undefined {
  if (funcs.length > MAX_EXPORTED_FUNCTIONS) {
    return `component exports ${funcs.length} functions, the limit is ${MAX_EXPORTED_FUNCTIONS}`;
  }
  let total = 0;
  for (const f of funcs) {
    if (f.size > MAX_FUNCTION_TYPE_NODES) {
      return `function ${f.name}: its types expand to ${f.size} nodes, the limit is ${MAX_FUNCTION_TYPE_NODES}`;
    }
    total += f.size;
    if (total > MAX_EXPORT_TYPE_NODES) {
      return `exported function types expand to more than ${MAX_EXPORT_TYPE_NODES} nodes in total, the limit is ${MAX_EXPORT_TYPE_NODES}`;
    }
  }
  return undefined;
}

function collect(exports: ExternMap, out: ExportedFunc[], where?: string): void {
  for (const [name, item] of exports) {
    if (item.sort !== 'func') continue;
    const f: FuncDef = item.func;
    if (f.unsupported !== undefined) continue;
    out.push({ name: where === undefined ? name : `${where}#${name}`, size: f.size ?? 1 });
  }
}

/** Throws `InvalidComponent` naming the cap when the component's exports exceed one. */
export function checkExportBudget(scope: Scope): void {
  const funcs: ExportedFunc[] = [];
  collect(scope.exports, funcs);
  for (const [name, item] of scope.exports) if (item.sort === 'instance') collect(item.exports, funcs, name);
  const violation = exportBudgetViolation(funcs);
  if (violation !== undefined) throw new WassetteError(ErrorCode.InvalidComponent, `component refused: ${violation}`);
}
