// Benchmark: the approvals UI (`wassette approvals`) in a real 80x24 terminal (tmux): first paint with 1 and with
// 1,000 pending requests, keypress-to-screen with 1,000 pending, and decision-to-tool (a key in the UI until the
// waiting stdio server's client gets tools/list_changed). Targets: first paint < 1 s, keypress < 100 ms, decision < 1 s.
import { call, CLI, childEnv, fixture, ROOT, startStdioSession, tempHome } from '../test/helpers/cli.js';
import { TmuxSession } from '../test/helpers/tmux.js';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { openStore } from '../src/store/db.js';
import { App } from '../ui/app.js';
import type { Snapshot, UiData } from '../ui/types.js';
import { median, percentile } from './spine-calls.bench.js';
import { runStandalone } from './standalone.js';

const PAINT_RUNS = 5;
const KEY_PRESSES = 40;
const DECISIONS = 5;
const BIG_QUEUE = 1000;

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Fills a home's queue with `n` load_tool requests shaped as load_tool records them. */
function seedQueue(home: string, n: number): void {
  const store = openStore(home);
  try {
    const now = Date.now();
    store.db
      .transaction(() => {
        for (let i = 0; i < n; i++) {
          const digest = `sha256:${i.toString(16).padStart(64, '0')}`;
          const source = `oci://registry.example:5000/bench/tool-${i}@${digest}`;
          store.approvals.create({
            kind: 'load_tool',
            requestedBy: 'agent (bench)',
            createdAt: now - (n - i) * 10,
            payload: {
              ref: `oci://registry.example:5000/bench/tool-${i}:1.0`,
              source,
              digest,
              policy: { yaml: null, digest: null, origin: null, permissions: null },
              reason: `request number ${i}`,
              signature: 'unsigned',
              publisher: { description: `Bench tool ${i}`, version: '1.0.0' },
              tools: [{ name: `bench_tool_${i}`, description: 'Does a thing.' }],
              permissions: [{ permission: `network: host-${i}.example`, held: false }],
              subject: { source, signature: { status: 'unsigned' }, permissions: [`network: host-${i}.example`] },
            },
          });
        }
      })
      .immediate();
  } finally {
    store.close();
  }
}

const uiArgv = [process.execPath, CLI, 'approvals'];
const uiEnv = (home: string) => ({ ...childEnv(home, { WASSETTE_APPROVAL: 'prompt' }), TERM: 'xterm-256color' });

async function startUi(home: string): Promise<TmuxSession> {
  const term = new TmuxSession();
  await term.start(uiArgv, { env: uiEnv(home), cwd: ROOT });
  return term;
}

/** tmux respawn-pane (the terminal is already up) until the screen shows the queue with its first request. */
async function firstPaint(term: TmuxSession, home: string, count: number): Promise<number> {
  await term.respawn(['true'], { env: {} });
  await term.waitFor((x) => x.includes('[exited 0]'), 20_000, 'a clear pane', 20);
  const t0 = performance.now();
  await term.respawn(uiArgv, { env: uiEnv(home), cwd: ROOT });
  await term.waitFor((x) => x.includes(`Pending (${count})`) && x.includes('Request 1/'), 20_000, 'the first paint', 20);
  return performance.now() - t0;
}

async function keypresses(home: string, count: number): Promise<number[]> {
  const term = await startUi(home);
  try {
    // Keys are measured once the UI handles them (its key line is on screen), not while the pre-paint shows.
    await term.waitFor((x) => x.includes(`Request 1/${count}`) && x.includes('q quit'), 20_000, 'the UI to run');
    const out: number[] = [];
    for (let i = 1; i <= KEY_PRESSES; i++) {
      const t0 = performance.now();
      await term.send('j');
      await term.waitFor((x) => x.includes(`Request ${i + 1}/${count}`), 5000, `request ${i + 1} selected`, 2);
      out.push(performance.now() - t0);
    }
    return out;
  } finally {
    await term.kill();
  }
}

/** The UI's own share of a keypress: ink-testing-library, no terminal, the same 1,000 requests as plain data. */
async function inProcessKeypresses(home: string, count: number): Promise<number[]> {
  const store = openStore(home);
  const snap: Snapshot = { pending: store.approvals.listPending(), components: [], trust: [], audit: [] };
  store.close();
  const data: UiData = {
    snapshot: async () => snap,
    decide: async () => {
      throw new Error('not in this benchmark');
    },
    revokeTrust: async () => '',
  };
  const r = render(createElement(App, { data, size: { columns: 80, rows: 24 }, pollMs: 60_000 }));
  const frame = () => r.lastFrame() ?? '';
  const until = async (text: string) => {
    const deadline = Date.now() + 5000;
    while (!frame().includes(text)) {
      if (Date.now() > deadline) throw new Error(`no frame with ${text}`);
      await new Promise((res) => setImmediate(res));
    }
  };
  try {
    await until(`Request 1/${count}`);
    const out: number[] = [];
    for (let i = 1; i <= KEY_PRESSES * 5; i++) {
      const t0 = performance.now();
      r.stdin.write('j');
      await until(`Request ${i + 1}/${count}`);
      out.push(performance.now() - t0);
    }
    return out;
  } finally {
    r.unmount();
  }
}

/** A key in the UI -> the server that waits gets tools/list_changed, for a small WAT component. */
async function decisions(): Promise<number[]> {
  const t = tempHome('wassette-bench-ui-');
  const s = await startStdioSession({ home: t.home, env: { WASSETTE_APPROVAL: 'prompt' } });
  const term = await startUi(t.home);
  try {
    await term.waitFor((x) => x.includes('No pending requests'), 20_000, 'the UI');
    const out: number[] = [];
    for (let i = 0; i < DECISIONS; i++) {
      const r = await call(s, 'load_component', { path: fixture('spin') });
      if (r.structuredContent?.status !== 'pending') throw new Error(`expected a pending load, got ${JSON.stringify(r.structuredContent)}`);
      await term.waitFor((x) => x.includes('spin.wasm') && x.includes('Request 1/1'), 20_000, 'the request');
      const before = s.listChanged();
      const t0 = performance.now();
      await term.send('a');
      const deadline = Date.now() + 20_000;
      while (s.listChanged() === before) {
        if (Date.now() > deadline) throw new Error('no tools/list_changed within 20 s');
        await new Promise((res) => setTimeout(res, 5));
      }
      out.push(performance.now() - t0);
      const tools = (await s.client.listTools()).tools.map((x) => x.name);
      if (!tools.includes('ping')) throw new Error(`list_changed arrived but ping is missing: ${tools.join(', ')}`);
      await call(s, 'unload_component', { id: 'spin' });
      await term.waitFor((x) => x.includes('No pending requests'), 20_000, 'the queue to empty');
    }
    return out;
  } finally {
    await term.kill();
    await s.close();
    t.cleanup();
  }
}

export async function run(): Promise<string> {
  const one = tempHome('wassette-bench-ui-');
  const many = tempHome('wassette-bench-ui-');
  try {
    seedQueue(one.home, 1);
    seedQueue(many.home, BIG_QUEUE);
    const paintOne: number[] = [];
    const paintMany: number[] = [];
    const term = new TmuxSession();
    try {
      await term.start(['true'], { env: {} });
      // One unmeasured start each (SQLite file, OS caches).
      await firstPaint(term, one.home, 1);
      await firstPaint(term, many.home, BIG_QUEUE);
      for (let i = 0; i < PAINT_RUNS; i++) {
        paintOne.push(await firstPaint(term, one.home, 1));
        paintMany.push(await firstPaint(term, many.home, BIG_QUEUE));
      }
    } finally {
      await term.kill();
    }
    const keys = await keypresses(many.home, BIG_QUEUE);
    const keysInProcess = await inProcessKeypresses(many.home, BIG_QUEUE);
    const decided = await decisions();
    const row = (label: string, xs: number[]) =>
      `| ${label} | ${ms(median(xs))} | ${ms(percentile(xs, 95))} | ${ms(Math.min(...xs))}–${ms(Math.max(...xs))} | ${xs.length} |`;
    const paint = median(paintMany);
    const key = median(keys);
    const key95 = percentile(keys, 95);
    const decision = median(decided);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    return [
      '## Approvals UI (wassette approvals in tmux, 80x24)',
      '',
      '`node dist/src/cli/main.js approvals` in a tmux pane (80x24) on a home whose queue holds 1 or 1,000 pending load_tool',
      'requests (written to the store as load_tool records them). First paint: tmux respawn-pane (process start) -> the screen',
      '(tmux capture-pane, polled every 20 ms) shows the queue and the first request. Keypress: tmux send-keys `j` (capture every 2 ms)',
      '-> the screen shows the next request selected, 1,000 pending. Decision: a stdio server in prompt mode waits on',
      '`load_component` (spin.wasm, WAT); tmux send-keys `a` -> the MCP client receives tools/list_changed (the UI fetches,',
      'transpiles from cache and registers; the server notices the store change and restores).',
      '',
      '| measure | median | p95 | min–max | n |',
      '|---|---|---|---|---|',
      row('first paint, 1 pending', paintOne),
      row(`first paint, ${BIG_QUEUE.toLocaleString('en')} pending`, paintMany),
      row(`keypress to screen, ${BIG_QUEUE.toLocaleString('en')} pending`, keys),
      row(`keypress to frame in process (no terminal), ${BIG_QUEUE.toLocaleString('en')} pending`, keysInProcess),
      row('decision (key) to tools/list_changed', decided),
      '',
      `Targets: first paint < 1 s (measured ${ms(paint)} with 1,000 pending, ${verdict(paint < 1000)}); keypress < 100 ms with 1,000`,
      `pending (median ${ms(key)}, p95 ${ms(key95)}, ${verdict(key < 100)}); decision to tool available < 1 s (median ${ms(decision)}, ${verdict(decision < 1000)}).`,
      'The keypress figure includes tmux send-keys and capture-pane process spawns (a few ms each) on top of the UI.',
      '',
    ].join('\n');
  } finally {
    one.cleanup();
    many.cleanup();
  }
}

runStandalone(import.meta.url, run);
