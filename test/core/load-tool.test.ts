// load_tool before anything is fetched: a search result that is not a component is refused with what it is; and
// what approval_status answers for a load that was approved.
import { describe, expect, it } from 'vitest';
import { approvalStatus, type LoadToolDeps, loadTool } from '../../src/core/load-tool.js';
import type { ApprovalRequest } from '../../src/store/approvals.js';
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

describe('approvalStatus', () => {
  const DIGEST = `sha256:${'a'.repeat(64)}`;
  const applied = (appliedAt: number): ApprovalRequest => ({
    id: 'req-1',
    kind: 'load_tool',
    componentId: null,
    payload: { source: 'oci://r.io/acme/tools@sha256:m', digest: DIGEST },
    requestedBy: 'agent',
    status: 'approved',
    createdAt: appliedAt - 5000,
    decidedAt: appliedAt - 10,
    decidedBy: 'user (cli)',
    appliedAt,
    scope: 'once',
    applyError: null,
  });
  const NOW = 1_800_000_000_000;

  it.each([
    ['loaded', [{ id: 'tools', digest: DIGEST, tools: ['hello'] }], NOW - 1000, { component_id: 'tools', tools: ['hello'] }],
    ['still being loaded (claimed a moment ago)', [], NOW - 1000, { loading: true }],
    ['loaded, then unloaded or replaced', [], NOW - 10 * 60_000, { loaded: false }],
  ])('%s', (_, loaded, appliedAt, expected) => {
    const out = approvalStatus(applied(appliedAt), loaded, NOW);
    expect(out).toMatchObject({ status: 'approved', applied: true, ...expected });
    if (!('loading' in expected)) expect(out).not.toHaveProperty('loading');
  });
});
