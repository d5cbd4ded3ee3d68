// Load-time export caps: refused on memoized DAG sizes, before any tree is expanded (exponential types stay cheap).
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';
import { MAX_EXPORTED_FUNCTIONS, MAX_EXPORT_TYPE_NODES, MAX_FUNCTION_TYPE_NODES, exportBudgetViolation } from '../../src/component/decode/export-budget.js';
import { ErrorCode, isWassetteError } from '../../src/errors.js';

const fns = (n: number, size: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, size }));

describe('exportBudgetViolation', () => {
  it.each([
    ['no exports', fns(0, 1), undefined],
    ['at the function cap', fns(MAX_EXPORTED_FUNCTIONS, 1), undefined],
    ['one over the function cap', fns(MAX_EXPORTED_FUNCTIONS + 1, 1), /exports 257 functions, the limit is 256/],
    ['one function at the node cap', fns(1, MAX_FUNCTION_TYPE_NODES), undefined],
    ['one function over the node cap', fns(1, MAX_FUNCTION_TYPE_NODES + 1), new RegExp(`function f0: .* the limit is ${MAX_FUNCTION_TYPE_NODES}`)],
    ['total at the cap', fns(10, MAX_EXPORT_TYPE_NODES / 10), undefined],
    ['total over the cap', fns(11, MAX_EXPORT_TYPE_NODES / 10), new RegExp(`in total, the limit is ${MAX_EXPORT_TYPE_NODES}`)],
  ])('%s', (_name, input, expected) => {
    const v = exportBudgetViolation(input);
    if (expected === undefined) expect(v).toBeUndefined();
    else expect(v).toMatch(expected);
  });
});

/** `levels` nested tuples of `width` copies of the previous one: width^levels nodes from a few bytes. */
function dagBomb(levels: number, width: number, exports: number): string {
  const types = [`(type $t0 (tuple u8 u8))`];
  for (let i = 1; i <= levels; i++)
    types.push(
      `(type $t${i} (tuple ${Array(width)
        .fill(`$t${i - 1}`)
        .join(' ')}))`,
    );
  const ex = Array.from({ length: exports }, (_, i) => `(export "f${i}" (func $f))`);
  return `(component ${types.join(' ')} (import "big" (func $f (result $t${levels}))) ${ex.join(' ')})`;
}

async function refusal(wat: string): Promise<{ message: string; ms: number }> {
  const bytes = await parse(wat);
  const start = performance.now();
  try {
    decodeComponent(bytes);
  } catch (e) {
    expect(isWassetteError(e, ErrorCode.InvalidComponent)).toBe(true);
    return { message: (e as Error).message, ms: performance.now() - start };
  }
  throw new Error('expected a refusal');
}

describe('hostile exports', () => {
  it('400 exports sharing one large result type are refused quickly on the export count', async () => {
    // Each type stays under the per-type decoder bound, but 400 exports share it (the seen 87k-node bomb).
    const r = await refusal(dagBomb(3, 16, 400));
    expect(r.message).toMatch(/exports 400 functions, the limit is 256/);
    expect(r.ms).toBeLessThan(500);
  });

  it('few exports of a large shared type are refused on the per-function cap', async () => {
    const r = await refusal(dagBomb(3, 16, 11));
    expect(r.message).toMatch(`the limit is ${MAX_FUNCTION_TYPE_NODES}`);
    expect(r.ms).toBeLessThan(500);
  });

  it('many medium exports are refused on the per-component total', async () => {
    const r = await refusal(dagBomb(2, 16, 100)); // 787 nodes each, 78.7k in total
    expect(r.message).toMatch(new RegExp(`in total, the limit is ${MAX_EXPORT_TYPE_NODES}`));
  });

  it('a component under every cap decodes', async () => {
    expect(decodeComponent(await parse(dagBomb(2, 4, 10))).functions).toHaveLength(10);
  });
});
