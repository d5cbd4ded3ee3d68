// The approvals UI's data adapter against the real core on a temp WASSETTE_HOME: a "server" core asks in prompt
// mode, the UI's own core (a second connection to the same SQLite store) lists, decides and revokes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openWassette, type Wassette } from '../../src/core/wassette.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/db.js';
import { createUiData, DECIDED_BY, signatureLine } from '../../ui/adapter.js';
import type { UiData } from '../../ui/types.js';
import { fixture, tempHome } from '../helpers/cli.js';

const t = tempHome('wassette-ui-adapter-');
let server: Wassette;
let uiCore: Wassette;
let store: Store;
let data: UiData;

beforeAll(async () => {
  const config = loadConfig({ WASSETTE_HOME: t.home, WASSETTE_APPROVAL: 'prompt' });
  server = await openWassette(config, silentLogger, { warmOnLoad: false });
  uiCore = await openWassette(config, silentLogger, { warmOnLoad: false, restore: false });
  store = openStore(t.home);
  data = createUiData(uiCore);
}, 60_000);

afterAll(async () => {
  store?.close();
  await uiCore?.close();
  await server?.close();
  t.cleanup();
});

async function pendingLoad(name: string): Promise<string> {
  const r = await server.requestLoad(fixture(name));
  expect(r.status).toBe('pending');
  return (r as { request_id: string }).request_id;
}

describe('approvals UI adapter on a real store', () => {
  it('sees a request another core made, approves it once, and the component is loaded for that core too', async () => {
    const id = await pendingLoad('wasi-env');
    const before = await data.snapshot({});
    expect(before.pending.map((r) => [r.id, r.kind, r.status])).toEqual([[id, 'load_component', 'pending']]);
    expect(JSON.stringify(before.pending[0]?.payload)).toContain('wasi-env.wasm');

    const out = await data.decide(id, 'approve');
    expect(out).toMatchObject({ requestId: id, choice: 'approve', status: 'approved', scope: 'once', applied: true });
    expect(out.note).toMatch(/^loaded wasi-env: .*has_env/);
    expect(store.approvals.get(id)?.decidedBy).toBe(DECIDED_BY);

    const after = await data.snapshot({});
    expect(after.pending).toEqual([]);
    const c = after.components.find((x) => x.id === 'wasi-env');
    expect(c?.tools).toContain('has_env');
    expect(c?.signature).toBe('unsigned');
    expect(c?.grants).toEqual([]);
    expect((await server.tools()).map((x) => x.name)).toContain('has_env');
  }, 30_000);

  it('a denied load loads nothing anywhere', async () => {
    const id = await pendingLoad('spin');
    const out = await data.decide(id, 'deny');
    expect(out).toMatchObject({ requestId: id, status: 'denied', applied: false });
    expect(store.approvals.get(id)?.decidedBy).toBe(DECIDED_BY);
    expect((await data.snapshot({})).components.map((c) => c.id)).not.toContain('spin');
    expect((await server.tools()).map((x) => x.name)).not.toContain('ping');
    await expect(data.decide(id, 'approve')).rejects.toThrow(/already denied/);
  }, 30_000);

  it('an approved grant shows on the component, and the audit log filters by component and outcome', async () => {
    const asked = await server.permissions.request('wasi-env', 'environment', { key: 'PROBE_VAR' });
    expect(asked.status).toBe('pending');
    const id = (asked as { request_id: string }).request_id;
    const pending = (await data.snapshot({})).pending;
    expect(pending.map((r) => [r.id, r.kind, r.componentId])).toEqual([[id, 'grant', 'wasi-env']]);
    expect(await data.decide(id, 'approve')).toMatchObject({ status: 'approved', scope: 'always', applied: true });
    const s = await data.snapshot({ componentId: 'wasi-env' });
    expect(s.components.find((c) => c.id === 'wasi-env')?.grants).toEqual(['environment variable PROBE_VAR']);
    expect(s.components.find((c) => c.id === 'wasi-env')?.policyYaml).toContain('PROBE_VAR');
    expect(s.audit.length).toBeGreaterThan(0);
    expect(s.audit.every((e) => e.componentId === 'wasi-env')).toBe(true);
    const granted = await data.snapshot({ componentId: 'wasi-env', outcome: 'granted' });
    expect(granted.audit.map((e) => [e.outcome, e.target ?? e.detail])).toEqual([['granted', expect.stringContaining('PROBE_VAR')]]);
    expect((await data.snapshot({ componentId: 'nobody' })).audit).toEqual([]);
  }, 30_000);

  it('approve and trust is refused for a file source, deciding nothing', async () => {
    const id = await pendingLoad('spin');
    await expect(data.decide(id, 'trust')).rejects.toThrow(/cannot ground a trust rule/);
    expect(store.approvals.get(id)?.status).toBe('pending');
    expect(await data.decide(id, 'deny')).toMatchObject({ status: 'denied' });
  }, 30_000);

  it('lists trust rules and revokes one, audited as the UI user', async () => {
    const rule = server.trust.add({ place: 'oci://registry.example:5000/acme', signer: 'sha256:feedbeef', maxPermissions: [] }, 'user (cli)');
    expect((await data.snapshot({})).trust.map((r) => r.id)).toEqual([rule.id]);
    expect(await data.revokeTrust(rule.id)).toBe(`revoked trust rule ${rule.id} (oci://registry.example:5000/acme)`);
    expect((await data.snapshot({})).trust).toEqual([]);
    const audit = (await data.snapshot({ outcome: 'untrusted' })).audit;
    expect(audit.map((e) => e.detail)).toEqual([`rule ${rule.id} revoked by ${DECIDED_BY}`]);
    await expect(data.revokeTrust(rule.id)).rejects.toThrow(/no trust rule/);
  });

  it('answers from the store while the core starts, then from the core; a core that fails to start is reported', async () => {
    const asked = await server.permissions.request('wasi-env', 'network', { host: 'early.example' });
    const id = (asked as { request_id: string }).request_id;
    let resolve!: (w: Wassette) => void;
    const early = createUiData(new Promise<Wassette>((res) => (resolve = res)), { early: store });
    const first = await early.snapshot({});
    expect(first.starting).toBe(true);
    expect(first.pending.map((r) => r.id)).toEqual([id]);
    expect(first.components).toEqual([]);
    const deciding = early.decide(id, 'deny');
    resolve(uiCore);
    expect(await deciding).toMatchObject({ requestId: id, status: 'denied' });
    const later = await early.snapshot({});
    expect(later.starting).toBeUndefined();
    expect(later.components.map((c) => c.id)).toContain('wasi-env');
    const broken = createUiData(Promise.reject(new Error('cannot open the state database')), { early: store });
    await new Promise((r) => setTimeout(r, 0));
    await expect(broken.snapshot({})).rejects.toThrow(/cannot open the state database/);
  }, 30_000);

  it('describes signatures in one line', () => {
    expect(signatureLine(undefined)).toBe('unsigned');
    expect(signatureLine({ status: 'verified', method: 'cosign', signer: 'sha256:ab' })).toBe('verified (cosign) by sha256:ab');
    expect(signatureLine({ status: 'failed', reason: 'bad signature' })).toBe('FAILED: bad signature');
  });
});
