// The MCP view of the application: the enabled built-ins first, then the loaded components' tools.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { CallContext } from '../core/call-context.js';
import type { Wassette } from '../core/wassette.js';
import { enabledBuiltins } from './builtins/list.js';
import type { McpBackend } from './mcp-server.js';

export function wassetteBackend(core: Wassette): McpBackend {
  // Throws at start-up for a misspelt disabled_builtins entry.
  const builtins = enabledBuiltins(core.config.disabledBuiltins);
  const byName = new Map(builtins.map((b) => [b.name, b]));
  return {
    async listTools(): Promise<Tool[]> {
      const own = builtins.map((b) => ({ name: b.name, description: b.description, inputSchema: b.inputSchema }));
      return [...own, ...(await core.tools())];
    },
    async callTool(name: string, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult | undefined> {
      const builtin = byName.get(name);
      if (builtin) {
        await core.syncFromStore();
        return builtin.call(core, args, ctx);
      }
      return core.callTool(name, args, ctx);
    },
    onToolsChanged: (listener) => core.onToolsChanged(listener),
    resources: {
      componentIds: () =>
        core
          .list()
          .filter((c) => c.status !== 'unavailable')
          .map((c) => c.id),
      wit: (id) => core.witOf(id),
      policyYaml: (id) => (core.witOf(id) === undefined ? undefined : core.permissions.view(id).policy_yaml),
      sync: () => core.syncFromStore(),
      onChanged: (listener) => {
        const offTools = core.onToolsChanged(() => listener());
        const offPolicies = core.onPolicyChanged((id) => listener(id));
        return () => {
          offTools();
          offPolicies();
        };
      },
    },
    pageSize: core.config.toolsPageSize,
  };
}
