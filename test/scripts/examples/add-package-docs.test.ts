// WIT doc comments collected by the examples' build scripts, attached as package-docs and read back by the product.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../../src/component/decode-component.js';
import { parsePackageDocs } from '../../../src/component/package-docs.js';
import { componentTools } from '../../../src/component/tools.js';
import { addPackageDocs, appendCustomSection, customSectionNames } from '../../../scripts/examples/add-package-docs.js';
import { collectWitDocs, componentPackageDocs, encodePackageDocs, keepPresentTypes } from '../../../scripts/examples/wit-docs.js';

const WIT = `
/// The package.
package demo:tools@0.1.0;

/// Math helpers.
interface math {
  /// A pair.
  record pair { a: u32, b: u32 }
  /// Adds two numbers.
  /// Wraps on overflow.
  add: func(a: u32, b: u32) -> u32;
  // not a doc comment
  sub: func(a: u32, b: u32) -> u32;
  /// A counter.
  resource counter {
    /// Makes one.
    constructor(start: u32);
    /// Current value.
    get: func() -> u32;
    /// Makes a zero counter.
    zero: static func() -> counter;
  }
}

/// The world.
world tools {
  import wasi:clocks/wall-clock@0.2.12;
  /// Says hello.
  export hello: func(name: string) -> string;
  export math;
  /// Inline.
  export calc: interface {
    /// Doubles.
    double: func(x: u32) -> u32;
  }
  /// Unindented after an inline interface.
  export bye: func() -> string;
}
`;

describe('collectWitDocs', () => {
  it('attaches /// comments to the package, worlds, interfaces, functions and resource members', () => {
    expect(collectWitDocs(WIT)).toEqual({
      docs: 'The package.',
      worlds: {
        tools: {
          docs: 'The world.',
          funcs: { hello: 'Says hello.', bye: 'Unindented after an inline interface.' },
          interfaces: { calc: { docs: 'Inline.', funcs: { double: 'Doubles.' } } },
        },
      },
      interfaces: {
        math: {
          docs: 'Math helpers.',
          types: { pair: { docs: 'A pair.' } },
          funcs: {
            add: 'Adds two numbers.\nWraps on overflow.',
            '[constructor]counter': 'Makes one.',
            '[method]counter.get': 'Current value.',
            '[static]counter.zero': 'Makes a zero counter.',
          },
        },
      },
    });
  });

  it('attaches /// comments to record fields, variant and enum cases and flags, as wit-parser names them', () => {
    const wit = `package demo:t;
world w {
  /// A point.
  record point {
    /// Across.
    x: u32,
    y: u32, // not a doc
    /// Up.
    %y2: u32,
  }
  variant shape {
    /// Nothing.
    none,
    /// Round.
    circle(f64),
  }
  enum dir { north, south }
  flags perms {
    /// May read.
    read,
  }
  export f: func(p: point) -> shape;
}
interface i {
  enum e {
    /// First.
    a,
  }
}`;
    const docs = collectWitDocs(wit);
    expect(docs.worlds.w?.types).toEqual({
      point: { docs: 'A point.', items: { x: 'Across.', y2: 'Up.' } },
      shape: { items: { none: 'Nothing.', circle: 'Round.' } },
      perms: { items: { read: 'May read.' } },
    });
    expect(docs.interfaces.i?.types).toEqual({ e: { items: { a: 'First.' } } });
    expect(docs.worlds.w?.funcs).toEqual({});
  });

  it('keeps only type docs naming types and items the component has', () => {
    const docs = componentPackageDocs(
      collectWitDocs(`world w {
  /// Used.
  record used {
    /// Kept.
    a: u32,
    /// Not in the component.
    gone: u32,
  }
  /// Not used by any export.
  record unused { b: u32 }
  export calc: interface {
    /// Inline.
    enum mode {
      /// Fast.
      fast,
    }
  }
}`),
    ).docs;
    const dropped = keepPresentTypes(docs, { used: ['a'] }, { calc: { mode: ['fast', 'slow'] } });
    expect(dropped).toEqual(['unused']);
    expect(docs.worlds.root?.types).toEqual({ used: { docs: 'Used.', items: { a: 'Kept.' } } });
    expect(docs.worlds.root?.interfaces.calc?.types).toEqual({ mode: { docs: 'Inline.', items: { fast: 'Fast.' } } });
    expect(keepPresentTypes(docs, {}, {})).toEqual(['used', 'calc.mode']);
    expect(docs.worlds.root?.types).toBeUndefined();
  });

  it('encodes what the product parses', () => {
    const parsed = parsePackageDocs(encodePackageDocs(collectWitDocs(WIT)));
    expect(parsed?.worlds.tools?.funcs.hello).toBe('Says hello.');
    expect(parsed?.interfaces.math?.funcs.add).toBe('Adds two numbers.\nWraps on overflow.');
  });
});

/** A tiny component exporting `hello: func() -> string`, without docs (as componentize-js leaves them). */
const HELLO_WAT = `(component
  (core module $m
    (memory (export "memory") 1)
    (data (i32.const 128) "hi")
    (func (export "hello") (result i32)
      (i32.store (i32.const 64) (i32.const 128))
      (i32.store (i32.const 68) (i32.const 2))
      (i32.const 64)))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (func $hello (result string) (canon lift (core func $i "hello") (memory $mem) string-encoding=utf8))
  (export "hello" (func $hello)))`;

const HELLO_WIT = `package demo:hello;
/// Greets people.
world greeter {
  /// Says hi.
  export hello: func() -> string;
}
/// Not part of the world.
interface unused {
  /// Unused.
  nope: func();
}
`;

describe('addPackageDocs', () => {
  it('appends docs the product reads as tool descriptions and jco still transpiles; leaves a component that has them alone', async () => {
    const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
    const bytes = await parse(HELLO_WAT);
    expect(customSectionNames(bytes)).not.toContain('package-docs');
    const dir = mkdtempSync(join(tmpdir(), 'wassette-witdocs-'));
    try {
      writeFileSync(join(dir, 'world.wit'), HELLO_WIT);
      const warnings: string[] = [];
      const withDocs = addPackageDocs(bytes, dir, undefined, (m) => warnings.push(m));
      expect(warnings).toEqual([expect.stringContaining('interface unused')]);
      expect(customSectionNames(withDocs)).toContain('package-docs');
      const decoded = decodeComponent(withDocs);
      expect(decoded.docs).toBe('Greets people.');
      expect(decoded.functions.find((f) => f.name === 'hello')?.docs).toBe('Says hi.');
      // wit-component inside jco applies the section to world `root` and fails on any other name.
      const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
      await expect(transpileBytes(withDocs, { name: 'c', instantiation: 'async' } as never)).resolves.toBeDefined();
      expect(addPackageDocs(withDocs, dir)).toBe(withDocs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('attaches record field docs the product shows in the input schema, leaves out an unused type, and jco still transpiles', async () => {
    const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
    const bytes = await parse(`(component
      (core module $m (func (export "f") (param i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (type $p0 (record (field "x" u32) (field "y" u32)))
      (import "point" (type $p (eq $p0)))
      (func $f (param "at" $p) (result u32) (canon lift (core func $i "f")))
      (export "norm" (func $f)))`);
    const dir = mkdtempSync(join(tmpdir(), 'wassette-witdocs-'));
    try {
      writeFileSync(
        join(dir, 'world.wit'),
        `package demo:p;
world geo {
  /// A point on the map.
  record point {
    /// Metres east.
    x: u32,
    /// Metres north.
    y: u32,
  }
  /// Declared, never used by an export.
  record spare { z: u32 }
  /// Length of a vector.
  export norm: func(at: point) -> u32;
}
`,
      );
      const warnings: string[] = [];
      const withDocs = addPackageDocs(bytes, dir, undefined, (m) => warnings.push(m));
      expect(warnings).toEqual([expect.stringContaining('type spare')]);
      const [tool] = componentTools(decodeComponent(withDocs));
      expect(tool?.inputSchema.properties).toMatchObject({
        at: { description: 'A point on the map.', properties: { x: { description: 'Metres east.' }, y: { description: 'Metres north.' } } },
      });
      const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
      await expect(transpileBytes(withDocs, { name: 'c', instantiation: 'async' } as never)).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks which world when there are several', () => {
    const docs = collectWitDocs('world a {\n}\nworld b {\n}\n');
    expect(() => componentPackageDocs(docs)).toThrow(/choose the world to document: a, b/);
    expect(Object.keys(componentPackageDocs(docs, 'b').docs.worlds)).toEqual(['root']);
  });

  it('writes a custom section with LEB128 sizes that a walker reads back', () => {
    const base = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    const big = appendCustomSection(base, 'x'.repeat(200), new Uint8Array(300));
    expect(customSectionNames(big)).toEqual(['x'.repeat(200)]);
  });
});
