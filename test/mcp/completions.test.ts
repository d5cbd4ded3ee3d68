// completeArgument: the templates' `id` argument completes to component ids (prefix matches before substring
// matches, case-insensitive, at most 100 with total and hasMore); prompts, other templates and arguments are refused.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { completeArgument, MAX_COMPLETION_VALUES } from '../../src/mcp/completions.js';

const WIT = { type: 'ref/resource' as const, uri: 'wassette://components/{id}/wit' };
const POLICY = { type: 'ref/resource' as const, uri: 'wassette://components/{id}/policy' };
const IDS = ['spin', 'text-tools', 'kv-store', 'Spinner', 'a-spin'];

describe('completeArgument', () => {
  it.each([
    [WIT, '', IDS],
    [WIT, 'sp', ['spin', 'Spinner', 'a-spin']],
    [POLICY, 'SPIN', ['spin', 'Spinner', 'a-spin']],
    [WIT, 'tool', ['text-tools']],
    [WIT, 'zzz', []],
  ])('%o with %j -> %j', (ref, value, values) => {
    expect(completeArgument(IDS, ref, { name: 'id', value })).toEqual({ values, total: values.length, hasMore: false });
  });

  it(`answers at most ${MAX_COMPLETION_VALUES} values, with the total and hasMore`, () => {
    const ids = Array.from({ length: 150 }, (_, i) => `c${i}`);
    const c = completeArgument(ids, WIT, { name: 'id', value: 'c' });
    expect(c.values).toHaveLength(100);
    expect(c.values[0]).toBe('c0');
    expect(c).toMatchObject({ total: 150, hasMore: true });
    expect(completeArgument(ids, WIT, { name: 'id', value: 'c14' })).toMatchObject({ total: 11, hasMore: false });
  });

  it.each([
    [{ type: 'ref/prompt' as const, name: 'test_prompt_with_arguments' }, 'id', 'no prompts'],
    [{ type: 'ref/resource' as const, uri: 'test://template/{id}/data' }, 'id', 'Unknown resource template'],
    [{ type: 'ref/resource' as const, uri: 'wassette://components/spin/wit' }, 'id', 'Unknown resource template'],
    [WIT, 'name', 'only argument is id'],
  ])('refuses %o (argument %s) as invalid params', (ref, name, message) => {
    const e = (() => {
      try {
        completeArgument(IDS, ref, { name, value: '' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(McpError);
    expect((e as McpError).code).toBe(-32602);
    expect((e as McpError).message).toContain(message);
  });

  it.each([
    [{ type: 'ref/prompt' as const, name: 'p'.repeat(1 << 20) }, 'id'],
    [{ type: 'ref/resource' as const, uri: 'u'.repeat(1 << 20) }, 'id'],
    [WIT, 'n'.repeat(1 << 20)],
  ])('a 1 MiB name in a refused reference is not echoed back whole (%#)', (ref, name) => {
    try {
      completeArgument(IDS, ref, { name, value: '' });
      expect.unreachable();
    } catch (err) {
      expect((err as McpError).code).toBe(-32602);
      expect((err as McpError).message.length).toBeLessThan(400);
    }
  });
});
