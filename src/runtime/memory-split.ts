// Splits one component instance's memory limit over every linear memory and table its core instances define, so their maxima sum to at most the limit.
import { ErrorCode, WassetteError } from '../errors.js';
import { type DefinedLimit, type DefinedShares, TABLE_ENTRY_BYTES } from './memory-cap.js';

/** One core module of a component: its defined memories/tables and how many core instances are made of it. */
export interface ModuleLimits {
  memories: DefinedLimit[];
  tables: DefinedLimit[];
  instances: number;
}

/**
 * Tables are charged by byte like memories but fill at 1/TABLE_WEIGHT_DIVISOR of a memory's rate
 * when the budget is shared out: a table of N entries is tiny next to a heap, and the main memory
 * of a componentize-js component must keep nearly all of the limit.
 */
const TABLE_WEIGHT_DIVISOR = 16;

/**
 * Gives each defined memory and table a byte budget (water-filling: every item without a smaller
 * declared maximum rises to the same level, tables at 1/16 of it, never below its minimum) such that
 * sum over core instances of (memory maxima + table maxima x 16 bytes) <= `limitBytes`. Budgets are
 * whole pages/entries. Throws `memory-limit` when the minimum sizes alone already exceed the limit.
 */
export function splitMemoryBudget(modules: ModuleLimits[], limitBytes: number): DefinedShares[] {
  const items = modules.flatMap((m) => [
    ...m.memories.map((l) => ({ l, k: m.instances, w: 1 })),
    ...m.tables.map((l) => ({ l, k: m.instances, w: 1 / TABLE_WEIGHT_DIVISOR })),
  ]);
  const minTotal = items.reduce((n, it) => n + it.k * it.l.minBytes, 0);
  if (minTotal > limitBytes) {
    throw new WassetteError(
      ErrorCode.MemoryLimit,
      `component needs at least ${minTotal} bytes of linear memory and tables across its core instances, more than its ${limitBytes}-byte memory limit; raise the limit in its policy`,
    );
  }
  const capAt = (l: DefinedLimit, w: number, level: number): number => {
    const raw = Math.min(l.maxBytes ?? Infinity, limitBytes, Math.max(l.minBytes, w * level));
    return Math.max(l.minBytes, Math.floor(raw / l.unit) * l.unit);
  };
  const total = (level: number): number => items.reduce((n, it) => n + it.k * capAt(it.l, it.w, level), 0);
  let lo = 0;
  let hi = limitBytes * TABLE_WEIGHT_DIVISOR;
  if (total(hi) <= limitBytes) lo = hi;
  for (let i = 0; i < 100 && hi - lo > 1; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) <= limitBytes) lo = mid;
    else hi = mid;
  }
  return modules.map((m) => ({
    memories: m.memories.map((l) => capAt(l, 1, lo)),
    tables: m.tables.map((l) => Math.floor(capAt(l, 1 / TABLE_WEIGHT_DIVISOR, lo) / TABLE_ENTRY_BYTES) * TABLE_ENTRY_BYTES),
  }));
}

/**
 * How many core instances the jco-generated entry makes of each core module file: it binds
 * `const moduleN = getCoreModule('<file>')` and calls `instantiateCore(await|yield moduleN, ...)`
 * once per core instance (jco flattens nested components, so this is the runtime count). A string
 * in the component that mimics a call can only raise a count (a smaller share); a module the entry
 * never binds is refused, since its count would be unknown.
 */
export function coreInstanceCounts(entrySource: string, coreModules: string[]): Map<string, number> {
  const byVar = new Map<string, string>();
  for (const m of entrySource.matchAll(/\b(module\d+)\s*=\s*getCoreModule\(\s*(['"])([^'"]+)\2\s*\)/g)) byVar.set(m[1]!, m[3]!);
  const counts = new Map<string, number>(coreModules.map((n) => [n, 0]));
  // Every module counts at least once, so a call shape this scan missed cannot go uncharged.
  for (const m of entrySource.matchAll(/instantiateCore\(\s*(?:await|yield)?\s*(module\d+)\b/g)) {
    const file = byVar.get(m[1]!);
    if (file !== undefined && counts.has(file)) counts.set(file, counts.get(file)! + 1);
  }
  const bound = new Set(byVar.values());
  for (const name of coreModules) {
    if (!bound.has(name)) {
      throw new WassetteError(ErrorCode.InvalidComponent, `cannot split the memory limit: the generated code never binds core module ${name}`);
    }
  }
  for (const [n, c] of counts) counts.set(n, Math.max(1, c));
  return counts;
}
