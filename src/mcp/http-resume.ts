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

/** Answers the resume and returns true, or returns false to leave it to the SDK transport. */
export function answerResume(store: SessionEventStore, sessionId: string, lastEventId: string, req: IncomingMessage, res: ServerResponse): boolean {
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
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'mcp-session-id': sessionId });
  // The SDK transport's event framing, so the client's parser sees no difference.
  const frame = (e: (typeof r.events)[number]): string => `event: message\nid: ${e.id}\ndata: ${JSON.stringify(e.message)}\n\n`;
  // The notifications go first and the response a moment later: the SDK client drops a progress notification read in
  // the same chunk as its response (typescript-sdk #2580; the live path waits the same way, see mcp-server.ts).
  const split = r.events.findIndex((e) => 'id' in e.message && !('method' in e.message));
  if (split <= 0) {
    res.end(r.events.map(frame).join(''));
    return true;
  }
  res.write(r.events.slice(0, split).map(frame).join(''));
  setTimeout(() => res.end(r.events.slice(split).map(frame).join('')), REPLAY_SETTLE_MS);
  return true;
}

/** As PROGRESS_SETTLE_MS in mcp-server.ts. */
const REPLAY_SETTLE_MS = 15;
