// The approvals UI as a whole at 80x24 against plain data: keys move, switch views, open details, filter, and
// decisions and revocations reach the data port with the right arguments; new requests ring the bell once.
import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../ui/app.js';
import { grantRequest, NOW, RecordingData, request, snapshot, toolPayload } from './data.js';
import { lines } from './frame.js';

const running: Array<ReturnType<typeof render>> = [];
afterEach(() => {
  for (const r of running.splice(0)) r.unmount();
});

function start(data = new RecordingData(), size = { columns: 80, rows: 24 }, alreadyShown?: string[]) {
  const bell = vi.fn();
  const r = render(h(App, { data, size, pollMs: 20, bell, now: () => NOW, ...(alreadyShown ? { alreadyShown } : {}) }));
  running.push(r);
  const text = () => lines(r.lastFrame()).join('\n');
  const until = (what: string | RegExp) =>
    vi.waitFor(() => (typeof what === 'string' ? expect(text()).toContain(what) : expect(text()).toMatch(what)), { timeout: 3000, interval: 10 });
  const press = async (keys: string, then: string | RegExp) => {
    r.stdin.write(keys);
    await until(then);
  };
  return { r, data, bell, text, until, press };
}

describe('approvals app', () => {
  it('first frame: tabs with counts, the queue and the first request, inside 80x24', async () => {
    const ui = await start();
    await ui.until('add tool oci://registry.example');
    const frame = lines(ui.r.lastFrame());
    expect(frame[0]).toContain('1 Pending (2)');
    expect(frame[0]).toContain('2 Components (2)');
    expect(frame[0]).toContain('3 Trust rules (1)');
    expect(frame.length).toBeLessThanOrEqual(23);
    for (const l of frame) expect(l.length).toBeLessThanOrEqual(80);
    expect(ui.text()).toContain('a approve once · t approve+trust · d deny');
  });

  it('a approves once, t approves and trusts, d denies: each calls the port with the selected id and shows the outcome', async () => {
    const data = new RecordingData(snapshot({ pending: [request({ id: 'r1' }), request({ id: 'r2' }), request({ id: 'r3' })] }));
    const ui = await start(data);
    await ui.until('Request 1/3');
    await ui.press('a', 'approved once r1: loaded text-tools');
    expect(data.decided).toEqual([{ id: 'r1', choice: 'approve' }]);
    await ui.until('Request 1/2');
    await ui.press('j', 'Request 2/2');
    await ui.press('t', 'approved and trusted r3 (trust rule tr-new1)');
    expect(data.decided.at(-1)).toEqual({ id: 'r3', choice: 'trust' });
    await ui.until('Request 1/1');
    await ui.press('d', 'denied r2');
    expect(data.decided.at(-1)).toEqual({ id: 'r2', choice: 'deny' });
    await ui.until('No pending requests');
    expect(ui.text()).toContain('Decided in this session:');
    expect(data.decided).toHaveLength(3);
  });

  it('a grant is approved always (a) or for this session (s); t says it only trusts loads', async () => {
    const data = new RecordingData(snapshot({ pending: [grantRequest({ id: 'g1' }), grantRequest({ id: 'g2' })] }));
    const ui = await start(data);
    await ui.until('a approve always · s session only · d deny');
    await ui.press('t', 'a grant is approved always (a) or for this session (s)');
    expect(data.decided).toEqual([]);
    await ui.press('s', 'approved for this session g1');
    expect(data.decided).toEqual([{ id: 'g1', choice: 'session' }]);
    await ui.until('Request 1/1');
    await ui.press('a', 'approved always g2');
    expect(data.decided.at(-1)).toEqual({ id: 'g2', choice: 'approve' });
  });

  it('a decision that fails says so and leaves the request listed', async () => {
    const data = new RecordingData();
    data.failNext = new Error('approval request req-tool-0001 is already denied; only pending requests can be decided');
    const ui = await start(data);
    await ui.until('Request 1/2');
    await ui.press('a', 'not decided: approval request req-tool-0001 is already denied');
    expect(ui.text()).toContain('Request 1/2');
  });

  it('enter opens the full details and scrolls them; esc goes back', async () => {
    const ui = await start();
    await ui.until('Request 1/2');
    await ui.press('\r', /Request 1\/2 lines 1-\d+ of \d+/);
    await ui.press('jjj', /Request 1\/2 lines 4-/);
    await ui.press('\x1b[A', /Request 1\/2 lines 3-/);
    await ui.press('\x1b', '── Request 1/2');
  });

  it('scrolling past the end of the details stops there, so one key scrolls back', async () => {
    const ui = await start();
    await ui.until('Request 1/2');
    await ui.press('\r', /Request 1\/2 lines 1-\d+ of \d+/);
    const total = Number(/of (\d+)/.exec(ui.text())?.[1]);
    ui.r.stdin.write('j'.repeat(40));
    await ui.until(new RegExp(`lines \\d+-${total} of ${total}`));
    const last = Number(/lines (\d+)-/.exec(ui.text())?.[1]);
    await ui.press('k', `lines ${last - 1}-${total - 1} of ${total}`);
  });

  it('arrows and j/k move; tab and 1-4 switch views', async () => {
    const ui = await start();
    await ui.until('Request 1/2');
    await ui.press('\x1b[B', 'Request 2/2');
    await ui.press('k', 'Request 1/2');
    await ui.press('\t', 'Component text-tools');
    await ui.press('j', 'Component wasi-env');
    await ui.press('\r', /Component wasi-env.*enter\/esc back/);
    await ui.press('3', 'Trust rule tr-0001');
    await ui.press('4', 'component: all   outcome: all');
    await ui.press('1', 'Request 1/2');
  });

  it('revoking a trust rule asks first: n keeps it, y revokes it', async () => {
    const data = new RecordingData();
    const ui = await start(data);
    await ui.until('Request 1/2');
    await ui.press('3', 'Trust rule tr-0001');
    await ui.press('r', 'Revoke trust rule tr-0001? y/n');
    await ui.press('n', 'kept trust rule tr-0001');
    expect(data.revoked).toEqual([]);
    await ui.press('r', 'Revoke trust rule tr-0001? y/n');
    await ui.press('y', 'revoked trust rule tr-0001');
    expect(data.revoked).toEqual(['tr-0001']);
    await ui.until('No trust rules.');
  });

  it('the audit log filters by component and outcome through the port, and x clears', async () => {
    const data = new RecordingData();
    const ui = await start(data);
    await ui.press('4', 'component: all   outcome: all');
    await ui.press('c', 'component: text-tools   outcome: all');
    expect(data.filters.at(-1)).toEqual({ componentId: 'text-tools' });
    expect(ui.text()).not.toContain('has_env');
    await ui.press('c', 'component: wasi-env   outcome: all');
    await ui.until('has_env');
    await ui.press('o', 'component: wasi-env   outcome: ok');
    expect(data.filters.at(-1)).toEqual({ componentId: 'wasi-env', outcome: 'ok' });
    await ui.until('No audit entries match.');
    await ui.press('x', 'component: all   outcome: all');
    await vi.waitFor(() => expect(data.filters.at(-1)).toEqual({}));
  });

  it('a new request appears on the next poll and rings the bell once; those there at start do not ring', async () => {
    const data = new RecordingData();
    const ui = await start(data);
    await ui.until('Request 1/2');
    await new Promise((r) => setTimeout(r, 100));
    expect(ui.bell).not.toHaveBeenCalled();
    data.current = { ...data.current, pending: [...data.current.pending, request({ id: 'r-new', payload: { ref: 'oci://x/y:1', name: 'late' } })] };
    await ui.until('1 Pending (3)');
    await ui.until('1 new request');
    await new Promise((r) => setTimeout(r, 100));
    expect(ui.bell).toHaveBeenCalledTimes(1);
  });

  it('after a pre-paint, a request that arrived while the UI loaded rings the bell in the first snapshot', async () => {
    const data = new RecordingData();
    const [first, ...later] = data.current.pending.map((r) => r.id);
    const ui = await start(data, undefined, [first as string]);
    await ui.until('Request 1/2');
    await new Promise((r) => setTimeout(r, 100));
    expect(later.length).toBeGreaterThan(0);
    expect(ui.bell).toHaveBeenCalledTimes(later.length);
  });

  it('after a pre-paint showing the whole queue, the status line leaves "Loading…" once the first snapshot is in', async () => {
    const data = new RecordingData();
    const ui = await start(
      data,
      undefined,
      data.current.pending.map((r) => r.id),
    );
    await ui.until('Request 1/2');
    await ui.until('2 pending requests');
    expect(ui.text()).not.toContain('Loading…');
    expect(ui.bell).not.toHaveBeenCalled();
  });

  it('offers t (approve and trust) only for a load that can ground a trust rule, as the client form does', async () => {
    const file = `file:///work/tools/text-tools.wasm`;
    const data = new RecordingData(
      snapshot({
        pending: [
          request({ id: 'r-file', payload: toolPayload({ source: file, subject: { source: file, signature: { status: 'unsigned' }, permissions: [] } }) }),
          request({ id: 'r-oci' }),
        ],
      }),
    );
    const ui = await start(data);
    await ui.until('Request 1/2');
    expect(ui.text()).toContain('a approve once · d deny');
    expect(ui.text()).not.toContain('t approve+trust');
    await ui.press('j', 'Request 2/2');
    await ui.until('a approve once · t approve+trust · d deny');
  });

  it('stays inside a small terminal and follows a size change', async () => {
    const data = new RecordingData();
    const ui = await start(data, { columns: 50, rows: 12 });
    await ui.until('Request 1/2');
    let frame = lines(ui.r.lastFrame());
    expect(frame.length).toBeLessThanOrEqual(11);
    for (const l of frame) expect(l.length).toBeLessThanOrEqual(50);
    ui.r.rerender(h(App, { data, size: { columns: 80, rows: 24 }, pollMs: 20, now: () => NOW }));
    await vi.waitFor(() => expect(lines(ui.r.lastFrame()).length).toBeGreaterThan(15));
    frame = lines(ui.r.lastFrame());
    for (const l of frame) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('q quits: later keys do nothing', async () => {
    const data = new RecordingData();
    const ui = await start(data);
    await ui.until('Request 1/2');
    ui.r.stdin.write('q');
    await new Promise((r) => setTimeout(r, 100));
    ui.r.stdin.write('a');
    await new Promise((r) => setTimeout(r, 100));
    expect(data.decided).toEqual([]);
  });
});
