// Puts the `package-docs` custom section of a WIT directory on a component, for toolchains that drop the WIT `///`
// doc comments (componentize-py, a core module embedded without them). The product reads it for tool descriptions.
// A runtime component's WIT decodes as package `root:component`, world `root`, and the decoders (jco's among them)
// reject docs naming anything else, so the world's docs are renamed to `root` and written in the version-0 layout
// (function docs as plain strings), which every decoder version reads. Type docs (record fields, variant and enum
// cases, flags) are kept for the types the built component has: a decoder refuses a section naming a type it lacks
// (one the exports do not use is left out of the component), so each type is checked with `wasm-tools component wit`.
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

/** Type docs without stability (not in the version-0 layout). */
function types(v1) {
  const out = {};
  for (const [name, t] of Object.entries(v1 ?? {})) {
    const entry = {};
    if (typeof t?.docs === 'string') entry.docs = t.docs;
    if (t?.items && Object.keys(t.items).length > 0) entry.items = t.items;
    if (Object.keys(entry).length > 0) out[name] = entry;
  }
  return out;
}

function iface(v1) {
  const out = { funcs: funcs(v1.funcs) };
  if (v1.docs) out.docs = v1.docs;
  const t = types(v1.types);
  if (Object.keys(t).length > 0) out.types = t;
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
  const t = types(w.types);
  if (Object.keys(t).length > 0) root.types = t;
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
  const docs = forRuntime(JSON.parse(Buffer.from(customPayload(section).subarray(1)).toString('utf8')));
  const target = readSections(readFileSync(component));
  target.sections = target.sections.filter((s) => customName(s) !== 'package-docs');
  const sections = target.sections;
  const write = (d) => {
    target.sections = [...sections, customSection('package-docs', Buffer.concat([Uint8Array.of(0), Buffer.from(JSON.stringify(d))]))];
    writeFileSync(component, writeSections(target));
  };
  const loads = () => {
    try {
      execFileSync(wasmTools, ['component', 'wit', component], { stdio: ['ignore', 'ignore', 'pipe'] });
      return true;
    } catch {
      return false;
    }
  };
  write(docs);
  if (!loads()) {
    // Some type names something the component lacks: keep the types one by one that still leave the section valid.
    const scopes = [docs.worlds.root, ...Object.values(docs.worlds.root.interfaces)].filter((s) => s.types);
    const all = scopes.map((s) => [s, s.types]);
    for (const s of scopes) s.types = {};
    for (const [s, ts] of all) {
      for (const [name, t] of Object.entries(ts)) {
        s.types[name] = t;
        write(docs);
        if (!loads()) {
          delete s.types[name];
          console.error(`attach-docs: no docs for type ${name} (the component does not have it as written)`);
        }
      }
    }
    for (const s of scopes) if (Object.keys(s.types).length === 0) delete s.types;
    write(docs);
    // Without type docs this is the section builds wrote before type docs were kept; wasm-tools may fail for another reason.
    if (!loads()) console.error(`attach-docs: wasm-tools component wit fails on ${component} even without type docs`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
