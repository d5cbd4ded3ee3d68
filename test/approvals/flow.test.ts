// The one approval flow: answered in place, declined, left pending and carried out later (decided by another
// connection, as the CLI or UI would), or expired; `apply` runs only for an approval.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seekApproval } from '../../src/approvals/flow.js';
import { decideRequest } from '../../src/approvals/decide.js';
import { openStore, type Store } from '../../src/store/db.js';

let home: string;
let store: Store;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-flow-'));
  store = openStore(home);
});
afterEach(() => {
  store.close();
  rmSync(home, { recursive: true, force: true });
});

const request = (kind: 'grant' | 'load_component' = 'grant') =>
  store.approvals.create({ kind, componentId: 'c1', payload: { kind: 'network', host: 'a.com' }, requestedBy: 'agent' });

function flow(requestId: string, elicit?: (m: string) => Promise<{ action: string; content?: Record<string, unknown> }>) {
  const apply = vi.fn(async () => 'done');
  const errors: string[] = [];
  const run = seekApproval({
    approvals: store.approvals,
    requestId,
    message: 'give c1 a.com',
    elicit: elicit as never,
    form: 'grant' as const,
    apply,
    onBackgroundError: (m) => errors.push(m),
    watchMs: 3000,
  });
  return { run, apply, errors };
}

describe('seekApproval', () => {
  it('an accepted elicitation approves, records the decision and applies once', async () => {
    const r = request();
    const f = flow(r.id, async () => ({ action: 'accept', content: { decision: 'always' } }));
    expect(await f.run).toEqual({ status: 'approved', value: 'done' });
    expect(f.apply).toHaveBeenCalledTimes(1);
    expect(f.apply).toHaveBeenCalledWith('always');
    expect(store.approvals.get(r.id)).toMatchObject({ status: 'approved', decidedBy: 'user (elicitation)', scope: 'always' });
  });

  it('"for this session" approves with the session scope; the audit log names who decided and how far', async () => {
    const r = request();
    const f = flow(r.id, async () => ({ action: 'accept', content: { decision: 'session' } }));
    await f.run;
    expect(f.apply).toHaveBeenCalledWith('session');
    const entry = store.audit.query({ outcome: 'approved' })[0];
    expect(entry).toMatchObject({ componentId: 'c1', capability: 'approval:grant' });
    expect(entry?.detail).toContain('by user (elicitation), session');
  });

  it.each([
    ['declined', { action: 'decline' }],
    ['accepted with deny', { action: 'accept', content: { decision: 'deny' } }],
    ['accepted with a choice the form did not offer', { action: 'accept', content: { decision: 'approve_and_trust' } }],
    ['accepted with the old boolean shape', { action: 'accept', content: { approve: true } }],
    ['cancelled', { action: 'cancel' }],
  ])('%s: denied, nothing applied', async (_, answer) => {
    const r = request();
    const f = flow(r.id, async () => answer);
    expect(await f.run).toEqual({ status: 'denied', requestId: r.id });
    expect(f.apply).not.toHaveBeenCalled();
    expect(store.approvals.get(r.id)?.status).toBe('denied');
  });

  it('without elicitation it stays pending and is applied once another process approves', async () => {
    const r = request();
    const f = flow(r.id);
    expect(await f.run).toEqual({ status: 'pending', requestId: r.id });
    expect(f.apply).not.toHaveBeenCalled();
    const cli = openStore(home);
    cli.approvals.decide(r.id, 'approved', 'user (cli)');
    cli.close();
    await vi.waitFor(() => expect(f.apply).toHaveBeenCalledTimes(1), { timeout: 2000, interval: 20 });
  });

  it('a client that fails to answer leaves it pending; a denial from the CLI applies nothing', async () => {
    const r = request();
    const f = flow(r.id, async () => {
      throw new Error('client went away');
    });
    expect((await f.run).status).toBe('pending');
    store.approvals.decide(r.id, 'denied', 'user (cli)');
    await new Promise((res) => setTimeout(res, 400));
    expect(f.apply).not.toHaveBeenCalled();
  });

  it('a failure while applying in the background is reported, not thrown', async () => {
    const r = request();
    const errors: string[] = [];
    const failing = seekApproval({
      approvals: store.approvals,
      requestId: r.id,
      form: 'grant',
      message: 'm',
      apply: async () => {
        throw new Error('component unloaded meanwhile');
      },
      onBackgroundError: (m) => errors.push(m),
    });
    expect((await failing).status).toBe('pending');
    store.approvals.decide(r.id, 'approved');
    await vi.waitFor(() => expect(errors.join()).toMatch(/component unloaded meanwhile/), { timeout: 2000, interval: 20 });
  });
});

describe('decideRequest', () => {
  const target = () => ({
    approvals: store.approvals,
    completeLoad: vi.fn(async () => ({ id: 'c1', tools: ['a', 'b'] })),
    applyGrant: vi.fn(),
    trust: vi.fn(() => ({ id: 'tr-1' }) as never),
    checkTrustable: vi.fn(),
  });

  it('an approved grant is applied here', async () => {
    const r = request('grant');
    const t = target();
    const out = await decideRequest(t, r.id, true, 'user (ui)');
    expect(out).toMatchObject({ applied: true, request: { status: 'approved', decidedBy: 'user (ui)' } });
    expect(t.applyGrant).toHaveBeenCalledWith(r.id);
    expect(t.completeLoad).not.toHaveBeenCalled();
  });

  it('an approved load is completed here and says what it loaded', async () => {
    const r = request('load_component');
    const t = target();
    const out = await decideRequest(t, r.id, true, 'user (cli)');
    expect(out).toMatchObject({ applied: true, note: 'loaded c1: a, b' });
  });

  it('a denial carries nothing out; a failure to carry out keeps the decision and says why', async () => {
    const t = target();
    const denied = await decideRequest(t, request('grant').id, false, 'user (cli)');
    expect(denied).toMatchObject({ applied: false, request: { status: 'denied' } });
    expect(t.applyGrant).not.toHaveBeenCalled();
    t.applyGrant.mockImplementation(() => {
      throw new Error('no such component');
    });
    const r = request('grant');
    const failed = await decideRequest(t, r.id, true, 'user (cli)');
    expect(failed).toMatchObject({ applied: false, note: 'approved, but the grant could not be applied: no such component' });
    expect(store.approvals.get(r.id)?.status).toBe('approved');
  });

  it('--trust stores a rule for a load and refuses a grant; --session is refused for a load', async () => {
    const t = target();
    const load = request('load_component');
    const out = await decideRequest(t, load.id, true, 'user (ui)', { trust: true });
    expect(out.rule).toEqual({ id: 'tr-1' });
    expect(out.request.scope).toBe('trust');
    expect(t.checkTrustable).toHaveBeenCalledTimes(1);
    await expect(decideRequest(t, request('grant').id, true, 'user (cli)', { trust: true })).rejects.toThrow(/--trust applies to loads/);
    const other = request('load_component');
    await expect(decideRequest(t, other.id, true, 'user (cli)', { scope: 'session' })).rejects.toThrow(/applies to grants/);
    expect(store.approvals.get(other.id)?.status).toBe('pending');
  });

  it('a load that cannot ground a rule is refused before anything is decided', async () => {
    const t = target();
    t.checkTrustable.mockImplementation(() => {
      throw new Error('cannot ground a trust rule');
    });
    const r = request('load_component');
    await expect(decideRequest(t, r.id, true, 'user (cli)', { trust: true })).rejects.toThrow(/cannot ground/);
    expect(store.approvals.get(r.id)?.status).toBe('pending');
    expect(t.trust).not.toHaveBeenCalled();
  });

  it('deciding twice is refused', async () => {
    const t = target();
    const r = request('grant');
    await decideRequest(t, r.id, false, 'user (cli)');
    await expect(decideRequest(t, r.id, true, 'user (cli)')).rejects.toThrow();
  });
});
