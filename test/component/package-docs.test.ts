// package-docs custom section: parsing (v0 and v1 formats) and attaching docs to a decoded description.
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';
import { applyPackageDocs, bareInterfaceName, parsePackageDocs } from '../../src/component/package-docs.js';
import type { ComponentDescription } from '../../src/component/wit-types.js';
import { appendCustomSection } from '../../scripts/examples/add-package-docs.js';

const enc = (version: number, json: unknown): Uint8Array => new Uint8Array([version, ...new TextEncoder().encode(JSON.stringify(json))]);

describe('parsePackageDocs', () => {
  it.each([
    [
      'v0 string function docs',
      enc(0, { docs: 'pkg', worlds: { w: { docs: 'world', funcs: { f: 'does f', g: null } } } }),
      { docs: 'pkg', worlds: { w: { docs: 'world', funcs: { f: 'does f' }, interfaces: {} } }, interfaces: {} },
    ],
    [
      'v1 {docs, stability} function docs and export-half maps',
      enc(1, {
        worlds: {
          w: { func_exports: { f: { docs: 'exported f', stability: { stable: { since: '1.0.0' } } } }, interface_exports: { api: { docs: 'api docs' } } },
        },
        interfaces: { math: { docs: 'math', funcs: { add: { docs: 'adds' } }, types: { point: { docs: 'a point' } } } },
      }),
      {
        worlds: { w: { funcs: { f: 'exported f' }, interfaces: { api: { docs: 'api docs', funcs: {} } } } },
        interfaces: { math: { docs: 'math', funcs: { add: 'adds' }, types: { point: { docs: 'a point' } } } },
      },
    ],
    ['an unknown version', enc(2, {}), undefined],
    ['malformed JSON', new Uint8Array([0, 0x7b, 0x7b]), undefined],
    ['an empty section', new Uint8Array([]), undefined],
  ])('%s', (_label, data, expected) => {
    expect(parsePackageDocs(data)).toEqual(expected);
  });
});

describe('bareInterfaceName', () => {
  it.each([
    ['local:demo/math@0.1.0', 'math'],
    ['wasi:cli/run', 'run'],
    ['api', 'api'],
  ])('%s -> %s', (input, out) => {
    expect(bareInterfaceName(input)).toBe(out);
  });
});

describe('applyPackageDocs', () => {
  const desc: Omit<ComponentDescription, 'wit'> = {
    functions: [{ name: 'hello', kind: 'freestanding', params: [] }],
    interfaces: [
      {
        name: 'local:demo/math@0.1.0',
        resources: ['counter'],
        functions: [
          { name: 'add', kind: 'freestanding', params: [] },
          { name: 'get', kind: 'method', resource: 'counter', params: [] },
          { name: 'constructor', kind: 'constructor', resource: 'counter', params: [] },
        ],
      },
      { name: 'tools', resources: [], functions: [{ name: 'run', kind: 'freestanding', params: [] }] },
    ],
    imports: [],
  };
  const docs = parsePackageDocs(
    enc(0, {
      worlds: { demo: { docs: 'The demo world.', funcs: { hello: 'Says hello.' }, interfaces: { tools: { docs: 'Tools.', funcs: { run: 'Runs.' } } } } },
      interfaces: { math: { docs: 'Math things.', funcs: { add: 'Adds.', '[method]counter.get': 'Reads.', '[constructor]counter': 'Makes one.' } } },
    }),
  );

  it('fills world, interface (by bare name and by kebab world name) and resource function docs', () => {
    const out = applyPackageDocs(desc, docs!);
    expect(out.docs).toBe('The demo world.');
    expect(out.functions[0]?.docs).toBe('Says hello.');
    expect(out.interfaces[0]?.docs).toBe('Math things.');
    expect(out.interfaces[0]?.functions.map((f) => f.docs)).toEqual(['Adds.', 'Reads.', 'Makes one.']);
    expect(out.interfaces[1]).toMatchObject({ docs: 'Tools.', functions: [{ name: 'run', docs: 'Runs.' }] });
    expect(desc.functions[0]?.docs).toBeUndefined(); // the input is not mutated
  });
});

describe('decodeComponent with a package-docs section', () => {
  it('attaches docs from an appended section and prints them as /// comments', async () => {
    const bytes = await parse(`(component
      (core module $m (func (export "f") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (func $f (param "a" u32) (result u32) (canon lift (core func $i "f")))
      (instance $inst (export "double" (func $f)))
      (export "local:demo/math@0.1.0" (instance $inst))
      (export "twice" (func $f)))`);
    const section = enc(0, {
      worlds: { demo: { docs: 'Demo world.\nTwo lines.', funcs: { twice: 'Doubles twice.' } } },
      interfaces: { math: { docs: 'Math.', funcs: { double: 'Doubles a number.' } } },
    });
    const desc = decodeComponent(appendCustomSection(bytes, 'package-docs', section));
    expect(desc.docs).toBe('Demo world.\nTwo lines.');
    expect(desc.functions[0]?.docs).toBe('Doubles twice.');
    expect(desc.interfaces[0]?.docs).toBe('Math.');
    expect(desc.interfaces[0]?.functions[0]?.docs).toBe('Doubles a number.');
    expect(desc.wit).toContain('/// Demo world.\n/// Two lines.\nworld component {');
    expect(desc.wit).toContain('  /// Doubles a number.\n  double: func(a: u32) -> u32;');
  });

  it('ignores a malformed package-docs section instead of failing the component', async () => {
    const bytes = await parse('(component)');
    const desc = decodeComponent(appendCustomSection(bytes, 'package-docs', new Uint8Array([9, 1, 2])));
    expect(desc.docs).toBeUndefined();
    expect(desc.wit).toBe('world component {\n}\n');
  });
});
