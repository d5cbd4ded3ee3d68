// Transpiles component bytes with jco into a directory: the patched glue (glue-patch.ts) as ENTRY_FILE and
// every core module as its own file. Runs inside the short-lived transpile worker (transpile-worker.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { patchGlue } from './glue-patch.js';

/** Name of the generated ES module inside a cache entry (.mjs: the cache dir has no package.json). */
export const ENTRY_FILE = 'component.mjs';

export interface TranspiledFiles {
  /** Core module file names (relative to the directory) that the glue's `getCoreModule` is asked for. */
  coreModules: string[];
  /** Import names the generated code reads from the import object. */
  imports: string[];
  /** Byte size of every file written. */
  sizes: Record<string, number>;
}

export async function transpileInto(bytes: Uint8Array, dir: string): Promise<TranspiledFiles> {
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  const result = await transpileBytes(bytes, {
    name: 'component',
    instantiation: 'async',
    // Every core module as its own file, so the runtime can cap its memory before compiling.
    base64Cutoff: 0,
    // Keep top-level `result` errors wrapped (ComponentError with `payload`) so they are
    // distinguishable from host errors.
    noComponentErrorWrapping: false,
    emitTypescriptDeclarations: false,
  });
  const coreModules: string[] = [];
  const sizes: Record<string, number> = {};
  for (const [name, raw] of Object.entries(result.files)) {
    const glue = name === 'component.js';
    // The glue's export calls go through the worker's lift guard (see glue-patch.ts).
    const data = glue ? new TextEncoder().encode(patchGlue(new TextDecoder().decode(raw)).source) : raw;
    const file = glue ? ENTRY_FILE : name;
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), data);
    sizes[file] = data.byteLength;
    if (name.endsWith('.wasm')) coreModules.push(name);
  }
  return { coreModules, imports: result.imports, sizes };
}
