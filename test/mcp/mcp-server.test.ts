// createMcpServer's resource subscriptions over an in-memory transport with a fake backend: the capability, subscribe
// and unsubscribe, and notifications/resources/updated for exactly the subscribed resources whose text changed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CompleteResultSchema, McpError, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createMcpServer, type McpBackend } from '../../src/mcp/mcp-server.js';

const POLICY = 'wassette://components/alpha/policy';
const WIT = 'wassette://components/alpha/wit';

function fakeBackend() {
  const policies = new Map([['alpha', 'version: "1.0"\n']]);
  const listeners = new Set<(componentId?: string) => void>();
  let policyReads = 0;
  const backend: McpBackend = {
    listTools: () => [],
    callTool: async () => undefined,
    onToolsChanged: () => () => undefined,
    resources: {
      componentIds: () => [...policies.keys()],
      wit: (id) => (policies.has(id) ? `world ${id} {}` : undefined),
      policyYaml: (id) => {
        policyReads++;
        return policies.get(id);
      },
      sync: async () => undefined,
      onChanged: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
  };
  const emit = (componentId?: string) => {
    for (const l of listeners) l(componentId);
  };
  return { backend, policies, emit, listeners, policyReads: () => policyReads };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A client on its own in-memory session with the server, recording resources/updated notifications. */
async function open(backend: McpBackend): Promise<{ client: Client; updated: string[] }> {
  const server = createMcpServer(backend, () => undefined);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 't', version: '1' });
  const updated: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => {
    updated.push(n.params.uri);
  });
  await client.connect(clientSide);
  return { client, updated };
}

/** One session, closed after the test. */
async function connect(backend: McpBackend): Promise<{ client: Client; updated: string[] }> {
  const session = await open(backend);
  close = () => session.client.close();
  return session;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('resources/subscribe', () => {
  it('declares the capability', async () => {
    const { client } = await connect(fakeBackend().backend);
    expect(client.getServerCapabilities()?.resources).toEqual({ listChanged: true, subscribe: true });
  });

  it('sends resources/updated for a subscribed policy that changed, not for an unchanged WIT', async () => {
    const f = fakeBackend();
    const { client, updated } = await connect(f.backend);
    await client.subscribeResource({ uri: POLICY });
    await client.subscribeResource({ uri: WIT });
    f.emit();
    await tick();
    expect(updated).toEqual([]);
    f.policies.set('alpha', 'version: "1.0"\nnetwork: [api.example.com]\n');
    f.emit();
    await expect.poll(() => updated).toEqual([POLICY]);
  });

  it('a burst of changes is checked once: one read per subscription, one notification', async () => {
    const f = fakeBackend();
    const { client, updated } = await connect(f.backend);
    await client.subscribeResource({ uri: POLICY });
    const reads = f.policyReads();
    f.policies.set('alpha', 'grant 1');
    f.emit();
    f.policies.set('alpha', 'grant 2');
    for (let i = 0; i < 5; i++) f.emit();
    await expect.poll(() => updated).toEqual([POLICY]);
    await tick();
    expect(updated).toEqual([POLICY]);
    expect(f.policyReads() - reads).toBe(1);
  });

  it("a policy change of one component re-reads only that component's subscribed resources", async () => {
    const f = fakeBackend();
    f.policies.set('beta', 'version: "1.0"\n');
    const { client, updated } = await connect(f.backend);
    await client.subscribeResource({ uri: POLICY });
    await client.subscribeResource({ uri: 'wassette://components/beta/policy' });
    const reads = f.policyReads();
    f.policies.set('alpha', 'grant 1');
    f.emit('alpha');
    await expect.poll(() => updated).toEqual([POLICY]);
    expect(f.policyReads() - reads).toBe(1);
    // A change naming no component (a load or unload) checks them all.
    f.emit();
    await tick();
    expect(f.policyReads() - reads).toBe(3);
  });

  it('one change costs one read per resource, however many sessions watch it', async () => {
    const f = fakeBackend();
    const sessions = await Promise.all(
      [1, 2, 3].map(async () => {
        const session = await open(f.backend);
        await session.client.subscribeResource({ uri: POLICY });
        return session;
      }),
    );
    try {
      await tick();
      const reads = f.policyReads();
      f.policies.set('alpha', 'grant 1');
      f.emit();
      await expect.poll(() => sessions.map((x) => x.updated)).toEqual([[POLICY], [POLICY], [POLICY]]);
      expect(f.policyReads() - reads).toBe(1);
      // The next change reads again (nothing is served from before it).
      f.policies.set('alpha', 'grant 2');
      f.emit('alpha');
      await expect.poll(() => sessions.map((x) => x.updated.length)).toEqual([2, 2, 2]);
      expect(f.policyReads() - reads).toBe(2);
    } finally {
      await Promise.all(sessions.map((x) => x.client.close()));
    }
  });

  it('stops after unsubscribe', async () => {
    const f = fakeBackend();
    const { client, updated } = await connect(f.backend);
    await client.subscribeResource({ uri: POLICY });
    await client.unsubscribeResource({ uri: POLICY });
    f.policies.set('alpha', 'changed');
    f.emit();
    await tick();
    expect(updated).toEqual([]);
  });

  it('refuses a URI that is not ours with resource-not-found', async () => {
    const { client } = await connect(fakeBackend().backend);
    const e = await client.subscribeResource({ uri: 'test://watched-resource' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(McpError);
    expect((e as McpError).code).toBe(-32002);
  });

  it('drops its change listener when the session closes', async () => {
    const f = fakeBackend();
    await connect(f.backend);
    expect(f.listeners.size).toBe(1);
    await close?.();
    close = undefined;
    await expect.poll(() => f.listeners.size).toBe(0);
  });
});

describe('completion/complete params', () => {
  const ref = { type: 'ref/resource', uri: 'wassette://components/{id}/policy' };
  const complete = (client: Client, params: unknown) => client.request({ method: 'completion/complete', params } as never, CompleteResultSchema);

  it.each([
    [{ ref, argument: { name: 'id', value: 5 } }, 'argument.value'],
    [{ ref, argument: { name: 'id' } }, 'argument.value'],
    [{ ref: { type: 'ref/nope' }, argument: { name: 'id', value: '' } }, 'ref'],
  ])('%j is -32602 invalid params naming %s, in one short line', async (params, field) => {
    const { client } = await connect(fakeBackend().backend);
    const e = (await complete(client, params).catch((x: unknown) => x)) as McpError;
    expect(e).toBeInstanceOf(McpError);
    expect(e.code).toBe(-32602);
    expect(e.message).toContain(`invalid completion/complete params: ${field}`);
    expect(e.message).not.toContain('\n');
    expect(e.message.length).toBeLessThan(320);
  });

  it('still completes a valid request', async () => {
    const { client } = await connect(fakeBackend().backend);
    expect((await complete(client, { ref, argument: { name: 'id', value: 'a' } })).completion.values).toEqual(['alpha']);
  });
});
