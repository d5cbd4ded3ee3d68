// WIT doc comments collected by the examples' build scripts, attached as package-docs and read back by the product.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../../src/component/decode-component.js';
import { parsePackageDocs } from '../../../src/component/package-docs.js';
import { addPackageDocs, appendCustomSection, customSectionNames } from '../../../scripts/examples/add-package-docs.js';
import { collectWitDocs, encodePackageDocs } from '../../../scripts/examples/wit-docs.js';
import { fixture } from '../../helpers/cli.js';

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

  it('encodes what the product parses', () => {
    const parsed = parsePackageDocs(encodePackageDocs(collectWitDocs(WIT)));
    expect(parsed?.worlds.tools?.funcs.hello).toBe('Says hello.');
    expect(parsed?.interfaces.math?.funcs.add).toBe('Adds two numbers.\nWraps on overflow.');
  });
});

describe('addPackageDocs', () => {
  it('appends a section the product reads as tool descriptions, and leaves a component that has one alone', () => {
    const bytes = readFileSync(fixture('text-tools'));
    expect(customSectionNames(bytes)).not.toContain('package-docs');
    const dir = new URL('../../../fixtures/js/text-tools/wit', import.meta.url).pathname;
    const withDocs = addPackageDocs(bytes, dir);
    expect(customSectionNames(withDocs)).toContain('package-docs');
    const decoded = decodeComponent(withDocs);
    const documented = [...decoded.functions, ...decoded.interfaces.flatMap((i) => i.functions)].filter((f) => f.docs);
    expect(documented.length).toBeGreaterThan(0);
    expect(addPackageDocs(withDocs, dir)).toBe(withDocs);
  });

  it('writes a custom section with LEB128 sizes that a walker reads back', () => {
    const base = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    const big = appendCustomSection(base, 'x'.repeat(200), new Uint8Array(300));
    expect(customSectionNames(big)).toEqual(['x'.repeat(200)]);
  });
});
