// load_tool of a new digest from the source of a loaded component is an upgrade: the request says what changes
// against the loaded version (tools added or removed, permissions added), and approving it replaces that version
// under the same component id, whether the user approves in the client's form or from the CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };
let reg: RunningRegistry;
const work = tempHome('wassette-upgrade-work-');
const refs: Record<string, string> = {};

async function publish(name: string, file: string, tag: string, policy?: string): Promise<void> {
  const ref = `oci://${reg.registry}/acme/tools:${tag}`;
  const args = ['publish', fixture(file), ref];
  if (policy) {
    const p = join(work.home, `${name}.policy.yaml`);
    writeFileSync(p, policy);
    args.push('--policy', p);
  }
  const pub = await runCli(args, { home: work.home });
  expect(pub.code, pub.stderr).toBe(0);
  refs[name] = ref;
  // The first line is the artifact pinned by its manifest digest (what search_tools offers as `ref`).
  refs[`${name}@`] = pub.stdout.split('\n')[0] ?? '';
}

const ENV_HOME = 'version: "1.0"\npermissions:\n  environment:\n    allow:\n      - key: HOME\n';

beforeAll(async () => {
  reg = await startRegistry();
  await publish('v1', 'docs', '1');
  // The same component bytes with a starting policy: same tools, one permission more.
  await publish('v1env', 'docs', '1-env', ENV_HOME);
  await publish('v2', 'wasi-env', '2', ENV_HOME);
}, 120_000);

afterAll(async () => {
  await destroyRegistry(reg);
  work.cleanup();
});

async function components(s: McpSession): Promise<Array<{ id: string; source: string; tools: string[] }>> {
  return (await call(s, 'list_components')).structuredContent?.components;
}

async function toolNames(s: McpSession): Promise<string[]> {
  return (await s.client.listTools()).tools.map((t) => t.name);
}

describe('a new digest of a loaded source, approved in the form', () => {
  const h = tempHome('wassette-upgrade-');
  let s: McpSession;
  const asked: string[] = [];
  beforeAll(async () => {
    s = await startStdioSession({
      home: h.home,
      env: PROMPT,
      elicit: (message): ElicitResult => {
        asked.push(message);
        return { action: 'accept', content: { decision: 'approve_once' } };
      },
    });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    h.cleanup();
  });

  it('same tools under the same names, one permission added: said so, and approving replaces the loaded version', async () => {
    const first = await call(s, 'load_tool', { ref: refs.v1 });
    expect(first.structuredContent, text(first)).toMatchObject({ status: 'loaded', component_id: 'tools' });
    const tools = first.structuredContent?.tools as string[];
    // The same artifact named by its digest instead of its tag is what is loaded already: no question.
    expect(refs['v1@']).toMatch(/^oci:\/\/.*@sha256:[0-9a-f]{64}$/);
    const again = await call(s, 'load_tool', { ref: refs['v1@'] });
    expect(again.structuredContent, text(again)).toMatchObject({ status: 'loaded', component_id: 'tools', tools, already_loaded: true });
    expect(asked).toHaveLength(1);
    const next = await call(s, 'load_tool', { ref: refs.v1env });
    expect(next.structuredContent, text(next)).toMatchObject({ status: 'loaded', component_id: 'tools', tools });
    expect(asked[1]).toContain('permissions added: environment HOME');
    expect(asked[1]).not.toMatch(/tools (added|removed)/);
    const list = await components(s);
    expect(list).toHaveLength(1);
    expect(list[0]?.source).toContain(':1-env@');
  }, 60_000);

  it('other tools: the old ones are gone from tools/list once approved', async () => {
    const r = await call(s, 'load_tool', { ref: refs.v2 });
    expect(r.structuredContent, text(r)).toMatchObject({ status: 'loaded', component_id: 'tools', tools: ['count_env', 'has_env'] });
    expect(asked[2]).toMatch(/tools removed: hello, api_run/);
    const names = await toolNames(s);
    expect(names).toContain('has_env');
    expect(names).not.toContain('hello');
    expect(await components(s)).toHaveLength(1);
  }, 60_000);
});

describe('a new digest of a loaded source, approved from the CLI', () => {
  it('the server that asked drops the old version and serves the new one under the same id', async () => {
    const h = tempHome('wassette-upgrade-cli-');
    const s = await startStdioSession({ home: h.home, env: PROMPT });
    try {
      const approve = async (ref: string): Promise<void> => {
        const r = await call(s, 'load_tool', { ref });
        expect(r.structuredContent?.status, text(r)).toBe('pending');
        const ok = await runCli(['approvals', 'approve', r.structuredContent?.request_id], { home: h.home, env: PROMPT });
        expect(ok.code, ok.stderr).toBe(0);
      };
      await approve(refs.v1 as string);
      // Asked for the version loaded now: it must not stay answerable for the code that replaces it.
      const grant = await call(s, 'grant_environment_variable_permission', { component_id: 'tools', details: { key: 'PATH' } });
      expect(grant.structuredContent?.status, text(grant)).toBe('pending');
      await approve(refs.v2 as string);
      const all = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: h.home, env: PROMPT })).stdout).requests;
      expect(all.find((r: { id: string }) => r.id === grant.structuredContent?.request_id)?.status).toBe('expired');
      let names: string[] = [];
      for (let i = 0; i < 20 && !(names.includes('has_env') && !names.includes('hello')); i++) {
        await sleep(100);
        names = await toolNames(s);
      }
      expect(names).toContain('has_env');
      expect(names).not.toContain('hello');
      const list = await components(s);
      expect(list.map((c) => c.id)).toEqual(['tools']);
      // Both load decisions are filed under the component, so the log filtered by it shows who approved them.
      const audit = JSON.parse((await runCli(['audit', '--component', 'tools', '--json'], { home: h.home, env: PROMPT })).stdout).entries;
      expect(audit.filter((e: { outcome: string; capability: string }) => e.outcome === 'approved' && e.capability === 'approval:load_tool')).toHaveLength(2);
    } finally {
      await s.close();
      h.cleanup();
    }
  }, 90_000);
});
