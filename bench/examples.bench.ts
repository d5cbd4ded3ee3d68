// Benchmark: per working example, component size, a cold build with its build.sh (target < 60 s), and over a real
// `wassette serve` on a fresh home: load_component (fetch + transpile + instantiate), first call, warm call.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listExamples, type Example } from '../scripts/examples/catalog.js';
import { call, ROOT, startStdioSession, tempHome, text } from '../test/helpers/cli.js';
import { answerOpenWeather } from '../test/helpers/openweather.js';
import { median } from './spine-calls.bench.js';
import { runStandalone } from './standalone.js';

const RUNS = 3;
const BUILD_TARGET_MS = 60_000;

interface CallSpec {
  tool: string;
  args: (base: string) => Record<string, unknown>;
  /** Network host to grant first (the loopback test server). */
  grantNetwork?: boolean;
  /** Grant read access to a directory first (a fresh temporary one holding notes.txt); `base` is then that directory. */
  grantDirectory?: boolean;
  /** Variables the server is started with, each granted to the component first (given the loopback server's URL). */
  grantEnvironment?: (base: string) => Record<string, string>;
}

const BENCH_API_KEY = 'bench-key';

/** What the first call of each example is; an example not listed here gets its first tool without required arguments. */
const FIRST_CALLS: Record<string, CallSpec> = {
  time: { tool: 'current_time', args: () => ({ zone: 'Europe/Paris' }) },
  fetch: { tool: 'get_text', args: (base) => ({ url: `${base}/page` }), grantNetwork: true },
  eval: { tool: 'evaluate', args: () => ({ expression: '2 * (3 + 4) ^ 2' }) },
  'csv-stats': { tool: 'describe_csv', args: () => ({ text: 'region,amount\nnorth,10\nsouth,2.5\n', delimiter: '' }) },
  gomod: { tool: 'compare_versions', args: () => ({ a: 'v1.10.0', b: 'v1.9.9' }) },
  filesystem: { tool: 'read_file', args: (dir) => ({ path: join(dir, 'notes.txt') }), grantDirectory: true },
  weather: {
    tool: 'current_weather',
    args: () => ({ location: 'Lyon' }),
    grantNetwork: true,
    grantEnvironment: (base) => ({ OPENWEATHER_API_KEY: BENCH_API_KEY, WEATHER_API_BASE: base }),
  },
};

interface Sample {
  loadMs: number;
  firstMs: number;
  warmMs: number;
}

function coldBuild(example: Example): { ms: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'wassette-bench-build-'));
  try {
    const out = join(dir, `${example.name}.wasm`);
    const t0 = performance.now();
    const r = spawnSync('bash', [example.buildScript, out], { cwd: ROOT, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`building ${example.name} failed: ${(r.stderr || r.stdout).slice(-1500)}`);
    return { ms, bytes: statSync(out).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(wasm: string, spec: CallSpec | undefined, url: string, host: string): Promise<Sample | string> {
  const h = tempHome('wassette-bench-examples-');
  const env = spec?.grantEnvironment?.(url) ?? {};
  const s = await startStdioSession({ home: h.home, env });
  const dir = mkdtempSync(join(tmpdir(), 'wassette-bench-granted-'));
  writeFileSync(join(dir, 'notes.txt'), 'hello from the granted directory\n');
  const base = spec?.grantDirectory ? dir : url;
  try {
    const t0 = performance.now();
    const loaded = await call(s, 'load_component', { path: wasm });
    const loadMs = performance.now() - t0;
    if (loaded.isError) throw new Error(`load_component ${wasm}: ${text(loaded)}`);
    const id = loaded.structuredContent?.id as string;
    let chosen = spec;
    if (!chosen) {
      const { tools } = await s.client.listTools();
      const mine = tools.find((t) => (loaded.structuredContent?.tools as string[]).includes(t.name) && (t.inputSchema.required ?? []).length === 0);
      if (!mine) return 'no tool without required arguments; add it to FIRST_CALLS in bench/examples.bench.ts';
      chosen = { tool: mine.name, args: () => ({}) };
    }
    if (chosen.grantNetwork) await call(s, 'grant_network_permission', { component_id: id, details: { host } });
    for (const key of Object.keys(env)) {
      const g = await call(s, 'grant_environment_variable_permission', { component_id: id, details: { key } });
      if (g.isError) throw new Error(`grant_environment_variable_permission ${key}: ${text(g)}`);
    }
    if (chosen.grantDirectory) {
      const g = await call(s, 'grant_storage_permission', { component_id: id, details: { uri: `fs://${dir}`, access: ['read'] } });
      if (g.isError) throw new Error(`grant_storage_permission: ${text(g)}`);
    }
    const t1 = performance.now();
    const first = await call(s, chosen.tool, chosen.args(base));
    const firstMs = performance.now() - t1;
    if (first.isError) throw new Error(`${chosen.tool}: ${text(first)}`);
    const t2 = performance.now();
    await call(s, chosen.tool, chosen.args(base));
    return { loadMs, firstMs, warmMs: performance.now() - t2 };
  } finally {
    await s.close();
    h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** `only` limits the run to the examples named (`BENCH_EXAMPLES=weather npx tsx bench/examples.bench.ts`). */
export async function run(only = (process.env.BENCH_EXAMPLES ?? '').split(',').filter(Boolean)): Promise<string> {
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (url.pathname.startsWith('/data/2.5/')) return answerOpenWeather(url, res, BENCH_API_KEY);
    res.end('hello from the bench server\n');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    for (const example of listExamples(ROOT).filter((e) => only.length === 0 || only.includes(e.name))) {
      if (!example.works) {
        notes.push(`- ${example.name} (${example.language}): not built, ${example.why}`);
        continue;
      }
      const build = coldBuild(example);
      // The calls run on examples/build/<name>.wasm (the cached build, made now when missing or stale).
      const out = join(ROOT, 'examples', 'build', `${example.name}.wasm`);
      const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'build-examples.ts'), '--only', example.name], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`npm run examples -- --only ${example.name}: ${r.stderr.slice(-1500)}`);
      const samples: Sample[] = [];
      let skipped: string | undefined;
      for (let i = 0; i < RUNS && skipped === undefined; i++) {
        const m = await measure(out, FIRST_CALLS[example.name], base, `127.0.0.1:${port}`);
        if (typeof m === 'string') skipped = m;
        else samples.push(m);
      }
      const size = `${(readFileSync(out).length / 1e6).toFixed(1)} MB`;
      const buildCell = `${(build.ms / 1000).toFixed(1)} s${build.ms > BUILD_TARGET_MS ? ' (over target)' : ''}`;
      if (skipped !== undefined || samples.length === 0) {
        rows.push(`| ${example.name} | ${example.language} | ${size} | ${buildCell} | n/a | n/a | n/a |`);
        notes.push(`- ${example.name}: ${skipped}`);
        continue;
      }
      const med = (k: keyof Sample) => ms(median(samples.map((x) => x[k])));
      rows.push(`| ${example.name} | ${example.language} | ${size} | ${buildCell} | ${med('loadMs')} | ${med('firstMs')} | ${med('warmMs')} |`);
    }
  } finally {
    await new Promise((r) => http.close(r));
  }
  return [
    '## examples',
    '',
    `Each working example: size of examples/build/<name>.wasm, one cold build with its build.sh (target < 60 s), and the`,
    `median of ${RUNS} fresh \`wassette serve\` homes for load_component of the file (fetch, transpile, instantiate),`,
    'the first tool call after it and a second (warm) call. fetch calls a loopback server after a network grant;',
    'weather too, after granting the API key and base URL variables (the server is started with both);',
    'filesystem reads a file in a temporary directory after a storage grant. "Cold" means not in examples/build:',
    "Go's own build cache (go-build) stays warm, so gomod's build is mostly linking.",
    '',
    '| example | language | size | cold build | load | first call | warm call |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
}

runStandalone(import.meta.url, run);
