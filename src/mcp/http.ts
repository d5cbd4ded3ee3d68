// Streamable HTTP transport at /mcp: one MCP server per session, a bearer token, a Host allowlist against
// DNS rebinding, a bounded event store per session so a lost SSE stream resumes (Last-Event-ID), and /healthz +
// /readyz endpoints.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, WassetteError, isWassetteError } from '../errors.js';
import type { ControlPlaneEndpoint } from '../sandbox/spec.js';
import { DEFAULT_EVENT_BUDGET_BYTES, DEFAULT_EVENT_STORE_LIMITS, EventBudget, SessionEventStore } from './event-store.js';
import { bearerChallenge, bearerMatches } from './http-auth.js';
import { JsonPath, jsonEligible } from './http-json-path.js';
import { DEFAULT_SESSION_IDLE_MS, SessionActivity, startIdleSweep } from './http-idle.js';
import { ReplayGate, answerResume, resumeEventId } from './http-resume.js';
import { createMcpServer, type McpBackend } from './mcp-server.js';

export { parseListenAddress } from './listen-address.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Extra Host header values accepted besides the bound address and localhost. */
  allowedHosts?: string[];
  /** Sessions kept at once; past it the least recently used one is closed (its client gets 404 and re-initializes). */
  maxSessions?: number;
  /** Required `Authorization: Bearer` token; `null` turns authentication off (the CLI allows that only on loopback). */
  token: string | null;
  /**
   * Called once bound (port 0 resolved), before any request is accepted, with the endpoints components must
   * never reach: the bound port and every name the server answers to on it.
   */
  onListening?: (endpoints: ControlPlaneEndpoint[]) => void;
  /** Answer single requests without a progress token as plain JSON instead of an SSE stream (default true). */
  jsonResponses?: boolean;
  /**
   * Caps of the SSE event store that lets a client resume a lost stream (Last-Event-ID): events and bytes per
   * session, bytes across sessions; the oldest events go first. Defaults: 1000 events, 13 MiB (one largest result at the 4 MiB output limit, see
   * resumableResultBytes), 64 MiB.
   */
  eventStore?: { maxEvents?: number; maxBytes?: number; totalBytes?: number };
  /**
   * A session with no open response (GET stream, call stream) and no unanswered request for this long is closed and
   * its event store freed; its id then gets the 404 of an unknown session. Default 30 minutes.
   */
  sessionIdleMs?: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  json: JsonPath;
  events: SessionEventStore;
  activity: SessionActivity;
}

/** Idle keep-alive sockets stay open this long (Node's default of 5 s makes a client pausing between calls reconnect). */
const KEEP_ALIVE_MS = 65_000;

/** About 40 KB each; a client that initializes per request would otherwise grow the server without bound. */
const DEFAULT_MAX_SESSIONS = 1000;

function hostAllowlist(host: string, port: number, extra: string[]): string[] {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host, ...extra]);
  return [...names].flatMap((n) => [n, `${n}:${port}`]);
}

/** Browsers send Origin; a page from another site must not drive the server (MCP transport spec: validate Origin). */
function originAllowed(origin: string | undefined, allowed: string[]): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && allowed.includes(u.host.toLowerCase());
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The JSON body, read with plain stream events (an async iterator costs more per request than the rest of this file). */
function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new WassetteError(ErrorCode.SizeLimit, 'request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(chunks.length === 0 ? undefined : JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
  });
}

export async function serveHttp(
  backend: McpBackend,
  opts: HttpOptions,
  log: (msg: string) => void,
): Promise<{ server: HttpServer; url: string; close(): Promise<void> }> {
  // Insertion order is recency order: a used session is moved to the end.
  const sessions = new Map<string, Session>();
  const jsonResponses = opts.jsonResponses ?? true;
  const maxSessions = Math.max(1, opts.maxSessions ?? DEFAULT_MAX_SESSIONS);
  let allowed: string[] = [];
  const budget = new EventBudget(opts.eventStore?.totalBytes ?? DEFAULT_EVENT_BUDGET_BYTES);
  // Replays in flight hold at most what the stores hold together.
  const replays = new ReplayGate(budget.maxBytes);
  const storeLimits = {
    maxEvents: opts.eventStore?.maxEvents ?? DEFAULT_EVENT_STORE_LIMITS.maxEvents,
    maxBytes: opts.eventStore?.maxBytes ?? DEFAULT_EVENT_STORE_LIMITS.maxBytes,
  };

  const idleMs = opts.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const clock = performance.now.bind(performance);
  const sweep = startIdleSweep(sessions, idleMs, clock, (id, s) => {
    sessions.delete(id);
    log(`closing MCP session ${id}: idle for more than ${idleMs} ms`);
    void s.transport.close().catch(() => undefined);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' || url.pathname === '/readyz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname !== '/mcp') return sendJson(res, 404, { error: 'not found; the MCP endpoint is /mcp' });
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowed.includes(hostHeader)) return sendJson(res, 403, { error: `host "${hostHeader}" is not allowed` });
    const origin = req.headers.origin;
    if (!originAllowed(origin, allowed)) return sendJson(res, 403, { error: `origin "${origin ?? ''}" is not allowed` });
    if (opts.token !== null && !bearerMatches(req.headers.authorization, opts.token)) {
      // Nothing is read or created for an unauthenticated request.
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': bearerChallenge(req.headers.authorization !== undefined) });
      return void res.end(JSON.stringify({ error: 'missing or wrong bearer token: send "Authorization: Bearer <token>" (`wassette http-token` prints it)' }));
    }

    const sessionId = req.headers['mcp-session-id'];
    // Busy from arrival, so a slow body cannot let the sweep close the session under it.
    if (typeof sessionId === 'string') sessions.get(sessionId)?.activity.begin(res);
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing && typeof sessionId === 'string') {
      sessions.delete(sessionId);
      sessions.set(sessionId, existing);
      const lastEventId = resumeEventId(req);
      if (lastEventId !== undefined && answerResume(existing.events, replays, sessionId, lastEventId, req, res)) return;
      if (Array.isArray(body) && body.filter(isJSONRPCRequest).length > 1) existing.events.noteBatch();
      if (jsonResponses && req.method === 'POST' && jsonEligible(body, req.headers.accept)) return existing.json.handle(body, req, res);
      return existing.transport.handleRequest(req, res, body);
    }
    if (sessionId !== undefined) {
      return sendJson(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: no valid session ID' }, id: null });
    }
    let session: Session | undefined;
    const activity = new SessionActivity(clock);
    activity.begin(res);
    const events = new SessionEventStore(budget, storeLimits);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: events,
      onsessioninitialized: (id) => {
        if (session) sessions.set(id, session);
        for (const [oldId, old] of sessions) {
          if (sessions.size <= maxSessions) break;
          sessions.delete(oldId);
          log(`closing idle MCP session ${oldId}: more than ${maxSessions} sessions are open`);
          void old.transport.close().catch(() => undefined);
        }
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      session?.json.closeAll();
      events.close();
    };
    await createMcpServer(backend, log).connect(transport);
    session = { transport, json: new JsonPath(transport), events, activity };
    activity.track(transport);
    await transport.handleRequest(req, res, body);
    // Refused before it started a session (406, 415, a bad protocol version): nothing can reach this server again, so
    // it must not stay attached to the backend's change listeners.
    if (transport.sessionId === undefined) await transport.close().catch(() => undefined);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`http request failed: ${(e as Error).message}`);
      const status = e instanceof SyntaxError ? 400 : isWassetteError(e, ErrorCode.SizeLimit) ? 413 : 500;
      if (!res.headersSent) sendJson(res, status, { error: (e as Error).message });
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new WassetteError(ErrorCode.Network, `cannot listen on ${opts.host}:${opts.port}: ${e.message}`, { cause: e })));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const port = bound.port;
  // Before the allowlist is set every request is refused, so no component call runs before its sandbox knows this port.
  opts.onListening?.([{ port, names: [...new Set([bound.address, opts.host, 'localhost', '127.0.0.1', '::1', ...(opts.allowedHosts ?? [])])] }]);
  allowed = hostAllowlist(opts.host, port, opts.allowedHosts ?? []);
  const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `http://${shown}:${port}/mcp`,
    close: async () => {
      sweep.stop();
      await Promise.all([...sessions.values()].map((x) => x.transport.close().catch(() => undefined)));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Sessions are closed, but a client's SSE or keep-alive socket would otherwise hold close() open for
      // seconds (measured ~4 s on SIGTERM after the SDK client closed).
      server.closeAllConnections();
      await closed;
    },
  };
}
