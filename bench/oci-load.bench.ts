// Benchmark: loading a ~12 MB component from a loopback registry through the facade, cold (fresh home) and from cache.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { publishComponent } from '../src/oci/publish.js';
import { createRegistryClient } from '../src/oci/setup.js';
import type { CallContext } from '../src/core/call-context.js';
import { openWassette } from '../src/core/wassette.js';
import { destroyRegistry, startRegistry } from '../test/helpers/registry.js';
import { runStandalone } from './standalone.js';

const RUNS = 5;
const COMPONENT = resolve(import.meta.dirname, '..', 'fixtures', 'build', 'text-tools.wasm');
const ctx: CallContext = { log: () => undefined };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One measured load: open a facade on `home`, load `ref`, make the first call (which instantiates the worker). */
async function timedLoad(home: string, ref: string): Promise<{ totalMs: number; loadMs: number; callMs: number }> {
  const t0 = performance.now();
  const w = await openWassette(loadConfig({ WASSETTE_HOME: home }), silentLogger, { restore: false });
  try {
    const summary = await w.load(ref);
    const t1 = performance.now();
    const tool = summary.tools.find((t) => t.endsWith('reverse')) ?? summary.tools[0]!;
    const r = await w.callTool(tool, { input: 'bench' }, ctx);
    const t2 = performance.now();
    if (!r || r.isError) throw new Error(`first call of ${tool} failed: ${JSON.stringify(r)}`);
    return { totalMs: t2 - t0, loadMs: t1 - t0, callMs: t2 - t1 };
  } finally {
    await w.close();
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

export async function run(): Promise<string> {
  const bytes = readFileSync(COMPONENT);
  const reg = await startRegistry();
  const homes: string[] = [];
  const freshHome = () => {
    const h = mkdtempSync(join(tmpdir(), 'wassette-bench-'));
    homes.push(h);
    return h;
  };
  try {
    const client = await createRegistryClient({ dockerConfigDir: null });
    const published = await publishComponent(bytes, `oci://${reg.registry}/bench/text-tools:1`, { client });
    const byTag = `oci://${reg.registry}/bench/text-tools:1`;
    const pinned = `oci://${reg.registry}/bench/text-tools@${published.manifestDigest}`;

    type Sample = Awaited<ReturnType<typeof timedLoad>>;
    const cold: Sample[] = [];
    for (let i = 0; i < RUNS; i++) cold.push(await timedLoad(freshHome(), byTag));

    const warmHome = freshHome();
    await timedLoad(warmHome, pinned);
    const warm: Sample[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await timedLoad(warmHome, pinned));

    const row = (name: string, xs: Sample[]) =>
      `| ${name} | ${fmt(median(xs.map((x) => x.totalMs)))} | ${fmt(median(xs.map((x) => x.loadMs)))} | ${fmt(median(xs.map((x) => x.callMs)))} | ${fmt(Math.min(...xs.map((x) => x.totalMs)))}–${fmt(Math.max(...xs.map((x) => x.totalMs)))} |`;
    return [
      '## OCI load (text-tools, loopback registry)',
      '',
      `Component ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB, pushed to a local \`docker-registry\`; median of ${RUNS} runs, in-process facade.`,
      'Cold: fresh home, load by tag (pull + verify digests + signature lookup + decode + transpile) then the first call (worker + instantiate).',
      'Cached: new facade on a home that loaded the same digest before (blob and transpile caches warm), load by `@sha256:` then the first call.',
      '',
      '| case | total (median) | open + load | first call | total min–max |',
      '|---|---|---|---|---|',
      row('cold (fresh home, by tag)', cold),
      row('cached (same digest)', warm),
      '',
    ].join('\n');
  } finally {
    await destroyRegistry(reg);
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  }
}

runStandalone(import.meta.url, run);
