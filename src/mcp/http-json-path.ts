// The JSON fast path of the Streamable HTTP endpoint: a POST carrying one JSON-RPC request that asked for no
// progress is answered with one `application/json` body (the transport spec lets the server pick JSON or SSE per
// request), skipping the SDK transport's Node-to-Fetch conversion and SSE stream. Everything else (initialize,
// batches, notifications, requests with a progress token, GET streams) goes through the SDK transport unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';

/** Can this POST body be answered with plain JSON? One request (not initialize), no progress token, JSON accepted. */
export function jsonEligible(body: unknown, accept: string | undefined): body is JSONRPCRequest {
  if (accept === undefined || !/\bapplication\/json\b/i.test(accept)) return false;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const m = body as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
  // The shape check the SDK transport's schema makes, by hand (this runs on every call); the server validates params.
  if (m.jsonrpc !== '2.0' || typeof m.method !== 'string' || m.method === 'initialize') return false;
  if (typeof m.id !== 'string' && !(typeof m.id === 'number' && Number.isInteger(m.id))) return false;
  if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))) return false;
  const meta = (m.params as { _meta?: unknown } | undefined)?._meta;
  return !(typeof meta === 'object' && meta !== null && (meta as { progressToken?: unknown }).progressToken !== undefined);
}

/** Why a request on the fast path is refused before it reaches the server, mirroring the SDK transport's checks. */
export function protocolVersionError(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const v = Array.isArray(header) ? header[0] : header;
  if (v !== undefined && SUPPORTED_PROTOCOL_VERSIONS.includes(v)) return undefined;
  return `Bad Request: Unsupported protocol version: ${String(v)} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`;
}

type Id = string | number;

/**
 * Sits between one session's SDK transport and its MCP server: requests taken on the fast path are handed to the
 * server as if the transport had read them, and their responses are taken out of `send` and written as JSON.
 */
export class JsonPath {
  readonly #transport: Transport;
  readonly #pending = new Map<Id, ServerResponse>();

  /** Call after the MCP server is connected to `transport` (it installs onmessage then). */
  constructor(transport: Transport) {
    this.#transport = transport;
    const send = transport.send.bind(transport);
    transport.send = async (message: JSONRPCMessage, options) => {
      if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
        const res = message.id === undefined ? undefined : this.#pending.get(message.id);
        if (res) {
          this.#pending.delete(message.id as Id);
          this.#write(res, 200, message);
          return;
        }
      } else if (options?.relatedRequestId !== undefined && this.#pending.has(options.relatedRequestId)) {
        // A notification tied to a JSON-answered request has no stream to go on; the request asked for no progress.
        return;
      }
      return send(message, options);
    };
  }

  /** Hands `message` to the server; the HTTP response is written when the server answers it. */
  handle(message: JSONRPCRequest, req: IncomingMessage, res: ServerResponse): void {
    const versionError = protocolVersionError(req.headers['mcp-protocol-version']);
    if (versionError) {
      this.#write(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: versionError }, id: null });
      return;
    }
    if (this.#pending.has(message.id)) {
      this.#write(res, 400, { jsonrpc: '2.0', error: { code: -32600, message: `request id ${String(message.id)} is already in flight` }, id: null });
      return;
    }
    this.#pending.set(message.id, res);
    // A client that goes away before the answer (or cancels, which the SDK client does by aborting the fetch) frees
    // the slot and cancels the call, so a dropped connection never leaves a component working for nobody.
    res.on('close', () => {
      if (this.#pending.get(message.id) !== res) return;
      this.#pending.delete(message.id);
      const cancel: JSONRPCMessage = {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: message.id, reason: 'the HTTP client disconnected' },
      };
      this.#transport.onmessage?.(cancel, { requestInfo: { headers: req.headers } });
    });
    this.#transport.onmessage?.(message, { requestInfo: { headers: req.headers } });
  }

  /** The session went away: answer what is still waiting. */
  closeAll(): void {
    for (const [id, res] of this.#pending) this.#write(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session closed' }, id });
    this.#pending.clear();
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  #write(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const sid = this.#transport.sessionId;
    if (sid !== undefined) headers['mcp-session-id'] = sid;
    res.writeHead(status, headers).end(JSON.stringify(body));
  }
}
