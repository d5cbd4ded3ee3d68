// Builds a JavaScript example with componentize-js and attaches its WIT docs; what the JS examples' build.sh runs.
// Usage: tsx scripts/examples/componentize-js.ts <example-dir> <out.wasm> [--features clocks,http,...]
import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { addPackageDocs } from './add-package-docs.js';

const ALL_FEATURES = ['stdio', 'random', 'clocks', 'http', 'fetch-event'];

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { features: { type: 'string', default: '' } } });
  const [dir, out] = positionals;
  if (dir === undefined || out === undefined) throw new Error('usage: componentize-js.ts <example-dir> <out.wasm> [--features a,b]');
  const enabled = values.features.split(',').filter(Boolean);
  const unknown = enabled.filter((f) => !ALL_FEATURES.includes(f));
  if (unknown.length > 0) throw new Error(`unknown componentize-js feature(s): ${unknown.join(', ')}`);
  const exampleDir = resolve(dir);
  const witDir = join(exampleDir, 'wit');
  // componentize-js reads WIT through preview2-shim, which grants no filesystem by default. Build scripts only.
  const fs = await import('@bytecodealliance/preview2-shim/filesystem');
  (fs as unknown as { _setPreopens(p: Record<string, string>): void })._setPreopens({ '/': '/' });
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const { component } = await componentize({
    sourcePath: join(exampleDir, 'src', 'component.js'),
    witPath: witDir,
    disableFeatures: ALL_FEATURES.filter((f) => !enabled.includes(f)),
  } as never);
  const bytes = addPackageDocs(component, witDir, undefined, (m) => process.stderr.write(`${m}\n`));
  const target = resolve(out);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, target);
  process.stderr.write(`built ${target} (${(bytes.length / 1e6).toFixed(1)} MB)\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`componentize-js failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
