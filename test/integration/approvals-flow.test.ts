// End to end in prompt mode: an agent's load and grant requests wait for the user, who answers either
// through MCP elicitation in the client or later with `wassette approvals approve|deny <id>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { call, fixture, formChoices, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt', PROBE_VAR: 'visible' };

describe('approvals through elicitation', () => {
  const t = tempHome();
  let s: McpSession;
  const asked: string[] = [];
  let approve = true;
  const forms: string[][] = [];
  const answer = (message: string, schema: Record<string, unknown>): ElicitResult => {
    asked.push(message);
    const choices = formChoices(schema);
    forms.push(choices);
    // A load is approved once; a grant always (persisted).
    return approve ? { action: 'accept', content: { decision: choices.includes('always') ? 'always' : 'approve_once' } } : { action: 'decline' };
  };

  beforeAll(async () => {
    s = await startStdioSession({ home: t.home, env: PROMPT, elicit: answer });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('loads a component once the user accepts in the client', async () => {
    const r = await call(s, 'load_component', { path: fixture('wasi-env') });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent?.tools).toContain('has_env');
    expect(asked.at(-1)).toMatch(/asks to load the component .*wasi-env/s);
    expect(asked.at(-1)).toContain('digest sha256:');
    // A file source can never ground a trust rule, so the form does not offer "approve and trust".
    expect(forms.at(-1)).toEqual(['approve_once', 'deny']);
  }, 20_000);

  it('a declined grant stays denied; an accepted one is in effect on the next call', async () => {
    approve = false;
    const denied = await call(s, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'PROBE_VAR' } });
    expect(denied.structuredContent?.status).toBe('denied');
    expect(asked.at(-1)).toContain('environment variable PROBE_VAR');
    expect((await call(s, 'has_env', { key: 'PROBE_VAR' })).structuredContent).toEqual({ result: false });

    approve = true;
    const granted = await call(s, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'PROBE_VAR' } });
    expect(granted.structuredContent?.status).toBe('granted');
    expect(forms.at(-1)).toEqual(['session', 'always', 'deny']);
    expect((await call(s, 'has_env', { key: 'PROBE_VAR' })).structuredContent).toEqual({ result: true });

    const list = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: t.home })).stdout);
    expect(list.requests.map((r: { status: string }) => r.status)).toEqual(['approved', 'denied', 'approved']);
    expect(list.requests.every((r: { decidedBy: string }) => r.decidedBy === 'user (elicitation)')).toBe(true);
  }, 20_000);

  it('never asks for revoke or reset: they only take rights away', async () => {
    const before = asked.length;
    expect(
      (await call(s, 'revoke_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'PROBE_VAR' } })).structuredContent?.status,
    ).toBe('revoked');
    expect((await call(s, 'reset_permission', { component_id: 'wasi-env' })).structuredContent?.status).toBe('reset');
    expect(asked.length).toBe(before);
    expect((await call(s, 'has_env', { key: 'PROBE_VAR' })).structuredContent).toEqual({ result: false });
  }, 20_000);
});

describe('approvals from the CLI when the client cannot elicit', () => {
  const t = tempHome();
  let s: McpSession;
  const cli = async (...args: string[]) => {
    const r = await runCli(args, { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(async () => {
    s = await startStdioSession({ home: t.home, env: PROMPT });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it('a pending load finishes after `wassette approvals approve` and announces the new tools', async () => {
    const r = await call(s, 'load_component', { path: fixture('wasi-env') });
    expect(r.structuredContent?.status).toBe('pending');
    const id = String(r.structuredContent?.request_id);
    expect(text(r)).toContain(`wassette approvals approve ${id}`);
    expect((await s.client.listTools()).tools.some((x) => x.name === 'has_env')).toBe(false);

    const pending = JSON.parse(await cli('approvals', 'list', '--json'));
    expect(pending.requests).toEqual([expect.objectContaining({ id, kind: 'load_component', status: 'pending' })]);
    expect(pending.requests[0].description).toContain('wasi-env');
    expect(await cli('approvals')).toContain(id);

    const changedBefore = s.listChanged();
    const approved = JSON.parse(await cli('approvals', 'approve', id, '--json'));
    expect(approved.status).toBe('approved');
    await expect.poll(async () => (await s.client.listTools()).tools.map((x) => x.name), { timeout: 5000 }).toContain('has_env');
    expect(s.listChanged()).toBeGreaterThan(changedBefore);
    expect((await call(s, 'count_env')).structuredContent).toEqual({ result: 0 });
  }, 30_000);

  it('a pending grant takes effect on the next call after approval from the CLI', async () => {
    const r = await call(s, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'PROBE_VAR' } });
    expect(r.structuredContent?.status).toBe('pending');
    expect((await call(s, 'has_env', { key: 'PROBE_VAR' })).structuredContent).toEqual({ result: false });
    const out = await cli('approvals', 'approve', String(r.structuredContent?.request_id));
    expect(out).toContain('approved');
    expect((await call(s, 'has_env', { key: 'PROBE_VAR' })).structuredContent).toEqual({ result: true });
    const policy = await call(s, 'get_policy', { component_id: 'wasi-env' });
    expect(policy.structuredContent?.grants).toEqual([{ kind: 'environment', key: 'PROBE_VAR' }]);
  }, 20_000);

  it('a grant denied from the CLI never takes effect, and deciding twice is refused', async () => {
    const r = await call(s, 'grant_network_permission', { component_id: 'wasi-env', details: { host: 'api.example.com' } });
    expect(r.structuredContent?.status).toBe('pending');
    const id = String(r.structuredContent?.request_id);
    expect(await cli('approvals', 'deny', id)).toContain('denied');
    const again = await runCli(['approvals', 'approve', id], { home: t.home });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already denied');
    const policy = await call(s, 'get_policy', { component_id: 'wasi-env' });
    expect(policy.structuredContent?.policy_yaml).not.toContain('api.example.com');
    expect(JSON.parse(await cli('approvals', 'list', '--json')).requests).toEqual([]);
  }, 20_000);

  it('the CLI user grants directly, without a request', async () => {
    await cli('permission', 'grant', 'network', 'wasi-env', 'api.example.com');
    const policy = JSON.parse(await cli('policy', 'get', 'wasi-env', '--json'));
    expect(policy.grants).toContainEqual({ kind: 'network', host: 'api.example.com' });
    expect(policy.policy_yaml).toContain('host: api.example.com');
    expect(JSON.parse(await cli('approvals', 'list', '--json')).requests).toEqual([]);
    const audit = JSON.parse(await cli('audit', '--json', '--component', 'wasi-env'));
    expect(audit.entries.map((e: { outcome: string }) => e.outcome)).toEqual(expect.arrayContaining(['pending', 'granted', 'ok']));
  }, 20_000);
});
