// Builds one MCP protocol server (low-level SDK `Server`) over the backend; one per client session.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ElicitResultSchema,
  ErrorCode as McpErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type ProgressToken,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { PENDING_TTL_MS } from '../approvals/queue.js';
import type { CallContext, Progress } from '../core/call-context.js';
import { exceptionResult } from '../core/tool-result.js';
import { isWassetteError } from '../errors.js';
import { completeArgument } from './completions.js';
import { paginate } from './paginate.js';
import { parseRequest } from './request-params.js';
import { ResourceSubscriptions } from './resource-subscriptions.js';
import { listResources, RESOURCE_TEMPLATES, readResource, resourceText, type ResourceSource } from './resources.js';

export interface McpBackend {
  listTools(): Tool[] | Promise<Tool[]>;
  /** Returns undefined when no tool has that name (a protocol error, not a tool error). */
  callTool(name: string, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult | undefined>;
  /** Subscribes to tool-list changes; returns the unsubscribe function. */
  onToolsChanged(listener: () => void): () => void;
  /** The components' WIT and policies as resources; without it the server offers no resources. */
  resources?: ResourceSource & {
    /** Follows changes other processes made before a list or read. */
    sync(): Promise<void>;
    /**
     * Subscribes to changes of the resource list or of a resource's content; returns the unsubscribe function. The
     * listener gets the component id when only that component's policy changed, nothing when anything may have.
     */
    onChanged(listener: (componentId?: string) => void): () => void;
  };
  /** Items per tools/list and resources/list page (default 500). */
  pageSize?: number;
}

export const SERVER_INFO = { name: 'wassette', version: '0.1.0' } as const;

const DEFAULT_PAGE_SIZE = 500;

/** Pages a list, turning a bad cursor into the JSON-RPC error the MCP spec asks for (-32602). */
function page<T>(items: readonly T[], key: (x: T) => string, list: string, pageSize: number, cursor: string | undefined) {
  try {
    return paginate(items, key, { list, pageSize, cursor });
  } catch (e) {
    if (isWassetteError(e)) throw new McpError(McpErrorCode.InvalidParams, e.message);
    throw e;
  }
}

/**
 * How long a result waits after the last progress notification. The SDK client (1.32.x) handles notifications a
 * microtask later than responses, so a notification read in the same chunk as its response finds its handler gone
 * ("unknown token", typescript-sdk issue #2580); a gap lets it be read first. Only requests that asked for progress wait.
 */
const PROGRESS_SETTLE_MS = 15;

/** Progress reports for one request, kept strictly increasing as the spec requires; failures to send are dropped. */
function progressSender(
  token: ProgressToken,
  send: (n: { method: 'notifications/progress'; params: Record<string, unknown> }) => Promise<void>,
): { report: Progress; settle(): Promise<void> } {
  let last = Number.NEGATIVE_INFINITY;
  let sent = false;
  return {
    report: (progress, total, message) => {
      if (!(progress > last)) return;
      last = progress;
      sent = true;
      const params = { progressToken: token, progress, message, ...(total !== undefined ? { total } : {}) };
      send({ method: 'notifications/progress', params }).catch(() => undefined);
    },
    settle: () => (sent ? new Promise((r) => setTimeout(r, PROGRESS_SETTLE_MS)) : Promise.resolve()),
  };
}

type Resources = NonNullable<McpBackend['resources']>;
interface SharedReader {
  read(uri: string): string | undefined;
  /** Called by every session's change listener, so nothing read before a change is served after it. */
  invalidate(): void;
}
const sharedReaders = new WeakMap<Resources, SharedReader>();

/**
 * Resource text read once per change for all sessions: after a change every session checks its subscriptions on the
 * same turn, and without sharing, N sessions watching a policy cost N store reads (1,000 HTTP sessions x 20 policies
 * ~3 s per load). The memo lives until the next change or the end of the turn.
 */
function sharedReader(resources: Resources): SharedReader {
  const known = sharedReaders.get(resources);
  if (known) return known;
  let memo: Map<string, string | undefined> | undefined;
  const reader: SharedReader = {
    read: (uri) => {
      if (!memo) {
        const turn = new Map<string, string | undefined>();
        memo = turn;
        setImmediate(() => {
          if (memo === turn) memo = undefined;
        });
      }
      if (memo.has(uri)) return memo.get(uri);
      const text = resourceText(resources, uri);
      memo.set(uri, text);
      return text;
    },
    invalidate: () => {
      memo = undefined;
    },
  };
  sharedReaders.set(resources, reader);
  return reader;
}

export function createMcpServer(backend: McpBackend, log: (msg: string) => void): Server {
  const resources = backend.resources;
  const pageSize = backend.pageSize ?? DEFAULT_PAGE_SIZE;
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, logging: {}, ...(resources ? { resources: { listChanged: true, subscribe: true }, completions: {} } : {}) },
    instructions:
      'wassette runs WebAssembly components as sandboxed tools and can find new ones. ' +
      'When no tool you have fits the task, call search_tools with the need in plain words, pick a result, and ' +
      'call load_tool with its ref and your reason; the user approves, the new tools appear (if the answer is ' +
      'pending, tell the user to run `wassette approvals`, then check approval_status). ' +
      'Components start with no file, network or environment access; when a call is denied, ask for the grant ' +
      'the denial names with the grant_* tools. ' +
      'Each loaded component\u2019s WIT and effective policy are resources (wassette://components/<id>/wit, /policy).',
  });

  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const p = page(await backend.listTools(), (t) => t.name, 'tools', pageSize, request.params?.cursor);
    return { tools: p.items, ...(p.nextCursor !== undefined ? { nextCursor: p.nextCursor } : {}) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const canElicit = server.getClientCapabilities()?.elicitation !== undefined;
    const token = request.params._meta?.progressToken;
    const progress = token !== undefined ? progressSender(token, (n) => extra.sendNotification(n as never)) : undefined;
    const ctx: CallContext = {
      signal: extra.signal,
      log: (level, data) => {
        server.sendLoggingMessage({ level, logger: 'wassette', data }).catch(() => undefined);
      },
      ...(canElicit
        ? {
            // The form goes with its call: cancelling the call withdraws the form (notifications/cancelled to the client).
            // A person may take minutes: the form is waited on as long as its request stays answerable, not the
            // SDK's default 60 s (after which the answer would be dropped and the request left pending). The answer
            // is judged by approvals/ask-user.ts, where one the form did not offer denies; the SDK's elicitInput
            // would throw on it instead, which reads as "no answer" and leaves the request pending.
            elicit: (message: string, requestedSchema: Record<string, unknown>) =>
              server.request(
                { method: 'elicitation/create', params: { mode: 'form', message, requestedSchema: requestedSchema as never } },
                ElicitResultSchema,
                {
                  signal: extra.signal,
                  timeout: PENDING_TTL_MS,
                },
              ),
          }
        : {}),
      ...(progress ? { progress: progress.report } : {}),
    };
    let result: CallToolResult | undefined;
    try {
      result = await backend.callTool(name, args, ctx);
    } catch (e) {
      log(`tool ${name} failed: ${(e as Error).stack ?? String(e)}`);
      return exceptionResult(e);
    } finally {
      await progress?.settle();
    }
    if (result === undefined) throw new McpError(McpErrorCode.InvalidParams, `Unknown tool: ${name}`);
    return result;
  });

  let unsubscribeResources = (): void => undefined;
  if (resources) {
    server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
      await resources.sync();
      const p = page(listResources(resources), (r) => r.uri, 'resources', pageSize, request.params?.cursor);
      return { resources: p.items, ...(p.nextCursor !== undefined ? { nextCursor: p.nextCursor } : {}) };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
    // The templates' `id` argument completes to the loaded components' ids.
    // Parsed here, not by the SDK: a non-string argument.value is then -32602 with one line, not -32603 and a dump.
    server.setRequestHandler(CompleteRequestSchema.pick({ method: true }).loose(), async (raw) => {
      const request = parseRequest(CompleteRequestSchema, raw);
      await resources.sync();
      return { completion: completeArgument(resources.componentIds(), request.params.ref, request.params.argument) };
    });
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      await resources.sync();
      return { contents: [readResource(resources, request.params.uri)] };
    });
    // notifications/resources/updated for exactly the subscribed resources whose text changed.
    const shared = sharedReader(resources);
    const subscriptions = new ResourceSubscriptions(shared.read);
    server.setRequestHandler(SubscribeRequestSchema, async (request) => {
      await resources.sync();
      subscriptions.subscribe(request.params.uri);
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
      subscriptions.unsubscribe(request.params.uri);
      return {};
    });
    // Re-reading costs ~0.16 ms per subscribed policy (a store read), so a burst of changes (another process's
    // grants, found in one sync) is checked once, on the next turn of the event loop, and never by a closed session.
    // A change naming its component re-reads only that component's resources (every session does this work).
    let pending: Set<string> | 'all' | undefined;
    let closed = false;
    const checkSubscriptions = (): void => {
      const ids = pending;
      pending = undefined;
      if (closed || ids === undefined) return;
      for (const uri of subscriptions.changed(ids === 'all' ? undefined : ids)) server.sendResourceUpdated({ uri }).catch(() => undefined);
    };
    const offChanged = resources.onChanged((componentId) => {
      shared.invalidate();
      server.sendResourceListChanged().catch(() => undefined);
      if (subscriptions.size === 0) return;
      const first = pending === undefined;
      if (componentId === undefined) pending = 'all';
      else if (pending !== 'all') {
        pending ??= new Set();
        pending.add(componentId);
      }
      if (first) setImmediate(checkSubscriptions);
    });
    unsubscribeResources = () => {
      closed = true;
      offChanged();
    };
  }

  const unsubscribe = backend.onToolsChanged(() => {
    server.sendToolListChanged().catch(() => undefined);
  });
  server.onclose = () => {
    unsubscribe();
    unsubscribeResources();
  };
  return server;
}
