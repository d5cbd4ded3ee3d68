import { describe, expect, it } from 'vitest';
import { checkImports, unsupportedImports, unversioned } from '../../src/runtime/host-imports.js';

describe('host imports', () => {
  it.each([
    ['wasi:cli/environment@0.2.3', 'wasi:cli/environment'],
    ['wasi:io/streams', 'wasi:io/streams'],
    ['local:x/y@1.0.0-rc.1', 'local:x/y'],
  ])('unversioned(%s) = %s', (name, expected) => expect(unversioned(name)).toBe(expected));

  it.each<[string[], string[]]>([
    [['wasi:cli/environment@0.2.3', 'wasi:io/streams@0.2.0', 'wasi:http/outgoing-handler@0.2.12'], []],
    [['wasi:clocks/monotonic-clock', 'wasi:random/random'], []],
    [['example:missing/thing'], ['example:missing/thing']],
    [['wasi:cli/environment@0.3.0'], ['wasi:cli/environment@0.3.0']],
    [['wasi:http/incoming-handler@0.2.3'], ['wasi:http/incoming-handler@0.2.3']],
    [['log'], ['log']],
  ])('unsupportedImports(%j) = %j', (names, expected) => expect(unsupportedImports(names)).toEqual(expected));

  it('checkImports names every unsupported import in one error', () => {
    expect(() => checkImports(['wasi:io/poll@0.2.3'])).not.toThrow();
    try {
      checkImports(['a:b/c', 'wasi:io/poll@0.2.3', 'd:e/f@1.0.0']);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'unsupported-import', data: { imports: ['a:b/c', 'd:e/f@1.0.0'] } });
      expect((e as Error).message).toMatch(/"a:b\/c", "d:e\/f@1.0.0"/);
    }
  });
});
