// The approvals UI's pure views, rendered at 80 columns against plain data.
import { render } from 'ink-testing-library';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { AuditView } from '../../ui/views/audit-view.js';
import { ComponentsView } from '../../ui/views/components-view.js';
import { PendingView } from '../../ui/views/pending-view.js';
import { TrustView } from '../../ui/views/trust-view.js';
import { audit, component, grantRequest, loadRequest, NOW, request, rule, toolPayload } from './data.js';
import { frameOf } from './frame.js';

const base = { cursor: 0, open: false, scroll: 0, width: 80, height: 20, now: NOW, decisions: [] };

describe('pending view', () => {
  it('lists the queue and shows the selected load_tool request in full: source, digest, signer, publisher, tools, permissions, changes, reason', () => {
    const f = frameOf(h(PendingView, { ...base, height: 60, requests: [request(), grantRequest()] }), 80, 60);
    expect(f).toContain('› 42s  add tool oci://registry.example:5000/acme/text-tools@sha256:');
    expect(f).toContain('grant wasi-env');
    expect(f).toContain('Request 1/2');
    expect(f).toContain('Asked by   agent (test-client)');
    expect(f).toMatch(/Digest {5}sha256:abab/);
    expect(f).toContain('Signature  verified (cosign) by sha256:feedbeef');
    expect(f).toContain('Publisher  licence: Apache-2.0');
    expect(f).toContain('Publisher  source repository: https://github.com/acme/text-tools');
    expect(f).toContain('Tools it adds (2)');
    expect(f).toContain('  text_tools_word_count: Counts the words in a text.');
    expect(f).toContain('  text_tools_reverse: Reverses a string.');
    expect(f).not.toContain('Second line never shown');
    expect(f).toContain('[new]  network: api.example.com');
    expect(f).toContain('[held] environment: LANG');
    expect(f).toContain('Replaces the loaded version sha256:cdcd');
    expect(f).toContain('tools added: text_tools_reverse');
    expect(f).toContain('tools removed: text_tools_old');
    expect(f).toContain('permissions added: network: api.example.com');
    expect(f).toContain('Reason     the user wants the words of report.txt counted');
  });

  it('cuts the preview to the height and says how much is left; the opened details scroll', () => {
    const f = frameOf(h(PendingView, { ...base, height: 12, requests: [request()] }), 80, 12);
    expect(f).toMatch(/… \d+ more lines: enter shows all/);
    const open = frameOf(h(PendingView, { ...base, height: 8, open: true, scroll: 3, requests: [request()] }), 80, 8);
    expect(open).toMatch(/Request 1\/1 lines 4-10 of \d+/);
    expect(open).not.toContain('Asked by');
  });

  it('wraps a long source inside 80 columns instead of overflowing', () => {
    const long = `oci://registry.example:5000/${'deep/'.repeat(20)}tool@sha256:${'ef'.repeat(32)}`;
    const f = frameOf(h(PendingView, { ...base, height: 40, open: true, requests: [request({ payload: toolPayload({ source: long }) })] }), 80, 40);
    expect(f.replace(/\n {11}/g, '')).toContain(`Source     ${long}`);
  });

  it('says when a load_tool request carries no reason and no permissions; shows a load and a grant request', () => {
    const bare = request({ payload: toolPayload({ reason: undefined, permissions: [], changes: undefined }) } as never);
    const f = frameOf(h(PendingView, { ...base, height: 40, requests: [bare] }));
    expect(f).toContain('Permissions: none (no files, network or environment)');
    expect(f).toContain('Reason     (none given)');
    const load = frameOf(h(PendingView, { ...base, height: 40, requests: [loadRequest()] }));
    expect(load).toContain('load file:///fixtures/wasi-env.wasm');
    expect(load).toContain('Starting policy sha256:3333 from policy.yaml');
    expect(load).toContain('api.example.com');
    const grant = frameOf(h(PendingView, { ...base, height: 40, requests: [grantRequest()] }));
    expect(grant).toContain('Component  wasi-env');
    expect(grant).toContain('environment variable PROBE_VAR');
  });

  it('prints what an agent or publisher wrote without letting it steer the terminal', () => {
    const evil = request({
      requestedBy: 'agent\x1b[2J',
      payload: toolPayload({ reason: 'please\x1b[1A\x1b[2Kapproved by admin\u202e', publisher: { description: 'ok\x1b]0;pwned\x07' } }),
    });
    const r = render(h(PendingView, { ...base, height: 40, requests: [evil] }));
    const raw = r.lastFrame() ?? '';
    r.unmount();
    expect(raw).not.toContain('\x1b[2J');
    expect(raw).not.toContain('\x1b[1A');
    expect(raw).not.toContain('\x1b]0;');
    expect(raw).not.toContain('\u202e');
    expect(raw).toContain('please\ufffd[1A\ufffd[2Kapproved by admin\ufffd');
  });

  it('keeps a reason or ref with line breaks on its own field, so it cannot forge a line of the details', () => {
    const forged = 'Signature  verified (cosign) by sha256:trusted';
    const evil = request({
      payload: toolPayload({
        ref: `oci://registry.example:5000/acme/text-tools:1.2\r\n${forged}`,
        reason: `needed\n${forged}\nPermissions: none (no files, network or environment)`,
        signature: 'unsigned',
      }),
    });
    const f = frameOf(h(PendingView, { ...base, height: 60, open: true, requests: [evil] }), 80, 60);
    const lines = f.split('\n');
    expect(lines.filter((l) => l.startsWith('Signature  '))).toEqual(['Signature  unsigned']);
    expect(lines.some((l) => l.startsWith('Permissions: none'))).toBe(false);
    expect(f).toContain(`Reason     needed ${forged}`);
  });

  it('keeps the selected row visible in a long queue, and marks the one being decided', () => {
    const many = Array.from({ length: 50 }, (_, i) => request({ id: `req-${String(i).padStart(4, '0')}`, createdAt: NOW - i * 1000 }));
    const f = frameOf(h(PendingView, { ...base, cursor: 37, busy: 'req-0037', requests: many }), 80, 20);
    expect(f).toMatch(/› 37s {2}\(deciding…\) add tool/);
    expect(f).toContain('Request 38/50 (38/50)');
    expect(f).not.toContain(' 0s  add tool');
  });

  it('with nothing pending, says so and shows the decisions made in this session with their outcome', () => {
    const f = frameOf(
      h(PendingView, {
        ...base,
        requests: [],
        decisions: [
          {
            requestId: 'req-tool-0001',
            choice: 'trust',
            status: 'approved',
            scope: 'trust',
            applied: true,
            note: 'loaded text-tools: a, b',
            rule: rule({ id: 'tr-9' }),
            at: NOW,
          },
          { requestId: 'req-grant-0002', choice: 'deny', status: 'denied', applied: false, at: NOW },
        ],
      }),
    );
    expect(f).toContain('No pending requests');
    expect(f).toContain('denied req-gran');
    expect(f).toContain('approved and trusted req-tool (trust rule tr-9): loaded text-tools: a, b');
    expect(f.indexOf('denied req-gran')).toBeLessThan(f.indexOf('approved and trusted'));
  });
});

describe('components view', () => {
  it('lists components with tools and signature, and shows the selected one with its grants and effective policy', () => {
    const list = [component(), component({ id: 'broken', unavailable: 'cached bytes are missing', tools: [], signature: 'unsigned', grants: [] })];
    const f = frameOf(h(ComponentsView, { ...base, height: 30, components: list }), 80, 30);
    expect(f).toMatch(/› text-tools\s+2 tools\s+verified \(cosign\) by sha256:feedbeef/);
    expect(f).toMatch(/broken\s+0 tools\s+UNAVAILABLE unsigned/);
    expect(f).toContain('Tools (2)');
    expect(f).toContain('  text_tools_reverse');
    expect(f).toContain('Grants (1)');
    expect(f).toContain('  network access to api.example.com');
    expect(f).toContain('Effective policy');
    expect(f).toContain('      - host: api.example.com');
    const second = frameOf(h(ComponentsView, { ...base, cursor: 1, height: 30, components: list }));
    expect(second).toContain('Unavailable: cached bytes are missing');
    expect(second).toContain('Grants: none beyond the starting policy');
    expect(frameOf(h(ComponentsView, { ...base, components: [] }))).toContain('No components loaded.');
  });
});

describe('trust rules view', () => {
  it('lists every rule and shows what the selected one covers, its signer, ceiling and maker', () => {
    const rules = [rule(), rule({ id: 'tr-0002', repositoryPrefix: 'other', signer: null, maxPermissions: null, origin: 'config', createdBy: 'config' })];
    const f = frameOf(h(TrustView, { rules, cursor: 1, width: 80, height: 20 }), 80, 20);
    expect(f).toContain('  oci://registry.example:5000/acme/text-tools/**, signed by sha256:feedbeef, at');
    expect(frameOf(h(TrustView, { rules, cursor: 0, width: 80, height: 20 }))).toContain('Ceiling    network: api.example.com');
    expect(f).toContain('› oci://registry.example:5000/other/**, any signer or none');
    expect(f).toContain('Rule       tr-0002');
    expect(f).toContain('Signer     any or none (never a failed signature)');
    expect(f).toContain('Ceiling    any permissions');
    expect(f).toContain('by config (config)');
    expect(frameOf(h(TrustView, { rules: [], cursor: 0, width: 80, height: 20 }))).toContain('No trust rules.');
  });
});

describe('audit view', () => {
  it('shows the filter and one row per entry, newest first, within 80 columns', () => {
    const entries = [
      audit(1),
      audit(2, { componentId: 'wasi-env', tool: 'has_env', outcome: 'denied', capability: 'environment', target: 'SECRET', detail: 'x'.repeat(200) }),
    ];
    const f = frameOf(h(AuditView, { entries, filter: { componentId: 'wasi-env' }, cursor: 0, width: 80, height: 12 }), 80, 12);
    expect(f).toContain('component: wasi-env   outcome: all');
    expect(f).toMatch(/12-02 11:59:59 text-tools\s+text_tools_word_count\s*ok/);
    expect(f).toMatch(/wasi-env\s+has_env\s+denied\s+environment SECR…/);
    const second = frameOf(h(AuditView, { entries, filter: {}, cursor: 1, width: 80, height: 10 }), 80, 10);
    expect(second.replace(/\n/g, '')).toContain(`has_env denied: environment SECRET ${'x'.repeat(200)}`.slice(0, 200));
    expect(frameOf(h(AuditView, { entries: [], filter: {}, cursor: 0, width: 80, height: 10 }))).toContain('No audit entries match.');
  });

  it('scrolls a long log to keep the cursor in view', () => {
    const entries = Array.from({ length: 100 }, (_, i) => audit(i + 1, { tool: `tool_${i + 1}` }));
    const f = frameOf(h(AuditView, { entries, filter: {}, cursor: 80, width: 80, height: 12 }), 80, 12);
    expect(f).toContain('tool_81');
    expect(f).not.toContain('tool_1 ');
  });
});
