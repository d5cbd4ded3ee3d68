// Extended constant expressions (componentize-py's libpython needs them) compile once enableWasmFeatures has run.
import { describe, expect, it } from 'vitest';
import { enableWasmFeatures } from '../../src/runtime/wasm-features.js';

// (module (global (export "g") i32 (i32.add (i32.const 1) (i32.const 2))))
const EXTENDED_CONST = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 6, 9, 1, 127, 0, 65, 1, 65, 2, 106, 11, 7, 5, 1, 1, 103, 3, 0]);

describe('enableWasmFeatures', () => {
  it('makes a global initialized with i32.add compile and evaluate', () => {
    const major = Number(process.versions.node.split('.')[0]);
    // Each test file runs in its own process, so nothing has turned the flag on yet.
    if (major < 22) expect(() => new WebAssembly.Module(EXTENDED_CONST)).toThrow(/constant expression/);
    enableWasmFeatures();
    enableWasmFeatures();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(EXTENDED_CONST));
    expect((instance.exports.g as WebAssembly.Global).value).toBe(3);
  });
});
