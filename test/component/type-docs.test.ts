// Type docs from package-docs (record fields, variant and enum cases, flags) in tool schemas, and their size caps.
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { decodeComponent } from '../../src/component/decode-component.js';
import { parsePackageDocs } from '../../src/component/package-docs.js';
import { componentTools } from '../../src/component/tools.js';
import { MAX_COMPONENT_TYPE_DOCS, MAX_FUNCTION_TYPE_DOCS, MAX_TYPE_DOC, newDocsBudget, withTypeDocs } from '../../src/component/type-docs.js';
import type { WitFunction, WitType } from '../../src/component/wit-types.js';
import { appendCustomSection } from '../../scripts/examples/add-package-docs.js';

const enc = (json: unknown): Uint8Array => new Uint8Array([0, ...new TextEncoder().encode(JSON.stringify(json))]);

/** World-level `go(at: point, d: dir, perm: perms, pick: choice) -> u32` with the four types imported by name, as wit-component writes world-level types. */
const WAT = `(component
  (core module $m (func (export "f") (param i32 i32 i32 i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  (type $p0 (record (field "x" u32) (field "y" u32)))
  (import "point" (type $p (eq $p0)))
  (type $d0 (enum "north" "south"))
  (import "dir" (type $d (eq $d0)))
  (type $f0 (flags "read" "write"))
  (import "perms" (type $fl (eq $f0)))
  (type $c0 (variant (case "none") (case "some" u32)))
  (import "choice" (type $c (eq $c0)))
  (func $f (param "at" $p) (param "d" $d) (param "perm" $fl) (param "pick" $c) (result u32) (canon lift (core func $i "f")))
  (export "go" (func $f)))`;

const DOCS = {
  worlds: {
    root: {
      funcs: { go: 'Goes.' },
      types: {
        point: { docs: 'A point.', items: { x: 'Across.', y: 'Up.', z: 'No such field.' } },
        dir: { items: { north: 'Up the map.' } },
        perms: { docs: 'What may be done.', items: { write: 'May change it.' } },
        choice: { items: { some: 'A number.' } },
      },
    },
  },
};

async function goTool(docs: unknown) {
  const desc = decodeComponent(appendCustomSection(await parse(WAT), 'package-docs', enc(docs)));
  const [tool] = componentTools(desc);
  return tool!;
}

describe('parsePackageDocs: types', () => {
  it('keeps type docs and string item docs of worlds and interfaces, and drops types with none', () => {
    const parsed = parsePackageDocs(
      enc({
        worlds: { w: { types: { a: { docs: 'A.', stability: 'unknown', items: { f: 'F.', g: 3 } }, b: { stability: 'unknown' } } } },
        interfaces: { i: { types: { c: { items: { x: 'X.' } } } } },
      }),
    );
    expect(parsed?.worlds.w?.types).toEqual({ a: { docs: 'A.', items: { f: 'F.' } } });
    expect(parsed?.interfaces.i?.types).toEqual({ c: { items: { x: 'X.' } } });
  });
});

describe('type docs in tool schemas', () => {
  it('describes record fields, enum cases, flags and variant cases of a decoded component', async () => {
    const tool = await goTool(DOCS);
    const props = tool.inputSchema.properties as Record<string, Record<string, unknown>>;
    expect(props.at).toMatchObject({ title: 'point', description: 'A point.', properties: { x: { description: 'Across.' }, y: { description: 'Up.' } } });
    expect(props.at?.properties).not.toHaveProperty('z');
    expect(props.d).toMatchObject({ enum: ['north', 'south'], description: 'north: Up the map.' });
    expect(props.perm).toMatchObject({
      description: 'What may be done. (flags: true to set, absent or false to clear)',
      properties: { read: { type: 'boolean' }, write: { type: 'boolean', description: 'May change it.' } },
    });
    expect((props.perm?.properties as Record<string, object>).read).not.toHaveProperty('description');
    expect(props.pick?.oneOf).toEqual([
      { type: 'object', properties: { tag: { const: 'none' } }, required: ['tag'], additionalProperties: false },
      expect.objectContaining({ description: 'A number.' }),
    ]);
    expect(tool.description).toBe('Goes.');
  });

  it('prints type and item docs as /// comments in the WIT text', async () => {
    const desc = decodeComponent(appendCustomSection(await parse(WAT), 'package-docs', enc(DOCS)));
    expect(desc.wit).toContain('  /// A point.\n  record point {\n    /// Across.\n    x: u32,\n    /// Up.\n    y: u32,\n  }');
    expect(desc.wit).toContain('  enum dir {\n    /// Up the map.\n    north,\n    south,\n  }');
  });

  it('matches types only in the function scope: world type docs do not reach an interface of the same name', async () => {
    const tool = await goTool({ worlds: { root: { interfaces: { other: { types: DOCS.worlds.root.types } } } } });
    expect(JSON.stringify(tool.inputSchema)).not.toContain('description":"A');
  });

  it('puts a field doc before a description the schema already has', () => {
    const fn: WitFunction = {
      name: 'f',
      kind: 'freestanding',
      params: [{ name: 'r', type: { kind: 'record', name: 'r', fields: [{ name: 'big', type: { kind: 'u64' } }] } }],
    };
    const out = withTypeDocs(fn, { r: { items: { big: 'Bytes.' } } }, newDocsBudget());
    const [tool] = componentTools({ functions: [out], interfaces: [], imports: [], wit: '' });
    const r = (tool!.inputSchema.properties as Record<string, { properties: Record<string, { description: string }> }>).r;
    expect(r?.properties.big?.description).toBe('Bytes. (u64: an integer, or a decimal string for values beyond 2^53)');
  });

  it('reads item docs as own keys only: a field named constructor without a doc has no description', () => {
    const rec: WitType = { kind: 'record', name: 'r', fields: [{ name: 'constructor', type: { kind: 'u32' } }] };
    const fn = withTypeDocs({ name: 'f', kind: 'freestanding', params: [{ name: 'r', type: rec }] }, { r: { items: { other: 'x' } } }, newDocsBudget());
    const [tool] = componentTools({ functions: [fn], interfaces: [], imports: [], wit: '' });
    expect(JSON.stringify(tool!.inputSchema)).not.toContain('description');
  });
});

describe('type doc size caps', () => {
  it('cuts one huge field doc to MAX_TYPE_DOC characters', async () => {
    const huge = 'word '.repeat(200_000);
    const tool = await goTool({ worlds: { root: { types: { point: { items: { x: huge } } } } } });
    const x = (tool.inputSchema.properties as Record<string, { properties: Record<string, { description: string }> }>).at?.properties.x;
    expect(x?.description.length).toBeLessThanOrEqual(MAX_TYPE_DOC);
    expect(x?.description.endsWith('...')).toBe(true);
    const plain = await goTool({ worlds: { root: {} } });
    const grown = JSON.stringify(tool.inputSchema).length - JSON.stringify(plain.inputSchema).length;
    expect(grown).toBeGreaterThan(MAX_TYPE_DOC / 2);
    expect(grown).toBeLessThanOrEqual(MAX_TYPE_DOC + '"description":"",'.length);
  });

  /** `n` functions each taking a record of `fields` fields, every field documented with `doc`. */
  function wideComponent(n: number, fields: number, doc: string) {
    const names = Array.from({ length: fields }, (_, i) => `f${i}`);
    const rec: WitType = { kind: 'record', name: 'wide', fields: names.map((name) => ({ name, type: { kind: 'u8' } })) };
    const types = { wide: { docs: doc, items: Object.fromEntries(names.map((f) => [f, doc])) } };
    const budget = newDocsBudget();
    const functions = Array.from({ length: n }, (_, i) =>
      withTypeDocs(
        {
          name: `g${i}`,
          kind: 'freestanding',
          params: [
            { name: 'a', type: rec },
            { name: 'b', type: rec },
          ],
        },
        types,
        budget,
      ),
    );
    return componentTools({ functions, interfaces: [], imports: [], wit: '' });
  }

  const docChars = (schema: unknown): number => {
    let total = 0;
    JSON.stringify(schema, (k, v) => {
      if (k === 'description' && typeof v === 'string') total += v.length;
      return v;
    });
    return total;
  };

  it('stops describing fields once a function has used MAX_FUNCTION_TYPE_DOCS characters', () => {
    const [tool] = wideComponent(1, 200, 'd'.repeat(MAX_TYPE_DOC));
    const chars = docChars(tool!.inputSchema);
    expect(chars).toBeLessThanOrEqual(MAX_FUNCTION_TYPE_DOCS);
    expect(chars).toBeGreaterThan(MAX_FUNCTION_TYPE_DOCS - MAX_TYPE_DOC);
  });

  it('stops describing fields once the component has used MAX_COMPONENT_TYPE_DOCS characters', () => {
    const tools = wideComponent(256, 200, 'd'.repeat(MAX_TYPE_DOC));
    const total = tools.reduce((sum, t) => sum + docChars(t.inputSchema), 0);
    expect(total).toBeLessThanOrEqual(MAX_COMPONENT_TYPE_DOCS);
    expect(total).toBeGreaterThan(MAX_COMPONENT_TYPE_DOCS - MAX_FUNCTION_TYPE_DOCS);
    expect(docChars(tools[255]!.inputSchema)).toBe(0);
  });
});
