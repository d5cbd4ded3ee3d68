// Benchmark: server ready time (spawn -> initialize -> tools/list answered) of `wassette serve` over
// stdio with 5 components already loaded in its home, against an empty home. Target: < 1 s (median of 5).
import { call, fixture, runCli, startStdioSession, tempHome } from '../test/helpers/cli.js';
import { median } from './spine-calls.bench.js';
import { runStandalone } from './standalone.js';

const RUNS = 5;
const TARGET_MS = 1000;
/** Four small WAT components and one ~12 MB JS component, as a typical mix. */
const COMPONENTS = ['all-types', 'resources', 'collide-a', 'spin', 'text-tools'];

interface Sample {
  readyMs: number;
  tools: number;
  firstCallMs: number;
}

async function startOnce(home: string, firstCall?: { tool: string; args: Record<string, unknown> }): Promise<Sample> {
  const t0 = performance.now();
  const s = await startStdioSession({ home });
  try {
    const { tools } = await s.client.listTools();
    const readyMs = performance.now() - t0;
    let firstCallMs = NaN;
    if (firstCall) {
      const t1 = performance.now();
      const r = await call(s, firstCall.tool, firstCall.args);
      firstCallMs = performance.now() - t1;
      if (r.isError) throw new Error(`${firstCall.tool} failed after start: ${JSON.stringify(r)}`);
    }
    return { readyMs, tools: tools.length, firstCallMs };
  } finally {
    await s.close();
  }
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

export async function run(): Promise<string> {
  const empty = tempHome('wassette-bench-');
  const full = tempHome('wassette-bench-');
  try {
    for (const name of COMPONENTS) {
      const r = await runCli(['component', 'load', fixture(name), '--json'], { home: full.home });
      if (r.code !== 0) throw new Error(`loading ${name} failed: ${r.stderr}`);
    }
    // One unmeasured start each, so both homes have their SQLite file and caches in place.
    await startOnce(empty.home);
    await startOnce(full.home);

    const emptyRuns: Sample[] = [];
    const fullRuns: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      emptyRuns.push(await startOnce(empty.home));
      fullRuns.push(await startOnce(full.home, { tool: 'reverse', args: { input: 'bench' } }));
    }
    const toolCount = fullRuns[0]!.tools;
    const row = (label: string, xs: Sample[]) => {
      const ready = xs.map((x) => x.readyMs);
      return `| ${label} | ${xs[0]!.tools} | ${ms(median(ready))} | ${ms(Math.min(...ready))}–${ms(Math.max(...ready))} |`;
    };
    const readyFull = median(fullRuns.map((x) => x.readyMs));
    const firstCall = median(fullRuns.map((x) => x.firstCallMs));
    return [
      '## Spine: server startup with cached components',
      '',
      `Spawn \`node dist/src/cli/main.js serve\` (stdio) -> MCP initialize -> tools/list answered, measured by the SDK client; median of ${RUNS}.`,
      `The full home holds ${COMPONENTS.length} components loaded earlier with \`wassette component load\` (${COMPONENTS.join(', ')};`,
      'text-tools is a ~12 MB JS component), so the blob and transpile caches are warm; they are restored at startup.',
      '',
      '| home | tools listed | ready (median) | min–max |',
      '|---|---|---|---|',
      row('empty', emptyRuns),
      row(`${COMPONENTS.length} components`, fullRuns),
      '',
      `First call after startup (\`reverse\` on the JS component: worker start + instantiate from the transpile cache): ${ms(firstCall)} median.`,
      '',
      `Target: ready < ${TARGET_MS} ms with ${COMPONENTS.length} components (${toolCount} tools). Measured: ${ms(readyFull)}, ${readyFull < TARGET_MS ? 'met' : 'NOT met'}.`,
      '',
    ].join('\n');
  } finally {
    empty.cleanup();
    full.cleanup();
  }
}

runStandalone(import.meta.url, run);
