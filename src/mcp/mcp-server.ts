// Builds one MCP protocol server (low-level SDK `Server`) over the backend; one per client session.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode as McpErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallContext } from '../core/call-context.js';
import { exceptionResult } from '../core/tool-result.js';

export interface McpBackend {
  listTools(): Tool[] | Promise<Tool[]>;
  /** Returns undefined when no tool has that name (a protocol error, not a tool error). */
  callTool(name: string, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult | undefined>;
  /** Subscribes to tool-list changes; returns the unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
}

export const SERVER_INFO = { name: 'wassette', version: '0.1.0' } as const;

export function createMcpServer(backend: McpBackend, log: (msg: string) => void): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, logging: {} },
    instructions:
      'wassette runs WebAssembly components as sandboxed tools and can find new ones. ' +
      'When no tool you have fits the task, call search_tools with the need in plain words, pick a result, and ' +
      'call load_tool with its ref and your reason; the user approves, the new tools appear (if the answer is ' +
      'pending, tell the user to run `wassette approvals`, then check approval_status). ' +
      'Components start with no file, network or environment access; when a call is denied, ask for the grant ' +
      'the denial names with the grant_* tools.',
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await backend.listTools() }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const canElicit = server.getClientCapabilities()?.elicitation !== undefined;
    const progressToken = request.params._meta?.progressToken;
    const ctx: CallContext = {
      signal: extra.signal,
      ...(progressToken !== undefined
        ? {
            progress: (progress: number, total: number | undefined, message: string) => {
              extra
                .sendNotification({
                  method: 'notifications/progress',
                  params: { progressToken, progress, ...(total !== undefined ? { total } : {}), message },
                })
                .catch(() => undefined);
            },
          }
        : {}),
      log: (level, data) => {
        server.sendLoggingMessage({ level, logger: 'wassette', data }).catch(() => undefined);
      },
      ...(canElicit
        ? { elicit: (message: string, requestedSchema: Record<string, unknown>) => server.elicitInput({ message, requestedSchema: requestedSchema as never }) }
        : {}),
    };
    let result: CallToolResult | undefined;
    try {
      result = await backend.callTool(name, args, ctx);
    } catch (e) {
      log(`tool ${name} failed: ${(e as Error).stack ?? String(e)}`);
      return exceptionResult(e);
    }
    if (result === undefined) throw new McpError(McpErrorCode.InvalidParams, `Unknown tool: ${name}`);
    return result;
  });

  const unsubscribe = backend.onToolsChanged(() => {
    server.sendToolListChanged().catch(() => undefined);
  });
  server.onclose = () => unsubscribe();
  return server;
}
