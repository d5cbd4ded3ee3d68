// End to end through the real stdio server and the SDK client: tools/list pagination with opaque cursors,
// components' WIT and effective policy as resources (with list_changed on load, unload and grant changes,
// here or from the CLI, and resources/updated for subscribed ones), and progress notifications while load_component works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  McpError,
  ProgressNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type Progress,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { encodeCursor } from '../../src/mcp/paginate.js';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';

const PAGE = 4;
const t = tempHome();
let s: McpSession;
let resourceChanges = 0;
/** URIs of every notifications/resources/updated received. */
const updated: string[] = [];
/** Every progress notification since the last clear, taken before the SDK's own routing (see callWithProgress). */
let progressSeen: Progress[] = [];

beforeAll(async () => {
  s = await startStdioSession({ home: t.home, env: { WASSETTE_TOOLS_PAGE_SIZE: String(PAGE) } });
  s.client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => {
    resourceChanges++;
  });
  s.client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => {
    updated.push(n.params.uri);
  });
  s.client.setNotificationHandler(ProgressNotificationSchema, async (n) => {
    progressSeen.push(n.params);
  });
}, 60_000);

afterAll(async () => {
  await s?.close();
  t.cleanup();
});

/**
 * Calls a tool with a progress token and returns every progress notification that arrived for it. The SDK client's
 * own routing drops a notification read in the same chunk as the response (typescript-sdk #2580), so the test takes
 * them from its own handler and waits briefly for late ones: it checks what the server sends.
 */
async function callWithProgress(name: string, args: Record<string, unknown>): Promise<{ result: Awaited<ReturnType<typeof call>>; seen: Progress[] }> {
  progressSeen = [];
  const result = (await s.client.callTool({ name, arguments: args }, undefined, { onprogress: () => undefined })) as Awaited<ReturnType<typeof call>>;
  await new Promise((r) => setTimeout(r, 200));
  return { result, seen: progressSeen };
}

async function allPages(): Promise<{ tools: Tool[]; pages: number }> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await s.client.listTools(cursor === undefined ? {} : { cursor });
    pages++;
    expect(r.tools.length).toBeLessThanOrEqual(PAGE);
    tools.push(...r.tools);
    cursor = r.nextCursor;
  } while (cursor !== undefined && pages < 100);
  return { tools, pages };
}

describe('progress', () => {
  it('load_component with a progress token reports increasing stages with messages, ending in done', async () => {
    const { result: r, seen } = await callWithProgress('load_component', { path: fixture('all-types') });
    expect(r.isError, JSON.stringify(r)).toBeFalsy();
    expect(seen.map((p) => p.progress)).toEqual([1, 4, 6, 7]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
    expect(seen.every((p) => p.total === 7 && typeof p.message === 'string' && p.message.length > 0)).toBe(true);
    const messages = seen.map((p) => p.message).join('\n');
    expect(messages).toContain('reading ');
    expect(messages).toContain('decoding the WIT interface');
    expect(messages).toContain('translating all-types');
    expect(seen.at(-1)!.progress).toBe(7);
    expect(seen.at(-1)!.message).toMatch(/^loaded all-types: \d+ tool\(s\)$/);
  });

  it('without a progress token the same load sends no progress (and still works)', async () => {
    progressSeen = [];
    const r = await call(s, 'load_component', { path: fixture('spin') });
    expect(r.isError, text(r)).toBeFalsy();
    await new Promise((res) => setTimeout(res, 200));
    expect(progressSeen).toEqual([]);
  });
});

describe('tools/list pagination', () => {
  it('pages through every tool in a stable order with opaque cursors, no duplicates', async () => {
    const first = await allPages();
    const names = first.tools.map((x) => x.name);
    expect(first.pages).toBeGreaterThan(3);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('load_component');
    expect(names).toContain('greet');
    expect(names).toContain('ping');
    const again = await allPages();
    expect(again.tools.map((x) => x.name)).toEqual(names);
  });

  it('a cursor that is not ours, or whose tool has gone, is a JSON-RPC invalid-params error', async () => {
    const bad = await s.client.listTools({ cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(McpError);
    expect((bad as McpError).code).toBe(-32602);
    expect((bad as McpError).message).toContain('invalid cursor');

    // A cursor as the server issues it after the tool `spin` (the format is the server's own; clients never build one).
    const onSpin = encodeCursor('tools', 'spin');
    const valid = await s.client.listTools({ cursor: onSpin });
    expect(valid.tools.map((x) => x.name)).not.toContain('spin');
    expect(valid.tools[0]?.name).toBe('ping');
    expect((await call(s, 'unload_component', { id: 'spin' })).isError).toBeFalsy();
    const gone = await s.client.listTools({ cursor: onSpin }).catch((e: unknown) => e);
    expect((gone as McpError).code).toBe(-32602);
    expect((gone as McpError).message).toContain('no longer in the list');
    expect((await call(s, 'load_component', { path: fixture('spin') })).isError).toBeFalsy();
  });
});

describe('resources', () => {
  it('lists each loaded component WIT and policy, with templates', async () => {
    const { resources } = await s.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining(['wassette://components/all-types/wit', 'wassette://components/all-types/policy', 'wassette://components/spin/wit']),
    );
    expect(resources.find((r) => r.uri.endsWith('all-types/wit'))?.mimeType).toBe('text/x-wit');
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((x) => x.uriTemplate)).toEqual(['wassette://components/{id}/wit', 'wassette://components/{id}/policy']);
  });

  it('reads the WIT and the effective policy; a grant changes the policy and announces list_changed', async () => {
    const wit = await s.client.readResource({ uri: 'wassette://components/all-types/wit' });
    expect(wit.contents[0]).toMatchObject({ uri: 'wassette://components/all-types/wit', mimeType: 'text/x-wit' });
    expect((wit.contents[0] as { text: string }).text).toContain('export greet: func(name: string) -> string;');

    const read = async () => (await s.client.readResource({ uri: 'wassette://components/all-types/policy' })).contents[0] as { text: string; mimeType: string };
    const before = await read();
    expect(before.mimeType).toBe('application/yaml');
    expect(before.text).not.toContain('api.example.com');

    const changes = resourceChanges;
    await s.client.subscribeResource({ uri: 'wassette://components/all-types/policy' });
    await s.client.subscribeResource({ uri: 'wassette://components/all-types/wit' });
    const g = await call(s, 'grant_network_permission', { component_id: 'all-types', details: { host: 'api.example.com' } });
    expect(g.isError, text(g)).toBeFalsy();
    await expect.poll(() => resourceChanges, { timeout: 5000 }).toBeGreaterThan(changes);
    expect((await read()).text).toContain('api.example.com');
    // The subscribed policy is announced as updated; the WIT, unchanged, is not.
    await expect.poll(() => updated, { timeout: 5000 }).toContain('wassette://components/all-types/policy');
    expect(updated).not.toContain('wassette://components/all-types/wit');
  });

  it('follows a grant made by the CLI in another process', async () => {
    const changes = resourceChanges;
    const policyUpdates = () => updated.filter((u) => u === 'wassette://components/all-types/policy').length;
    const before = policyUpdates();
    const r = await runCli(['permission', 'grant', 'environment', 'all-types', 'HOME_FROM_CLI'], { home: t.home });
    expect(r.code, r.stderr).toBe(0);
    await expect.poll(() => resourceChanges, { timeout: 8000 }).toBeGreaterThan(changes);
    await expect.poll(policyUpdates, { timeout: 8000 }).toBeGreaterThan(before);
    const policy = await s.client.readResource({ uri: 'wassette://components/all-types/policy' });
    expect((policy.contents[0] as { text: string }).text).toContain('HOME_FROM_CLI');
  });

  it('an unknown URI or component is a clear resource-not-found error', async () => {
    for (const uri of ['wassette://components/nope/wit', 'file:///etc/passwd', 'wassette://components/all-types/secrets']) {
      const e = await s.client.readResource({ uri }).catch((x: unknown) => x);
      expect(e, uri).toBeInstanceOf(McpError);
      expect((e as McpError).code).toBe(-32002);
      expect((e as McpError).message).toContain(uri);
    }
    const e = await s.client.subscribeResource({ uri: 'file:///etc/passwd' }).catch((x: unknown) => x);
    expect((e as McpError).code).toBe(-32002);
  });

  it('unloading removes the resources and announces list_changed', async () => {
    const changes = resourceChanges;
    await s.client.subscribeResource({ uri: 'wassette://components/spin/wit' });
    expect((await call(s, 'unload_component', { id: 'spin' })).isError).toBeFalsy();
    await expect.poll(() => resourceChanges, { timeout: 5000 }).toBeGreaterThan(changes);
    // A subscribed resource that is gone counts as updated (a read now says resource-not-found).
    await expect.poll(() => updated, { timeout: 5000 }).toContain('wassette://components/spin/wit');
    const uris = (await s.client.listResources()).resources.map((r) => r.uri);
    expect(uris).not.toContain('wassette://components/spin/wit');
    const e = await s.client.readResource({ uri: 'wassette://components/spin/wit' }).catch((x: unknown) => x);
    expect((e as McpError).code).toBe(-32002);
  });
});

describe('progress of an OCI load', () => {
  let reg: RunningRegistry;
  const publisher = tempHome();
  beforeAll(async () => {
    reg = await startRegistry();
  }, 30_000);
  afterAll(async () => {
    await destroyRegistry(reg);
    publisher.cleanup();
  });

  it('reports resolve, download, verify, describe, transpile and done in that order', async () => {
    const pub = await runCli(['publish', fixture('kv-store'), `oci://${reg.registry}/tools/kv:1`, '--json'], { home: publisher.home });
    expect(pub.code, pub.stderr).toBe(0);
    const { result: r, seen } = await callWithProgress('load_component', { path: `oci://${reg.registry}/tools/kv:1` });
    expect(r.isError, JSON.stringify(r)).toBeFalsy();
    const m = seen.map((p) => p.message ?? '');
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(m[0]).toBe(`resolving oci://${reg.registry}/tools/kv:1`);
    expect(m[1]).toMatch(/^downloading oci:\/\/.* \(\d+ bytes in \d layer\(s\)\)$/);
    expect(m[2]).toContain('checking signatures of');
    expect(m[3]).toContain('decoding the WIT interface');
    expect(m[4]).toContain('translating');
    expect(m[5]).toMatch(/^loaded /);
  }, 60_000);
});
