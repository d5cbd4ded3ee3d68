// The SSE event store behind Streamable HTTP resumability: one per session, holding the messages sent on its SSE
// streams so a client that lost a stream reconnects with Last-Event-ID and gets what it missed. Bounded three ways
// (events and bytes per session, bytes across all sessions), evicting the oldest first; no I/O here.
import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_EVENT_TOTAL_BYTES, DEFAULT_MAX_OUTPUT_BYTES, resumableResultBytes } from '../config.js';

export interface EventStoreLimits {
  /** Events one session keeps. */
  maxEvents: number;
  /** Bytes of serialized messages one session keeps. */
  maxBytes: number;
}

/** 13 MiB: one largest tool result at max_output_bytes' default (4 MiB) as sent, so it still resumes. */
export const DEFAULT_EVENT_STORE_LIMITS: Readonly<EventStoreLimits> = Object.freeze({
  maxEvents: 1000,
  maxBytes: resumableResultBytes(DEFAULT_MAX_OUTPUT_BYTES),
});

/** Bytes all sessions' stores hold together; without it 1,000 sessions x 13 MiB could pin 13 GiB. */
export const DEFAULT_EVENT_BUDGET_BYTES = DEFAULT_EVENT_TOTAL_BYTES;

/**
 * What one held event costs the shared budget besides its text: its entry, map slots and ids. Measured ~200 B of
 * heap per event with 1,000 sessions x 1,000 small events, which the budget counted as 59 MiB while RSS grew 311.
 * A priming event has no text, so without this charge the budget never evicted one.
 */
export const EVENT_OVERHEAD_BYTES = 256;

/**
 * Text at least this long is kept as one Buffer that every replay writes (a stuck socket then holds a reference, not
 * a copy); shorter text stays a string, since a small Buffer is a slice of an 8 KiB pool slab it would keep alive.
 */
const SHARED_TEXT_BYTES = 64 * 1024;

interface Entry {
  seq: number;
  streamId: StreamId;
  /** The serialized message (see SHARED_TEXT_BYTES); undefined for a priming event (or a message too large to keep). */
  data: string | Buffer | undefined;
  bytes: number;
  /** This entry's place in the budget's order. */
  order: number;
  response: boolean;
}

/** Shared by one server's sessions: the bytes their stores hold together, evicted oldest first whichever session. */
export class EventBudget {
  readonly maxBytes: number;
  #used = 0;
  #next = 0;
  readonly #order = new Map<number, SessionEventStore>();

  constructor(maxBytes = DEFAULT_EVENT_BUDGET_BYTES) {
    this.maxBytes = maxBytes;
  }

  get usedBytes(): number {
    return this.#used;
  }

  /** Events held by all stores. */
  get events(): number {
    return this.#order.size;
  }

  /** Charges an event of `bytes` of text (plus EVENT_OVERHEAD_BYTES). */
  add(store: SessionEventStore, bytes: number): number {
    this.#order.set(this.#next, store);
    this.#used += bytes + EVENT_OVERHEAD_BYTES;
    return this.#next++;
  }

  release(order: number, bytes: number): void {
    if (this.#order.delete(order)) this.#used -= bytes + EVENT_OVERHEAD_BYTES;
  }

  /** A store's oldest event is also its oldest in this order, so evicting "the store's oldest" evicts this one. */
  trim(): void {
    for (const store of this.#order.values()) {
      if (this.#used <= this.maxBytes) return;
      store.evictOldest();
    }
  }
}

/** One held event: its stored text (framed as is on a replay), and the message parsed from it only when asked. */
export interface ResumeEvent {
  id: EventId;
  /** JSON.stringify of the message, as the SDK transport frames it; a Buffer shared by all replays when large. */
  data: string | Buffer;
  /** UTF-8 length of data. */
  bytes: number;
  response: boolean;
  readonly message: JSONRPCMessage;
}

/** What a resume from a Last-Event-ID finds. */
export type Resume =
  | { kind: 'unknown' }
  | { kind: 'evicted' }
  | {
      kind: 'found';
      streamId: StreamId;
      events: ResumeEvent[];
      /** The stream's response is among them: nothing more will ever be sent on it. */
      answered: boolean;
    };

const isPriming = (m: JSONRPCMessage): boolean => (m as { jsonrpc?: unknown }).jsonrpc === undefined;
const isResponse = (m: JSONRPCMessage): boolean => 'id' in m && ('result' in m || 'error' in m) && !('method' in m);

export class SessionEventStore implements EventStore {
  readonly limits: Readonly<EventStoreLimits>;
  readonly #budget: EventBudget;
  /** Insertion order is sequence order. */
  readonly #entries = new Map<number, Entry>();
  #bytes = 0;
  #nextSeq = 1;
  #batches = false;
  #closed = false;

  constructor(budget: EventBudget, limits: Readonly<EventStoreLimits> = DEFAULT_EVENT_STORE_LIMITS) {
    this.#budget = budget;
    this.limits = { maxEvents: Math.max(1, limits.maxEvents), maxBytes: Math.max(0, Math.min(limits.maxBytes, budget.maxBytes)) };
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The session posted a batch of requests: one POST stream then carries several responses, so its first one no
   * longer means it is finished, and resumes of this session's streams are all left to the SDK transport.
   */
  noteBatch(): void {
    this.#batches = true;
  }

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    // A call finishing after its session closed must not pin bytes in the shared budget.
    if (this.#closed) return String(this.#nextSeq++);
    const text = isPriming(message) ? undefined : JSON.stringify(message);
    let bytes = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
    let data = text === undefined || bytes < SHARED_TEXT_BYTES ? text : Buffer.from(text, 'utf8');
    if (bytes > this.limits.maxBytes) {
      // Kept as a marker without its text: everything before it goes, so a resume from before it is refused
      // (its message would be missing) while one from its own id, which the client only has if it got it, works.
      while (this.#entries.size > 0) this.evictOldest();
      data = undefined;
      bytes = 0;
    }
    const seq = this.#nextSeq++;
    const order = this.#budget.add(this, bytes);
    this.#entries.set(seq, { seq, streamId, data, bytes, order, response: isResponse(message) });
    this.#bytes += bytes;
    while (this.#entries.size > this.limits.maxEvents || this.#bytes > this.limits.maxBytes) this.evictOldest();
    this.#budget.trim();
    return String(seq);
  }

  /** Drops this session's oldest event (called by this store's caps and by the shared budget). */
  evictOldest(): void {
    const first = this.#entries.values().next();
    if (first.done) return;
    const e = first.value;
    this.#entries.delete(e.seq);
    this.#bytes -= e.bytes;
    this.#budget.release(e.order, e.bytes);
  }

  /** The session closed: give its bytes back to the budget and keep nothing from now on. */
  close(): void {
    this.#closed = true;
    while (this.#entries.size > 0) this.evictOldest();
  }

  /** Pure lookup: the events after `lastEventId` on its stream, or why there are none to give. */
  resume(lastEventId: EventId): Resume {
    const seq = /^[1-9][0-9]{0,15}$/.test(lastEventId) ? Number(lastEventId) : Number.NaN;
    if (!Number.isSafeInteger(seq) || seq >= this.#nextSeq) return { kind: 'unknown' };
    const last = this.#entries.get(seq);
    // Eviction takes the oldest first, so while `last` is held every event after it is held too.
    if (!last) return { kind: 'evicted' };
    const events: ResumeEvent[] = [];
    let answered = last.response;
    for (const e of this.#entries.values()) {
      if (e.seq <= seq || e.streamId !== last.streamId || e.data === undefined) continue;
      // Not parsed here: a replay answered by serveHttp writes the stored bytes, so a resume of a 4 MiB result costs
      // no parse and no stringify (500 resumes of a 3.8 MB one blocked the event loop 17 s when each did both).
      const data = e.data;
      events.push({
        id: String(e.seq),
        data,
        bytes: e.bytes,
        response: e.response,
        get message() {
          return JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as JSONRPCMessage;
        },
      });
      answered ||= e.response;
    }
    return { kind: 'found', streamId: last.streamId, events, answered: answered && !this.#batches };
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const r = this.resume(eventId);
    return r.kind === 'found' ? r.streamId : undefined;
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const r = this.resume(lastEventId);
    // Unreachable through serveHttp, which answers unknown and evicted ids itself before the SDK transport asks.
    if (r.kind !== 'found') throw new Error(`Last-Event-ID ${lastEventId} is ${r.kind}`);
    for (const e of r.events) await send(e.id, e.message);
    return r.streamId;
  }
}
