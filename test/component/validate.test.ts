import { describe, expect, it } from 'vitest';
import { isWassetteError } from '../../src/errors.js';
import { componentTools } from '../../src/component/tools.js';
import { compileTool, pointerToPath, validateArgs } from '../../src/component/validate.js';
import type { WitType } from '../../src/component/wit-types.js';

const point: WitType = {
  kind: 'record',
  name: 'point',
  fields: [
    { name: 'x', type: { kind: 's32' } },
    { name: 'y', type: { kind: 's32' } },
  ],
};
const shape: WitType = { kind: 'variant', name: 'shape', cases: [{ name: 'circle', type: { kind: 'f64' } }, { name: 'rect', type: point }, { name: 'none' }] };
const [tool] = componentTools({
  functions: [
    {
      name: 'draw',
      kind: 'freestanding',
      params: [
        { name: 'a', type: { kind: 'u8' } },
        { name: 'shape', type: shape },
        { name: 'points', type: { kind: 'list', element: point } },
        { name: 'color', type: { kind: 'enum', cases: ['red', 'light-blue'] } },
        { name: 'big-count', type: { kind: 'option', inner: { kind: 'u64' } } },
      ],
    },
  ],
  interfaces: [],
  imports: [],
  wit: '',
});
if (!tool) throw new Error('no tool');
const good = { a: 1, shape: { tag: 'none' }, points: [{ x: 1, y: 2 }], color: 'red' };

describe('validateArgs', () => {
  it('returns arguments keyed by WIT names, accepting snake_case', () => {
    expect(validateArgs(tool, { ...good, big_count: '18446744073709551615' })).toEqual({ ...good, 'big-count': '18446744073709551615' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['wrong type', { ...good, a: 'x' }, "argument 'a' must be integer"],
    ['out of range', { ...good, a: 300 }, "argument 'a' must be <= 255"],
    ['missing', { shape: good.shape, points: [], color: 'red' }, "missing required argument 'a'"],
    ['unknown argument', { ...good, zzz: 1 }, "unknown argument 'zzz' (expected: a, shape, points, color, big-count)"],
    [
      'nested field',
      {
        ...good,
        points: [
          { x: 1, y: 2 },
          { x: 1, y: 'q' },
        ],
      },
      "argument 'points[1].y' must be integer",
    ],
    ['nested missing', { ...good, points: [{ x: 1 }] }, "argument 'points[0]' is missing required field 'y'"],
    ['nested unknown', { ...good, points: [{ x: 1, y: 1, z: 1 }] }, "argument 'points[0]' has unknown field 'z'"],
    ['enum', { ...good, color: 'blue' }, 'argument \'color\' must be one of: "red", "light-blue"'],
    ['u64 string', { ...good, 'big-count': '-1' }, "argument 'big-count' must be a decimal integer string"],
    ['variant tag (via converter)', { ...good, shape: { tag: 'hexagon' } }, 'argument \'shape\': unknown tag "hexagon" (expected one of: circle, rect, none)'],
    ['variant payload (via converter)', { ...good, shape: { tag: 'rect', val: { x: 1 } } }, "argument 'shape.val': missing required field 'y'"],
  ])('%s', (_label, args, message) => {
    let err: unknown;
    try {
      validateArgs(tool, args);
    } catch (e) {
      err = e;
    }
    expect(isWassetteError(err, 'invalid-argument')).toBe(true);
    expect((err as Error).message).toBe(message);
  });

  it('compiles once per tool', () => {
    expect(compileTool(tool)).toBe(compileTool(tool));
  });
});

describe('pointerToPath', () => {
  it.each([
    ['', ''],
    ['/a', 'a'],
    ['/points/2/x', 'points[2].x'],
    ['/a~1b', 'a/b'],
  ])('%s -> %s', (p, want) => {
    expect(pointerToPath(p)).toBe(want);
  });
});
