// load_tool before anything is fetched: a search result that is not a component is refused with what it is.
import { describe, expect, it } from 'vitest';
import { type LoadToolDeps, loadTool } from '../../src/core/load-tool.js';
import { isWassetteError } from '../../src/errors.js';

const unreachable = (): never => {
  throw new Error('nothing may be fetched for this ref');
};
const deps = new Proxy({}, { get: () => unreachable }) as unknown as LoadToolDeps;

describe('loadTool', () => {
  it('refuses the ref of an imported MCP tool (search_tools lists them) as another server’s tool, not as a missing file', async () => {
    const e = await loadTool(deps, 'mcp:github-tools.json#create_issue', undefined).catch((err: unknown) => err);
    expect(isWassetteError(e, 'invalid-argument')).toBe(true);
    expect((e as Error).message).toBe(
      'mcp:github-tools.json#create_issue is the tool create_issue of another MCP server (imported from github-tools.json); ' +
        'Wassette loads only WebAssembly components: add that server to the MCP client to use it',
    );
  });
});
