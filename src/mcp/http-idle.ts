// Idle expiry of Streamable HTTP sessions: what counts as activity on a session (an open HTTP response, such as a
// GET stream or a call's POST stream, or a JSON-RPC request the server has not answered yet), and one unref'd sweep
// that closes the sessions idle past the limit. The decision (`isIdle`) is pure; the sweep only reads the clock.
import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResultResponse } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_HTTP_SESSION_IDLE_MS } from '../config.js';

/** The default and its bounds live with the other settings in config.ts. */
export const DEFAULT_SESSION_IDLE_MS = DEFAULT_HTTP_SESSION_IDLE_MS;

type Id = string | number;

export class SessionActivity {
  /** When the session last did anything (a request arrived, a response finished); ms on the sweep's clock. */
  lastActive: number;
  #open = 0;
  readonly #inFlight = new Set<Id>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
    this.lastActive = now();
  }

  /** Responses still open and requests still unanswered: while either is non-zero the session is busy. */
  get busy(): number {
    return this.#open + this.#inFlight.size;
  }

  /** An HTTP request for this session arrived: the session is busy until `res` closes. */
  begin(res: ServerResponse): void {
    this.#open++;
    this.lastActive = this.#now();
    res.once('close', () => {
      this.#open--;
      this.lastActive = this.#now();
    });
  }

  /**
   * Counts the session's unanswered requests, seen at `transport` (after the MCP server connected, and outermost so
   * every response passes here): a call whose client stream dropped still runs, and its result waits for a resume.
   */
  track(transport: Transport): void {
    const onmessage = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (isJSONRPCRequest(message)) this.#inFlight.add(message.id);
      // The SDK sends nothing for a cancelled request.
      else if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
        const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
        if (typeof id === 'string' || typeof id === 'number') this.#done(id);
      }
      onmessage?.(message, extra);
    };
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
        if (message.id !== undefined) this.#done(message.id);
      }
      return send(message, options);
    };
  }

  #done(id: Id): void {
    this.#inFlight.delete(id);
    this.lastActive = this.#now();
  }
}

/** Pure: has this session been idle (nothing open, nothing unanswered) for at least `idleMs` at `now`? */
export function isIdle(a: { busy: number; lastActive: number }, now: number, idleMs: number): boolean {
  return a.busy === 0 && now - a.lastActive >= idleMs;
}

/** One sweep for all sessions, a quarter of the limit apart (at most a minute), so a session lives at most 1.25x it. */
export function sweepIntervalMs(idleMs: number): number {
  return Math.max(250, Math.min(Math.floor(idleMs / 4), 60_000));
}

/** Calls `expire(id)` for every idle session on each tick; the timer never keeps the process alive. */
export function startIdleSweep<S extends { activity: SessionActivity }>(
  sessions: Map<string, S>,
  idleMs: number,
  now: () => number,
  expire: (id: string, session: S) => void,
): { stop(): void } {
  const timer = setInterval(() => {
    const t = now();
    for (const [id, s] of sessions) if (isIdle(s.activity, t, idleMs)) expire(id, s);
  }, sweepIntervalMs(idleMs));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
