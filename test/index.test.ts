// Embedding wassette as a library: imported by its package name (the `exports` map and its types), the server is
// created in-process over the SDK's InMemoryTransport, a component is loaded through the built-in tool and called.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMcpServer,
  loadConfig,
  openWassette,
  silentLogger,
  wassetteBackend,
  BUILTIN_NAMES,
  ErrorCode,
  isWassetteError,
  type ComponentSummary,
  type Wassette,
} from 'wassette';
import { fixture, tempHome } from './helpers/cli.js';

const t = tempHome('wassette-embed-');
let core: Wassette;
let client: Client;

beforeAll(async () => {
  core = await openWassette(loadConfig({ WASSETTE_HOME: t.home, WASSETTE_APPROVAL: 'auto' }), silentLogger, { reservedToolNames: BUILTIN_NAMES });
  const server = createMcpServer(wassetteBackend(core), () => undefined);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'embedder', version: '1.0.0' });
  await client.connect(clientSide);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await core?.close();
  t.cleanup();
});

describe('embedding the library', () => {
  it('loads a component through load_component and calls its tool, all in-process', async () => {
    const before = await client.listTools();
    expect(before.tools.map((x) => x.name)).toEqual([...BUILTIN_NAMES]);
    const loaded = await client.callTool({ name: 'load_component', arguments: { path: fixture('spin') } });
    expect(loaded.isError).toBeFalsy();
    expect((loaded.structuredContent as unknown as ComponentSummary).tools).toEqual(['spin', 'ping']);
    const r = await client.callTool({ name: 'ping', arguments: {} });
    expect(r.structuredContent).toEqual({ result: 42 });
    expect(core.list().map((c) => c.id)).toEqual(['spin']);
  }, 60_000);

  it('offers the operations as typed methods that keep sandboxes fresh', async () => {
    const grant = core.permissions.grant('spin', 'network', { host: 'example.com' });
    expect(grant).toEqual({ kind: 'network', host: 'example.com' });
    expect(core.specFor('spin').networkAllow).toContain('example.com');
    core.permissions.revoke('user', 'spin', 'network', { host: 'example.com' });
    expect(core.specFor('spin').networkAllow).not.toContain('example.com');
    core.permissions.grant('spin', 'environment', { key: 'TOKEN' });
    core.secrets.set('spin', { TOKEN: 's3cret' });
    expect(core.specFor('spin').env).toEqual({ TOKEN: 's3cret' });
    try {
      core.permissions.grant('ghost', 'network', { host: 'example.com' });
      expect.unreachable();
    } catch (e) {
      expect(isWassetteError(e, ErrorCode.UnknownComponent)).toBe(true);
    }
  });
});
