// A/B of two builds on the spine calls: two `wassette serve` children (AB_A and AB_B: `dist` directories, e.g. a
// copy of main's `dist` and this branch's), every call of every case alternating between them (order flipped each
// round), so machine load hits both alike. Not a `*.bench.ts`: `npm run bench` does not run it.
// The server started second tends to be faster (an A/A run here gave B-A -10 to -36 µs on component calls), so run
// it both ways (swap AB_A and AB_B) and take half the difference of the two B-A columns as the effect.
//   cp -r dist /tmp/dist-main   # on main, after `npm run build`
//   AB_A=/tmp/dist-main AB_B=$PWD/dist npx tsx bench/ab-calls.ts
// Optional: AB_CALLS (default 1000), AB_WRAP_B (a command prefix for B's server, e.g. `taskset -c 1`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { childEnv, fixture, ROOT, tempHome } from '../test/helpers/cli.js';
import { median, percentile } from './spine-calls.bench.js';

const WARMUP = 300;
const CASES = [
  { label: 'built-in list_components', tool: 'list_components', args: {} },
  { label: 'WAT ping', tool: 'ping', args: {} },
  { label: 'WAT greet', tool: 'greet', args: { name: 'bench' } },
  { label: 'JS word-count', tool: 'test_text_tools_text_word_count', args: { input: 'one two three' } },
];

interface Server {
  client: Client;
  cleanup(): void;
}

async function start(dist: string, wrap: string[]): Promise<Server> {
  const t = tempHome('wassette-ab-');
  const node = [process.execPath, join(dist, 'src', 'cli', 'main.js'), 'serve'];
  const argv = [...wrap, ...node];
  const transport = new StdioClientTransport({ command: argv[0]!, args: argv.slice(1), env: childEnv(t.home), cwd: ROOT, stderr: 'pipe' });
  transport.stderr?.on('data', () => undefined);
  const client = new Client({ name: 'wassette-ab', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  for (const name of ['spin', 'all-types', 'text-tools']) {
    const r = await client.callTool({ name: 'load_component', arguments: { path: fixture(name) } });
    if (r.isError) throw new Error(`loading ${name} into ${dist} failed: ${JSON.stringify(r)}`);
  }
  await client.listTools();
  return { client, cleanup: t.cleanup };
}

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' / ');
const us = (ms: number): string => `${(ms * 1000).toFixed(0)} µs`;

async function main(): Promise<void> {
  const dirs = { A: process.env.AB_A, B: process.env.AB_B };
  if (!dirs.A || !dirs.B) throw new Error('set AB_A and AB_B to two dist directories');
  const calls = Number(process.env.AB_CALLS ?? 1000);
  const load = loadavg();
  const servers = { A: await start(dirs.A, []), B: await start(dirs.B, (process.env.AB_WRAP_B ?? '').split(' ').filter(Boolean)) };
  const samples = new Map<string, number[]>();
  try {
    for (let i = 0; i < WARMUP + calls; i++) {
      for (const c of CASES) {
        for (const tag of i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
          const t0 = performance.now();
          const r = await servers[tag].client.callTool({ name: c.tool, arguments: c.args });
          const ms = performance.now() - t0;
          if (r.isError) throw new Error(`${tag} ${c.tool}: ${JSON.stringify(r)}`);
          if (i < WARMUP) continue;
          const key = `${tag} ${c.label}`;
          if (!samples.has(key)) samples.set(key, []);
          samples.get(key)!.push(ms);
        }
      }
    }
  } finally {
    for (const s of Object.values(servers)) {
      await s.client.close();
      s.cleanup();
    }
  }
  const lines = [
    `A = ${dirs.A}, B = ${dirs.B}; ${calls} calls per case and build after ${WARMUP} warm-up; load average ${load} -> ${loadavg()}`,
    '',
    '| case | A p50 | B p50 | B-A p50 | paired median B-A | A p99 | B p99 |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of CASES) {
    const a = samples.get(`A ${c.label}`)!;
    const b = samples.get(`B ${c.label}`)!;
    const paired = median(b.map((x, i) => x - a[i]!));
    lines.push(
      `| ${c.label} | ${us(median(a))} | ${us(median(b))} | ${us(median(b) - median(a))} | ${us(paired)} | ${us(percentile(a, 99))} | ${us(percentile(b, 99))} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
