// Wraps a component in an outer one that exports only its WIT world's functions, hiding toolchain-internal exports
// (componentize-py's `exports.init`, used once at build time to snapshot the interpreter, would otherwise become a
// tool). The outer component is written in text from a dummy of the same world, then the real component's bytes
// take the dummy's place. Handles worlds whose exports are functions and whose types are world-level.
// Usage: node reexport.mjs <inner.wasm> <wit-dir> <world> <out.wasm> <wasm-tools>
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSections, writeSections } from './wasm-sections.mjs';

const [inner, witDir, world, out, wasmTools] = process.argv.slice(2);
if (!inner || !witDir || !world || !out || !wasmTools) {
  console.error('usage: reexport.mjs <inner.wasm> <wit-dir> <world> <out.wasm> <wasm-tools>');
  process.exit(2);
}
const tool = (...args) => execFileSync(wasmTools, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
const work = mkdtempSync(join(tmpdir(), 'reexport-'));
try {
  const core = join(work, 'dummy-core.wasm');
  const dummy = join(work, 'dummy.wasm');
  tool('component', 'embed', '--dummy', witDir, '-w', world, '-o', core);
  tool('component', 'new', core, '-o', dummy);
  const text = tool('print', dummy).toString('utf8');
  const lines = text.split('\n');
  const top = lines.filter((l) => /^ {2}\(/.test(l));

  const header = [];
  const withArgs = [];
  const funcTypes = new Map();
  const exports = [];
  for (const l of top) {
    let m;
    if (/^ {2}\(type /.test(l)) header.push(l);
    else if ((m = /^ {2}\(import "([^"]+)" \(type (\$\S+)/.exec(l))) {
      header.push(l);
      withArgs.push(`(with "${m[1]}" (type ${m[2]}))`);
    } else if (/^ {2}\(import /.test(l)) throw new Error(`unsupported import in world ${world}: ${l.trim()}`);
    else if ((m = /^ {2}\(func (\$\S+) \(;\d+;\) \(type (\d+)\) \(canon lift/.exec(l))) funcTypes.set(m[1], m[2]);
    else if ((m = /^ {2}\(export .*"([^"]+)" \((\w+) (\$\S+)\)\)$/.exec(l))) {
      if (m[2] !== 'func') throw new Error(`unsupported ${m[2]} export ${m[1]}: only world-level functions are handled`);
      exports.push({ name: m[1], type: funcTypes.get(m[3]) });
    }
  }
  if (exports.length === 0 || exports.some((e) => e.type === undefined)) throw new Error(`could not read the exports of world ${world}`);

  const body = text.trimEnd().replace(/^\(component/, '(component $inner');
  const outer = [
    '(component',
    ...header,
    body.replace(/^/gm, '  '),
    `  (instance $i (instantiate $inner ${withArgs.join(' ')}))`,
    ...exports.flatMap((e, i) => [`  (alias export $i "${e.name}" (func $f${i}))`, `  (export "${e.name}" (func $f${i}) (func (type ${e.type})))`]),
    ')',
  ].join('\n');
  const outerWat = join(work, 'outer.wat');
  const outerWasm = join(work, 'outer.wasm');
  writeFileSync(outerWat, outer);
  tool('parse', outerWat, '-o', outerWasm);

  const parsed = readSections(readFileSync(outerWasm));
  const nested = parsed.sections.filter((s) => s.id === 4);
  if (nested.length !== 1) throw new Error(`expected one nested component, found ${nested.length}`);
  nested[0].body = readFileSync(inner);
  writeFileSync(out, writeSections(parsed));
  tool('validate', out);
} finally {
  rmSync(work, { recursive: true, force: true });
}
