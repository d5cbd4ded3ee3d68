// Puts the `package-docs` custom section of a WIT directory on a component, for toolchains that drop the WIT `///`
// doc comments (componentize-py, a core module embedded without them). The product reads it for tool descriptions.
// A runtime component's WIT decodes as package `root:component`, world `root`, and the decoders (jco's among them)
// reject docs naming anything else, so the world's docs are renamed to `root` and written in the version-0 layout
// (function docs as plain strings), which every decoder version reads.
// Usage: node attach-docs.mjs <component.wasm> <wit-dir> <wasm-tools>
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customName, customPayload, customSection, readSections, writeSections } from './wasm-sections.mjs';

const [component, witDir, wasmTools] = process.argv.slice(2);
if (!component || !witDir || !wasmTools) {
  console.error('usage: attach-docs.mjs <component.wasm> <wit-dir> <wasm-tools>');
  process.exit(2);
}
const text = (d) => (typeof d === 'string' ? d : d?.docs);

function funcs(v1) {
  const out = {};
  for (const [name, d] of Object.entries(v1 ?? {})) if (text(d)) out[name] = text(d);
  return out;
}

function iface(v1) {
  const out = { funcs: funcs(v1.funcs) };
  if (v1.docs) out.docs = v1.docs;
  return out;
}

/** The docs of the package's only world, as the `root` world of `root:component` in the version-0 layout. */
function forRuntime(pkg) {
  const worlds = Object.values(pkg.worlds ?? {});
  if (worlds.length !== 1) throw new Error(`expected one world in the WIT package, found ${worlds.length}`);
  const w = worlds[0];
  const interfaces = {};
  for (const [name, d] of Object.entries({ ...w.interfaces, ...w.interface_exports })) interfaces[name] = iface(d);
  const root = { funcs: { ...funcs(w.funcs), ...funcs(w.func_exports) }, interfaces };
  if (w.docs) root.docs = w.docs;
  const out = { worlds: { root } };
  if (pkg.docs) out.docs = pkg.docs;
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'attach-docs-'));
try {
  // `component wit --wasm` encodes the WIT package as a binary carrying its docs in `package-docs`.
  const encoded = join(work, 'wit.wasm');
  execFileSync(wasmTools, ['component', 'wit', witDir, '--wasm', '-o', encoded], { stdio: ['ignore', 'ignore', 'inherit'] });
  const section = readSections(readFileSync(encoded)).sections.find((s) => customName(s) === 'package-docs');
  if (!section) throw new Error(`${witDir} has no doc comments to attach`);
  const docs = JSON.parse(Buffer.from(customPayload(section).subarray(1)).toString('utf8'));
  const target = readSections(readFileSync(component));
  target.sections = target.sections.filter((s) => customName(s) !== 'package-docs');
  target.sections.push(customSection('package-docs', Buffer.concat([Uint8Array.of(0), Buffer.from(JSON.stringify(forRuntime(docs)))])));
  writeFileSync(component, writeSections(target));
} finally {
  rmSync(work, { recursive: true, force: true });
}
