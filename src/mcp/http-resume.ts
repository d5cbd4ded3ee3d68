// Resuming an SSE stream (GET with Last-Event-ID) in front of the SDK transport: an id this session no longer holds
// (or never issued) gets a JSON-RPC error saying so, and a stream whose response is already stored is replayed and
// closed here. The SDK transport would register the replayed stream as live, and with nothing left to send on it
// the client's connection would stay open until the session ends. A stream still waiting for its response goes to
// the SDK transport, which replays it and keeps it open for what comes next.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionEventStore } from './event-store.js';
import { protocolVersionError } from './http-json-path.js';

/** The Last-Event-ID of a GET asking to resume, if it is one. */
export function resumeEventId(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return undefined;
  const id = req.headers['last-event-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Bytes of the replays answered here that Node still holds (not yet handed to the kernel), across all sessions. A
 * replay copies what the store holds once, so without it a resume storm multiplies the store: 500 GETs that never
 * read the replay of one 3.8 MB result grew the server from 139 to 759 MiB. One replay is always admitted, so a
 * result up to the per-session cap still resumes however small the cap.
 */
export class ReplayGate {
  readonly maxBytes: number;
  #inFlight = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get inFlightBytes(): number {
    return this.#inFlight;
  }

  /** Takes `bytes` until `res` closes (sent in full, or its connection gone), or returns false when over the cap. */
  admit(bytes: number, res: ServerResponse): boolean {
    if (this.#inFlight > 0 && this.#inFlight + bytes > this.maxBytes) return false;
    this.#inFlight += bytes;
    res.once('close', () => {
      this.#inFlight -= bytes;
    });
    return true;
  }
}

/** Answers the resume and returns true, or returns false to leave it to the SDK transport. */
export function answerResume(
  store: SessionEventStore,
  gate: ReplayGate,
  sessionId: string,
  lastEventId: string,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  // Requests the SDK transport refuses anyway (wrong Accept, bad protocol version) get its answers.
  if (!/\btext\/event-stream\b/i.test(req.headers.accept ?? '') || protocolVersionError(req.headers['mcp-protocol-version'])) return false;
  const r = store.resume(lastEventId);
  if (r.kind === 'found' && !r.answered) return false;
  if (r.kind !== 'found') {
    const { maxEvents, maxBytes } = store.limits;
    const why =
      r.kind === 'evicted'
        ? `the events after it are no longer held (a session keeps its last ${maxEvents} events and ${maxBytes} bytes), so what the stream missed cannot be replayed`
        : 'this session never issued it';
    const message = `Last-Event-ID "${lastEventId.slice(0, 64)}": ${why}; send the request again, or open the GET stream without Last-Event-ID`;
    res
      .writeHead(400, { 'content-type': 'application/json', 'mcp-session-id': sessionId })
      .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message, data: { reason: r.kind } }, id: null }));
    return true;
  }
  const bytes = r.events.reduce((n, e) => n + e.bytes, 0);
  if (!gate.admit(bytes, res)) {
    const message = `replays of ${gate.inFlightBytes} bytes are still being sent (at most ${gate.maxBytes} at once); resume again in a moment`;
    res
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', 'mcp-session-id': sessionId })
      .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message, data: { reason: 'busy' } }, id: null }));
    return true;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'mcp-session-id': sessionId });
  // The SDK transport's event framing (its data is JSON.stringify of the message, the bytes the store holds), so the
  // client's parser sees no difference. The stored bytes are written as they are: no copy per replay.
  const write = (events: typeof r.events): void => {
    res.cork();
    for (const e of events) {
      res.write(`event: message\nid: ${e.id}\ndata: `);
      res.write(e.data);
      res.write('\n\n');
    }
    res.uncork();
  };
  // The notifications go first and the response a moment later: the SDK client drops a progress notification read in
  // the same chunk as its response (typescript-sdk #2580; the live path waits the same way, see mcp-server.ts).
  const split = r.events.findIndex((e) => e.response);
  if (split <= 0) {
    write(r.events);
    res.end();
    return true;
  }
  write(r.events.slice(0, split));
  setTimeout(() => {
    write(r.events.slice(split));
    res.end();
  }, REPLAY_SETTLE_MS);
  return true;
}

/** As PROGRESS_SETTLE_MS in mcp-server.ts. */
const REPLAY_SETTLE_MS = 15;
