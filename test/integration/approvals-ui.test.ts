// End to end in a real terminal: a stdio server in prompt mode waits on a load; `wassette approvals` runs in tmux at
// 80x24 on the same WASSETTE_HOME, the request appears (with a bell), a key approves it and the server announces the
// component's tools; a denied request loads nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, call, childEnv, fixture, ROOT, runCli, startStdioSession, tempHome, type McpSession } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';

const t = tempHome('wassette-ui-e2e-');
const term = new TmuxSession();
let s: McpSession;

const toolNames = async () => (await s.client.listTools()).tools.map((x) => x.name);

beforeAll(async () => {
  s = await startStdioSession({ home: t.home, env: { WASSETTE_APPROVAL: 'prompt' } });
  // CI=true as CI machines set it: Ink would then hold every frame until exit, unless the UI keeps it interactive.
  await term.start([process.execPath, CLI, 'approvals'], {
    env: { ...childEnv(t.home, { WASSETTE_APPROVAL: 'prompt' }), TERM: 'xterm-256color', CI: 'true' },
    cwd: ROOT,
  });
  await term.waitFor((x) => x.includes('No pending requests'), 20_000, 'the UI to start');
}, 60_000);

afterAll(async () => {
  await term.kill();
  await s?.close();
  t.cleanup();
});

describe('wassette approvals in a terminal', () => {
  it('shows a request a running server made, with its details, inside 80x24, and rings the bell', async () => {
    const r = await call(s, 'load_component', { path: fixture('wasi-env') });
    expect(r.structuredContent?.status).toBe('pending');
    const screen = await term.waitFor((x) => x.includes('wasi-env.wasm'), 20_000, 'the request to show');
    expect(screen).toContain('1 Pending (1)');
    expect(screen).toMatch(/Digest {5}sha256:[0-9a-f]/);
    // A file load cannot ground a trust rule: the keys offer approve once and deny, as the client's form does.
    expect(screen).toContain('a approve once · d deny');
    const rows = screen.replace(/\n$/, '').split('\n');
    expect(rows.length).toBeLessThanOrEqual(24);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    expect(await term.bell()).toBe(true);
  }, 30_000);

  it('a approves: the server announces the tools and they answer', async () => {
    const before = s.listChanged();
    expect(await toolNames()).not.toContain('has_env');
    await term.send('a');
    // Whichever process claims the approved load first carries it out: the UI itself or the server that asked.
    await term.waitFor((x) => /approved once \w+: (loaded wasi-env|the server that asked loaded the component)/.test(x), 20_000, 'the outcome');
    await expect.poll(toolNames, { timeout: 20_000, interval: 100 }).toContain('has_env');
    await expect.poll(() => s.listChanged(), { timeout: 20_000 }).toBeGreaterThan(before);
    expect((await call(s, 'count_env')).structuredContent).toEqual({ result: 0 });
    await term.send('2');
    await term.waitFor((x) => x.includes('Component wasi-env') && x.includes('has_env'), 20_000, 'the components view');
  }, 40_000);

  it('d denies a load_tool request shown with its tools and reason: nothing is loaded, recorded as the UI user', async () => {
    await term.send('1');
    const r = await call(s, 'load_tool', { ref: fixture('spin'), reason: 'the user wants to spin' });
    expect(r.structuredContent?.status).toBe('pending');
    const id = String(r.structuredContent?.request_id);
    await term.waitFor((x) => x.includes('add tool ') && x.includes('spin.wasm'), 20_000, 'the second request');
    await term.send('Enter');
    const details = await term.waitFor((x) => x.includes('Reason'), 20_000, 'the full details');
    expect(details).toContain('Tools it adds (2)');
    expect(details).toMatch(/^ {2}ping: /m);
    expect(details).toContain('Reason     the user wants to spin');
    expect(details).toContain('Signature  unsigned');
    await term.send('d');
    await term.waitFor((x) => x.includes(`denied ${id.slice(0, 8)}`), 20_000, 'the denial');
    const all = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: t.home })).stdout);
    expect(all.requests.find((x: { id: string }) => x.id === id)).toMatchObject({ status: 'denied', decidedBy: 'user (ui)' });
    // The server polls decisions well within a second; give it several before concluding nothing arrived.
    await new Promise((res) => setTimeout(res, 2000));
    expect(await toolNames()).not.toContain('ping');
    const status = await call(s, 'approval_status', { request_id: id });
    expect(JSON.stringify(status.structuredContent)).toContain('denied');
  }, 40_000);

  it('follows a resize and quits with q', async () => {
    await term.resize(60, 15);
    const small = await term.waitFor((x) => x.includes('1 Pending (0)') && x.split('\n').every((row) => row.length <= 60), 20_000, 'the narrow screen');
    expect(small).toContain('No pending requests');
    await term.send('q');
    await term.waitFor((x) => x.includes('[exited 0]'), 20_000, 'the UI to exit');
  }, 30_000);

  it('shows the queue before Ink has loaded, and a key typed then is handled once it runs', async () => {
    await term.respawn([process.execPath, CLI, 'approvals'], {
      env: { ...childEnv(t.home, { WASSETTE_APPROVAL: 'prompt' }), TERM: 'xterm-256color' },
      cwd: ROOT,
    });
    await term.waitFor((x) => x.includes('Pending (0)') && x.includes('starting the keys'), 20_000, 'the pre-paint', 5);
    await term.send('q');
    await term.waitFor((x) => x.includes('[exited 0]'), 20_000, 'the UI to exit on the early q');
  }, 30_000);
});
