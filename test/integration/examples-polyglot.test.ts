// The Python, Go and Rust examples through discovery: built by `npm run examples` (cached in examples/build),
// published signed to a loopback registry, crawled, found by a user's words with search_tools, loaded with load_tool
// after the user approves, every tool called; the filesystem tool sees nothing until a directory is granted, then
// only that directory (outside paths, `..` and a symlink are refused).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, runCli, text } from '../helpers/cli.js';
import { EXAMPLES_ENV, examplesWorld, findExample, grantApproved, loadExample } from '../helpers/examples.js';

/** Each example with a need as a user would put it (not the description's words) and the tools it must bring. */
const EXAMPLES = [
  { name: 'eval', query: 'how much is 17.5% of 2340, can you work it out exactly?', tools: ['evaluate', 'evaluate_with', 'list_functions'] },
  {
    name: 'csv-stats',
    query: 'I exported my sales spreadsheet, what is the average amount per region?',
    tools: ['describe_column', 'describe_csv', 'group_by'],
  },
  {
    name: 'gomod',
    query: 'which release of my Go dependency is newer, v1.10.0 or v1.9.9?',
    tools: ['compare_versions', 'parse_go_mod', 'parse_version', 'satisfies', 'sort_versions'],
  },
  {
    name: 'filesystem',
    query: "show me what's in my project folder and open the notes file",
    tools: ['allowed_directories', 'find_files', 'get_file_info', 'list_directory', 'read_file', 'search_files'],
  },
] as const;

// The JavaScript examples are published too (from the same cache, never rebuilt), so each search has all seven to
// choose from; they are only loaded in their own test.
const OTHERS = ['time', 'fetch', 'weather'];
const ctx = examplesWorld([...EXAMPLES.map((e) => e.name), ...OTHERS]);
const SENTINEL = 'SENTINEL-OUTSIDE-7f3a9c';
/** Component ids as load_tool reported them. */
const ids = new Map<string, string>();
let T: string;
let G: string;

beforeAll(() => {
  // The data the filesystem tool works on: a granted tree G, a sibling outside it with a sentinel, and a symlink
  // from inside G to the outside.
  T = realpathSync(mkdtempSync(join(tmpdir(), 'wassette-examples-poly-')));
  G = join(T, 'data', 'granted');
  mkdirSync(join(G, 'docs', 'deep'), { recursive: true });
  mkdirSync(join(T, 'data', 'outside'));
  writeFileSync(join(G, 'readme.txt'), 'hello from the granted directory\n');
  writeFileSync(join(G, 'docs', 'notes.md'), 'first line\nTODO: write the report\nlast line\n');
  writeFileSync(join(G, 'docs', 'deep', 'main.rs'), 'fn main() {} // TODO later\n');
  writeFileSync(join(G, 'docs', 'blob.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x54, 0x4f, 0x44, 0x4f]));
  writeFileSync(join(T, 'data', 'outside', 'secret.txt'), `${SENTINEL} TODO\n`);
  symlinkSync('../outside', join(G, 'escape'));
});

afterAll(() => {
  if (T) rmSync(T, { recursive: true, force: true });
});

async function ok(name: string, args: Record<string, unknown>): Promise<any> {
  const r = await call(ctx.world.session, name, args);
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent?.result;
}

async function fails(name: string, args: Record<string, unknown>): Promise<{ error: string; raw: string; denials?: any[] }> {
  const r = await call(ctx.world.session, name, args);
  expect(r.isError, text(r)).toBe(true);
  return { error: String(r.structuredContent?.error), raw: JSON.stringify(r), denials: r.structuredContent?.denials };
}

const wasmOf = (name: string): string => ctx.world.examples[name]!.wasm!;

describe('found through discovery and loaded after approval', () => {
  it('publishes all seven, signed, and the crawl describes them from their description layers', () => {
    const { examples, crawl } = ctx.world;
    for (const name of [...EXAMPLES.map((e) => e.name), ...OTHERS]) {
      expect(examples[name], name).toMatchObject({ status: expect.stringMatching(/^(built|cached)$/), signed: true });
      expect(examples[name]!.reference).toMatch(new RegExp(`/examples/${name}@sha256:[0-9a-f]{64}$`));
    }
    expect(crawl).toMatchObject({ components: 7, added: 7 });
    expect(crawl.described).toMatchObject({ layer: 7, decoded: 0 });
    expect(crawl.failed).toEqual([]);
  });

  it.each(EXAMPLES.map((e) => [e.name, e] as const))(
    '%s: a user-style need finds it in the top 3, load_tool brings exactly its tools',
    async (name, e) => {
      const w = ctx.world;
      const hit = await findExample(w, name, e.query);
      expect(hit.signature).toMatchObject({ status: 'verified', method: 'cosign' });
      const { id, tools } = await loadExample(w, hit.ref, `the user asked: ${e.query}`);
      expect([...tools].sort()).toEqual([...e.tools]);
      ids.set(name, id);
    },
    180_000,
  );

  // Loaded and called in the JavaScript test; here only whether a user's words find it among all seven.
  it.each(['do I need an umbrella in Lyon today?', 'how cold will it be in Oslo tomorrow morning?'])('weather: "%s" finds it in the top 3', async (query) => {
    const hit = await findExample(ctx.world, 'weather', query);
    expect(hit.name).toMatch(/(current_weather|forecast)$/);
  });
});

describe('the WIT doc comments are the tool descriptions', () => {
  const docs: Record<string, Record<string, string>> = {
    eval: {
      evaluate: 'Evaluate an arithmetic expression and return the number it comes to.',
      evaluate_with: 'Evaluate an arithmetic expression (same syntax as `evaluate`) in which the given variables may be used,',
      list_functions: 'List the function and constant names that expressions may use',
    },
    'csv-stats': {
      describe_csv: 'Summarize every column of a CSV table whose first row is the header.',
      describe_column: 'Summarize one column, named as in the header row',
      group_by: 'Group the rows by the value of `key-column`',
    },
    gomod: {
      parse_version: 'Parse a semantic version such as `v1.2.3`',
      compare_versions: 'Compare two semantic versions by precedence',
      sort_versions: 'Sort semantic versions from lowest to highest',
      satisfies: 'Check whether a version satisfies a constraint.',
      parse_go_mod: 'Parse the text of a go.mod file',
    },
    filesystem: {
      allowed_directories: 'List the directories this tool may read',
      list_directory: "List a directory's entries",
      read_file: 'Read a UTF-8 text file of at most 1 MiB',
      get_file_info: 'Get the kind, size and modification time',
      find_files: 'Find files and directories under `path`',
      search_files: 'Search the UTF-8 text files under `path`',
    },
  };

  it.each(EXAMPLES.map((e) => e.name))('wassette inspect %s lists exactly its WIT functions, each described by its doc comment', async (name) => {
    const r = await runCli(['inspect', wasmOf(name), '--json'], { home: ctx.world.home, env: EXAMPLES_ENV });
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    const tools = new Map<string, string>(info.tools.map((x: any) => [x.name, x.description]));
    // Exactly the world's functions: no toolchain-internal export (componentize-py's init) leaks out as a tool.
    expect([...tools.keys()].sort()).toEqual(Object.keys(docs[name]!).sort());
    for (const [tool, start] of Object.entries(docs[name]!)) expect(tools.get(tool)).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')}`));
  });

  it('the same descriptions reach the agent over MCP, and only the filesystem tool asks for any WASI interface', async () => {
    const listed = await ctx.world.session.client.listTools();
    const byName = new Map(listed.tools.map((x) => [x.name, x.description ?? '']));
    for (const tools of Object.values(docs)) for (const [tool, start] of Object.entries(tools)) expect(byName.get(tool)).toContain(start);
    const imports = async (name: string) =>
      JSON.parse((await runCli(['inspect', wasmOf(name), '--json'], { home: ctx.world.home, env: EXAMPLES_ENV })).stdout).imports;
    expect(await imports('eval')).toEqual([]);
    expect(await imports('csv-stats')).toEqual([]);
    expect(await imports('gomod')).toEqual([]);
    expect(await imports('filesystem')).toContain('wasi:filesystem/preopens@0.2.12');
  });
});

describe('eval (Python, componentize-py)', () => {
  it('evaluates arithmetic with precedence, powers, functions and constants', async () => {
    expect(await ok('evaluate', { expression: '2 * (3 + 4) ^ 2' })).toBe(98);
    expect(await ok('evaluate', { expression: '-2 ** 2' })).toBe(-4);
    expect(await ok('evaluate', { expression: '2 ^ 3 ^ 2' })).toBe(512);
    expect(await ok('evaluate', { expression: '7 % 3 + 1.5e1' })).toBe(16);
    expect(await ok('evaluate', { expression: 'max(1, sqrt(16), 3) + hypot(3, 4)' })).toBe(9);
    expect(await ok('evaluate', { expression: 'round(pi * 100) / 100' })).toBe(3.14);
  });

  it('evaluate_with uses the given variables and refuses bad ones', async () => {
    const vars = [
      { name: 'price', value: 80 },
      { name: 'rate', value: 0.25 },
    ];
    expect(await ok('evaluate_with', { expression: 'price * (1 + rate)', variables: vars })).toBe(100);
    expect((await fails('evaluate_with', { expression: 'x', variables: [{ name: '1x', value: 1 }] })).error).toMatch(/invalid variable name/);
    expect(
      (
        await fails('evaluate_with', {
          expression: 'a',
          variables: [
            { name: 'a', value: 1 },
            { name: 'a', value: 2 },
          ],
        })
      ).error,
    ).toMatch(/given twice/);
  });

  it('is a parser, not Python eval: code, unknown names and malformed input are errors naming the position', async () => {
    expect((await fails('evaluate', { expression: "__import__('os').getcwd()" })).error).toMatch(/unexpected character "'" at position 12/);
    expect((await fails('evaluate', { expression: '__import__(1)' })).error).toMatch(/unknown function '__import__' at position 1/);
    expect((await fails('evaluate', { expression: '(1).real' })).error).toMatch(/unexpected character '\.' at position 4/);
    expect((await fails('evaluate', { expression: '[1, 2]' })).error).toMatch(/unexpected character '\[' at position 1/);
    expect((await fails('evaluate', { expression: 'foo + 1' })).error).toMatch(/unknown name 'foo'/);
    expect((await fails('evaluate', { expression: '(1 + 2' })).error).toMatch(/expected '\)' at position 7/);
    expect((await fails('evaluate', { expression: '1 / (2 - 2)' })).error).toMatch(/division by zero at position 3/);
    expect((await fails('evaluate', { expression: '9 ^ 9 ^ 9' })).error).toMatch(/power/);
    expect((await fails('evaluate', { expression: 'sqrt(-1)' })).error).toMatch(/sqrt/);
  });

  it('enforces its length and nesting limits, and stays usable after them', async () => {
    expect((await fails('evaluate', { expression: '1+'.repeat(1200) + '1' })).error).toMatch(/limit is 2000/);
    expect((await fails('evaluate', { expression: `${'('.repeat(100)}1${')'.repeat(100)}` })).error).toMatch(/nested deeper than 64/);
    expect((await fails('evaluate', { expression: `${'-'.repeat(100)}1` })).error).toMatch(/nested deeper than 64/);
    expect(await ok('evaluate', { expression: `${'('.repeat(30)}1${')'.repeat(30)}` })).toBe(1);
  });

  it('list_functions names what expressions may use', async () => {
    const names: string[] = await ok('list_functions', {});
    expect(names).toContain('sqrt(x)');
    expect(names).toContain('max(x, ...)');
    expect(names).toContain('pow(x, y)');
    expect(names).toContain('pi');
  });
});

describe('csv-stats (Python, componentize-py)', () => {
  const CSV = ['region,product,amount,note', 'north,apple,10,', 'south,pear,2.5,"late, again"', 'north,pear,7.5,x', 'east,apple,n/a,', 'west,fig,4,'].join(
    '\n',
  );

  it('describe_csv summarizes every column, numbers and text alike, with RFC 4180 quoting', async () => {
    const r = await ok('describe_csv', { text: CSV, delimiter: '' });
    expect(r.rows).toBe(5);
    expect(r.columns.map((c: any) => c.name)).toEqual(['region', 'product', 'amount', 'note']);
    const amount = r.columns[2];
    expect(amount).toMatchObject({ count: 5, missing: 0, numbers: 4, distinct: 5, min: 2.5, max: 10, sum: 24, mean: 6, median: 5.75 });
    expect(amount.stddev).toBeCloseTo(Math.sqrt(((10 - 6) ** 2 + (2.5 - 6) ** 2 + (7.5 - 6) ** 2 + (4 - 6) ** 2) / 3), 12);
    expect(r.columns[0]).toMatchObject({ count: 5, numbers: 0, mean: null, distinct: 4, 'most-common': 'north' });
    expect(r.columns[3]).toMatchObject({ count: 2, missing: 3, 'most-common': 'late, again' });
  });

  it('describe_column and group_by, with another delimiter', async () => {
    const semi = CSV.replaceAll(',', ';').replace('"late; again"', '"late, again"');
    expect(await ok('describe_column', { text: semi, delimiter: ';', column: 'amount' })).toMatchObject({ name: 'amount', numbers: 4, median: 5.75 });
    expect(await ok('group_by', { text: CSV, delimiter: ',', key_column: 'region', value_column: 'amount' })).toEqual([
      { key: 'north', count: 2, sum: 17.5, mean: 8.75 },
      { key: 'west', count: 1, sum: 4, mean: 4 },
      { key: 'south', count: 1, sum: 2.5, mean: 2.5 },
      { key: 'east', count: 1, sum: 0, mean: 0 },
    ]);
  });

  it('malformed input, a missing column and a bad delimiter are errors that say what is wrong', async () => {
    expect((await fails('describe_csv', { text: 'a,b\n"x,1\n', delimiter: '' })).error).toMatch(/malformed CSV/);
    expect((await fails('describe_csv', { text: '', delimiter: '' })).error).toMatch(/empty/);
    expect((await fails('describe_column', { text: CSV, delimiter: '', column: 'price' })).error).toBe(
      "no column 'price'; the columns are 'region', 'product', 'amount', 'note'",
    );
    expect((await fails('group_by', { text: CSV, delimiter: '::', key_column: 'region', value_column: 'amount' })).error).toMatch(/one character/);
  });
});

describe('gomod (Go, wasip1 + //go:wasmexport)', () => {
  it('parse_version splits a version and canonicalizes it', async () => {
    expect(await ok('parse_version', { version: '1.2.3-rc.1+build.5' })).toEqual({
      canonical: 'v1.2.3-rc.1',
      major: 1,
      minor: 2,
      patch: 3,
      prerelease: ['rc', '1'],
      build: ['build', '5'],
    });
    expect(await ok('parse_version', { version: 'v1.2' })).toMatchObject({ canonical: 'v1.2.0', prerelease: [], build: [] });
    expect((await ok('parse_version', { version: 'v0.0.0-20240101120000-abcdef123456' })).prerelease).toEqual(['20240101120000-abcdef123456']);
    expect((await fails('parse_version', { version: 'banana' })).error).toMatch(/"banana" is not a semantic version/);
  });

  it('compare_versions and sort_versions follow semver precedence', async () => {
    expect(await ok('compare_versions', { a: 'v1.0.0-rc.1', b: '1.0.0' })).toBe(-1);
    expect(await ok('compare_versions', { a: 'v1.10.0', b: 'v1.9.9' })).toBe(1);
    expect(await ok('compare_versions', { a: '1.0.0+a', b: 'v1.0.0+b' })).toBe(0);
    expect(await ok('sort_versions', { versions: ['v1.10.0', '1.2.0', 'v1.2.0-rc.1', 'v0.9.9', 'v1.2.0-beta.2', 'v1.2.0-beta.11'] })).toEqual([
      'v0.9.9',
      'v1.2.0-beta.2',
      'v1.2.0-beta.11',
      'v1.2.0-rc.1',
      '1.2.0',
      'v1.10.0',
    ]);
    expect(await ok('sort_versions', { versions: [] })).toEqual([]);
    expect((await fails('sort_versions', { versions: ['v1.0.0', 'nope'] })).error).toMatch(/entry 1: "nope"/);
  });

  it('satisfies checks ranges, carets, tildes, wildcards and alternatives', async () => {
    const cases: Array<[string, string, boolean]> = [
      ['1.21.5', '~1.21 || >=1.23', true],
      ['1.22.0', '~1.21 || >=1.23', false],
      ['1.24.1', '~1.21 || >=1.23', true],
      ['1.5.0', '>=1.2.0 <2.0.0', true],
      ['2.0.0', '>=1.2.0, <2.0.0', false],
      ['0.4.9', '^0.4.1', true],
      ['0.5.0', '^0.4.1', false],
      ['1.9.0', '^1.2.3', true],
      ['1.2.9', '~1.2.3', true],
      ['1.3.0', '~1.2.3', false],
      ['1.2.7', '1.2.x', true],
      ['1.3.0', '1.2.x', false],
      ['7.0.0', '*', true],
      ['1.0.0', '!=1.0.0', false],
      ['1.0.0', '>= 1.0.0', true],
    ];
    for (const [version, constraint, want] of cases) expect(await ok('satisfies', { version, constraint }), `${version} ${constraint}`).toBe(want);
    expect((await fails('satisfies', { version: '1.0.0', constraint: '>=banana' })).error).toMatch(/comparator ">=banana"/);
  });

  it('parse_go_mod reads every directive with the go command parser', async () => {
    const text = [
      'module example.com/app',
      '',
      'go 1.22',
      '',
      'toolchain go1.22.3',
      '',
      'require (',
      '\tgolang.org/x/mod v0.43.0',
      '\tgithub.com/google/uuid v1.6.0 // indirect',
      ')',
      '',
      'replace example.com/old v1.0.0 => ../old',
      'replace example.com/fork => example.com/fork2 v1.1.0',
      '',
      'exclude golang.org/x/net v0.1.0',
      '',
      'retract [v1.0.0, v1.0.5] // broken builds',
      '',
    ].join('\n');
    expect(await ok('parse_go_mod', { text })).toEqual({
      module: 'example.com/app',
      go: '1.22',
      toolchain: 'go1.22.3',
      require: [
        { path: 'golang.org/x/mod', version: 'v0.43.0', indirect: false },
        { path: 'github.com/google/uuid', version: 'v1.6.0', indirect: true },
      ],
      replace: [
        { 'old-path': 'example.com/old', 'old-version': 'v1.0.0', 'new-path': '../old', 'new-version': '' },
        { 'old-path': 'example.com/fork', 'old-version': '', 'new-path': 'example.com/fork2', 'new-version': 'v1.1.0' },
      ],
      exclude: [{ path: 'golang.org/x/net', version: 'v0.1.0' }],
      retract: [{ low: 'v1.0.0', high: 'v1.0.5', rationale: 'broken builds' }],
    });
    expect((await fails('parse_go_mod', { text: 'module example.com/x\nrequire golang.org/x/mod 0.43' })).error).toMatch(/go\.mod:2/);
  });
});

describe('filesystem (Rust, wasm32-wasi + preview1 adapter) inside the sandbox', () => {
  // Runs first in this block: nothing granted yet.
  it('sees nothing before a directory is granted', async () => {
    expect(await ok('allowed_directories', {})).toEqual([]);
    const r = await fails('list_directory', { path: G });
    expect(r.error).toMatch(/access denied/);
    expect(r.denials?.[0]).toMatchObject({ capability: 'storage', target: G });
    expect((await fails('read_file', { path: join(G, 'readme.txt') })).error).toMatch(/access denied/);
  });

  it('after grant_storage_permission it lists, reads, describes, finds and searches only the granted directory', async () => {
    // Asked by the agent, approved by the user from the CLI, like the load.
    await grantApproved(ctx.world, 'grant_storage_permission', { uri: `fs://${G}`, access: ['read'] }, ids.get('filesystem')!);

    expect(await ok('allowed_directories', {})).toEqual([G]);
    expect(await ok('list_directory', { path: G })).toEqual([
      { name: 'docs', kind: 'directory', size: 0 },
      { name: 'escape', kind: 'symlink', size: '../outside'.length },
      { name: 'readme.txt', kind: 'file', size: 33 },
    ]);
    expect(await ok('read_file', { path: join(G, 'readme.txt') })).toBe('hello from the granted directory\n');
    const info = await ok('get_file_info', { path: join(G, 'docs', 'notes.md') });
    expect(info).toMatchObject({ kind: 'file', size: 44 });
    expect(Math.abs(info.modified - Date.now() / 1000)).toBeLessThan(3600);
    expect(await ok('find_files', { path: G, pattern: '*.md' })).toEqual([join(G, 'docs', 'notes.md')]);
    expect(await ok('find_files', { path: G, pattern: 'docs/**/*.rs' })).toEqual([join(G, 'docs', 'deep', 'main.rs')]);
    expect(await ok('find_files', { path: G, pattern: '[mn]*.??' })).toEqual([join(G, 'docs', 'deep', 'main.rs'), join(G, 'docs', 'notes.md')]);
    // The symlink is not followed and the binary file is skipped: only the two granted text files match.
    expect(await ok('search_files', { path: G, text: 'TODO' })).toEqual([
      { path: join(G, 'docs', 'deep', 'main.rs'), line: 1, text: 'fn main() {} // TODO later' },
      { path: join(G, 'docs', 'notes.md'), line: 2, text: 'TODO: write the report' },
    ]);
    expect((await fails('read_file', { path: join(G, 'docs', 'blob.bin') })).error).toMatch(/not a UTF-8 text file/);
    expect((await fails('read_file', { path: 'readme.txt' })).error).toMatch(/not an absolute path/);
  });

  it('refuses a path outside the grant, a `..` climb and a symlink escape, and never returns the outside content', async () => {
    const outside = join(T, 'data', 'outside', 'secret.txt');
    // Written out: path.join would resolve the `..` before the component ever saw it.
    const attempts = [
      ['read_file', { path: outside }],
      ['read_file', { path: `${G}/../outside/secret.txt` }],
      ['read_file', { path: join(G, 'escape', 'secret.txt') }],
      ['list_directory', { path: join(G, 'escape') }],
      ['list_directory', { path: join(T, 'data') }],
      ['get_file_info', { path: outside }],
      ['find_files', { path: join(G, 'escape'), pattern: '*' }],
      ['search_files', { path: `${G}/..`, text: 'TODO' }],
    ] as const;
    for (const [tool, args] of attempts) {
      const r = await fails(tool, args);
      expect(r.error, `${tool} ${JSON.stringify(args)}`).toMatch(/access denied/);
      expect(r.denials?.[0]?.capability).toBe('storage');
      expect(r.raw).not.toContain(SENTINEL);
    }
    const climbed = await fails('read_file', { path: `${G}/../outside/secret.txt` });
    expect(climbed.denials?.[0]?.reason).toMatch(/climbs out of its directory with \.\./);
    const linked = await fails('read_file', { path: join(G, 'escape', 'secret.txt') });
    expect(linked.denials?.[0]?.reason).toMatch(/is a symlink to \.\.\/outside/);
    // Granted access keeps working after the refusals.
    expect(await ok('read_file', { path: join(G, 'readme.txt') })).toBe('hello from the granted directory\n');
  });
});
