// Re-attaches WIT doc comments to a built component as a `package-docs` custom section (componentize-js drops them).
// Usage: tsx scripts/examples/add-package-docs.ts <component.wasm> <wit-dir> [world]
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeComponent } from '../../src/component/decode-component.js';
import type { WitFunction, WitType } from '../../src/component/wit-types.js';
import { collectWitDocs, componentPackageDocs, encodePackageDocs, keepPresentTypes, type PackageDocsJson, type TypeItems } from './wit-docs.js';

const SECTION = 'package-docs';
const PREAMBLE = 8; // magic + version/layer

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function readUleb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new Error('truncated LEB128 in component');
}

/** Names of the top-level custom sections (id 0) of a component or module. */
export function customSectionNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  let at = PREAMBLE;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, body] = readUleb(bytes, at + 1);
    if (id === 0) {
      const [len, name] = readUleb(bytes, body);
      names.push(new TextDecoder().decode(bytes.subarray(name, name + len)));
    }
    at = body + size;
  }
  return names;
}

/** Appends a custom section; a trailing custom section is valid anywhere in a component. */
export function appendCustomSection(bytes: Uint8Array, name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...uleb(nameBytes.length), ...nameBytes];
  const header = [0, ...uleb(body.length + payload.length), ...body];
  const out = new Uint8Array(bytes.length + header.length + payload.length);
  out.set(bytes, 0);
  out.set(header, bytes.length);
  out.set(payload, bytes.length + header.length);
  return out;
}

/** Docs of every `.wit` file directly in `witDir` (dependencies under deps/ describe other packages). */
export function witDirDocs(witDir: string): PackageDocsJson {
  const out: PackageDocsJson = { worlds: {}, interfaces: {} };
  for (const name of readdirSync(witDir).sort()) {
    const p = join(witDir, name);
    if (name.endsWith('.wit') && statSync(p).isFile()) collectWitDocs(readFileSync(p, 'utf8'), out);
  }
  return out;
}

/** The records, variants, enums and flags `fns` use, by name, with their item names. */
export function typeItems(fns: WitFunction[]): TypeItems {
  const out: Record<string, string[]> = {};
  const visit = (t: WitType): void => {
    if ('name' in t && t.name !== undefined) {
      if (t.kind === 'record') out[t.name] = t.fields.map((f) => f.name);
      else if (t.kind === 'variant') out[t.name] = t.cases.map((c) => c.name);
      else if (t.kind === 'enum') out[t.name] = [...t.cases];
      else if (t.kind === 'flags') out[t.name] = [...t.flags];
    }
    const children: Array<WitType | undefined> =
      t.kind === 'list'
        ? [t.element]
        : t.kind === 'option'
          ? [t.inner]
          : t.kind === 'tuple'
            ? t.elements
            : t.kind === 'record'
              ? t.fields.map((f) => f.type)
              : t.kind === 'variant'
                ? t.cases.map((c) => c.type)
                : t.kind === 'result'
                  ? [t.ok, t.err]
                  : [];
    for (const c of children) if (c) visit(c);
  };
  for (const f of fns) {
    for (const p of f.params) visit(p.type);
    if (f.result) visit(f.result);
  }
  return out;
}

/**
 * The component with the docs of `world` (the only world when absent) attached; unchanged when it already carries a
 * package-docs section. `warn` hears about docs that cannot travel in a runtime component.
 */
export function addPackageDocs(bytes: Uint8Array, witDir: string, world?: string, warn: (msg: string) => void = () => {}): Uint8Array {
  if (customSectionNames(bytes).includes(SECTION)) return bytes;
  const { docs, dropped } = componentPackageDocs(witDirDocs(witDir), world);
  if (dropped.length > 0) warn(`package-docs: no docs for ${dropped.join(', ')} (only the world's own functions and inline interfaces keep docs)`);
  const desc = decodeComponent(bytes);
  const unused = keepPresentTypes(docs, typeItems(desc.functions), Object.fromEntries(desc.interfaces.map((i) => [i.name, typeItems(i.functions)])));
  if (unused.length > 0) warn(`package-docs: no docs for type ${unused.join(', ')} (the component's exports do not use it)`);
  return appendCustomSection(bytes, SECTION, encodePackageDocs(docs));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, witDir, world] = process.argv.slice(2);
  if (file === undefined || witDir === undefined) {
    process.stderr.write('usage: tsx scripts/examples/add-package-docs.ts <component.wasm> <wit-dir> [world]\n');
    process.exit(2);
  }
  const out = addPackageDocs(readFileSync(file), witDir, world, (m) => process.stderr.write(`${m}\n`));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
}
