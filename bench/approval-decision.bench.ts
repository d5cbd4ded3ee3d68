// Benchmark: how fast a running server acts on a decision made in another process. A stdio server in prompt mode
// asks to load a component (no elicitation, so the request waits); this process decides it on the same
// WASSETTE_HOME, as the CLI or the UI would, and times decision -> `tools/list_changed` at the client (the server
// notices, loads, announces) and decision -> the first successful call of a new tool. Also a grant: decision ->
// the next call sees it. Target: decision -> tool < 1 s (median of RUNS).
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../src/store/db.js';
import { call, fixture, startStdioSession, tempHome, type McpSession } from '../test/helpers/cli.js';
import { median, percentile } from './spine-calls.bench.js';
import { runStandalone } from './standalone.js';

const RUNS = 7;
const TARGET_MS = 1000;
const ENV = { WASSETTE_APPROVAL: 'prompt', PROBE_VAR: 'visible' };

function decide(home: string, id: string): void {
  const store = openStore(home);
  try {
    store.approvals.decide(id, 'approved', 'user (bench)', Date.now(), 'always');
  } finally {
    store.close();
  }
}

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await check()) return;
    await sleep(5);
  }
  throw new Error('timed out');
}

async function loadOnce(): Promise<{ listChangedMs: number; firstCallMs: number; grantMs: number }> {
  const t = tempHome('wassette-bench-decide-');
  let s: McpSession | undefined;
  try {
    s = await startStdioSession({ home: t.home, env: ENV });
    const session = s;
    const pending = await call(session, 'load_component', { path: fixture('wasi-env') });
    const id = pending.structuredContent?.request_id as string;
    if (!id) throw new Error(`expected a pending request: ${JSON.stringify(pending)}`);
    const before = session.listChanged();
    const t0 = performance.now();
    decide(t.home, id);
    await until(() => session.listChanged() > before);
    const listChangedMs = performance.now() - t0;
    await until(async () => (await call(session, 'has_env', { key: 'PROBE_VAR' })).isError !== true);
    const firstCallMs = performance.now() - t0;

    const asked = await call(session, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'PROBE_VAR' } });
    const grantId = asked.structuredContent?.request_id as string;
    const t1 = performance.now();
    decide(t.home, grantId);
    await until(async () => (await call(session, 'has_env', { key: 'PROBE_VAR' })).structuredContent?.result === true);
    return { listChangedMs, firstCallMs, grantMs: performance.now() - t1 };
  } finally {
    await s?.close();
    t.cleanup();
  }
}

export async function run(): Promise<string> {
  const samples: Array<Awaited<ReturnType<typeof loadOnce>>> = [];
  for (let i = 0; i < RUNS; i++) samples.push(await loadOnce());
  const row = (label: string, xs: number[]) =>
    `| ${label} | ${median(xs).toFixed(0)} ms | ${percentile(xs, 90).toFixed(0)} ms | ${Math.max(...xs).toFixed(0)} ms |`;
  const tool = samples.map((x) => x.firstCallMs);
  return [
    '## approval-decision',
    '',
    `A decision made in another process on the same home, until the running stdio server acts on it (WAT component \`wasi-env\`, ${RUNS} runs, a fresh server each).`,
    '',
    '| from the decision to | median | p90 | max |',
    '|---|---|---|---|',
    row(
      '`tools/list_changed` at the client (load approved)',
      samples.map((x) => x.listChangedMs),
    ),
    row('first successful call of the new tool', tool),
    row(
      'the next call sees an approved grant',
      samples.map((x) => x.grantMs),
    ),
    '',
    `Target decision -> tool < ${TARGET_MS} ms: ${median(tool) < TARGET_MS ? 'met' : 'NOT met'} (median ${median(tool).toFixed(0)} ms).`,
  ].join('\n');
}

runStandalone(import.meta.url, run);
