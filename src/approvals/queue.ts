// The approval request queue over SQLite: wait for the user's decision (decided in any process), expire stale requests, describe them.
import { ErrorCode, isWassetteError, WassetteError } from '../errors.js';
import type { ApprovalRequest, ApprovalsTable } from '../store/approvals.js';
import { describeGrant, parseGrant } from '../sandbox/grants.js';
import { describeRecordedPolicy, type LoadPayload } from './load-request.js';
import { oneLine } from './one-line.js';
import { describeToolLoad, type ToolLoadPayload } from './tool-request.js';

/**
 * How long a request stays answerable. The server that asked watches it this long and then expires
 * it; a request older than this has nobody left to act on it (the server stopped or crashed), so
 * approving it later would do nothing (a load) or something nobody is waiting for (a grant).
 */
export const PENDING_TTL_MS = 15 * 60 * 1000;

export interface WaitOptions {
  /** Give up after this long; the request is then marked expired (unless decided in the meantime). */
  timeoutMs: number;
  /** How often to look at the database; the UI decides from another process, so there is no in-process event. */
  pollMs?: number;
  /** Stops waiting early; the request stays pending and is returned as is. */
  signal?: AbortSignal;
}

interface Waiter {
  id: string;
  settle(outcome: () => ApprovalRequest): void;
}

/**
 * The requests one store connection's waiters watch, looked up together: one query per poll however many wait (each
 * waiter polling on its own made 1,000 pending requests 4,000 reads a second).
 */
class Watch {
  readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly approvals: ApprovalsTable,
    private readonly pollMs: number,
    private readonly onIdle: () => void,
  ) {}

  add(w: Waiter): void {
    this.waiters.add(w);
    this.timer ??= setTimeout(() => this.tick(), this.pollMs);
  }

  remove(w: Waiter): void {
    this.waiters.delete(w);
    if (this.waiters.size > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.onIdle();
  }

  private tick(): void {
    this.timer = undefined;
    let status: Map<string, string> | undefined;
    let failure: unknown;
    try {
      status = this.approvals.statusOf([...new Set([...this.waiters].map((w) => w.id))]);
    } catch (e) {
      failure = e;
    }
    for (const w of [...this.waiters]) {
      if (failure !== undefined) {
        w.settle(() => {
          throw failure;
        });
        continue;
      }
      const s = status!.get(w.id);
      if (s === 'pending') continue;
      // Gone, or decided: read it whole (a decision is rare; the common poll reads statuses only).
      w.settle(() => current(this.approvals, w.id));
    }
    if (this.waiters.size > 0) this.timer = setTimeout(() => this.tick(), this.pollMs);
  }
}

const watches = new WeakMap<ApprovalsTable, Map<number, Watch>>();

function watchFor(approvals: ApprovalsTable, pollMs: number): Watch {
  const byPoll = watches.get(approvals) ?? new Map<number, Watch>();
  watches.set(approvals, byPoll);
  let w = byPoll.get(pollMs);
  if (!w) {
    w = new Watch(approvals, pollMs, () => byPoll.delete(pollMs));
    byPoll.set(pollMs, w);
  }
  return w;
}

function current(approvals: ApprovalsTable, id: string): ApprovalRequest {
  const req = approvals.get(id);
  if (!req) throw new WassetteError(ErrorCode.NotFound, `no approval request with id ${id}`);
  return req;
}

/**
 * Resolves with the request once it is no longer pending: approved, denied, or expired (by this
 * timeout or by someone else). Never rejects for a decision; callers branch on `status`.
 */
export function waitForDecision(approvals: ApprovalsTable, id: string, options: WaitOptions): Promise<ApprovalRequest> {
  const pollMs = Math.max(10, Math.floor(options.pollMs ?? 250));
  return new Promise<ApprovalRequest>((resolve, reject) => {
    let first: ApprovalRequest;
    try {
      first = current(approvals, id);
    } catch (e) {
      return reject(e);
    }
    if (first.status !== 'pending' || options.signal?.aborted) return resolve(first);
    if (options.timeoutMs <= 0) return resolve(expire(approvals, id));
    const watch = watchFor(approvals, pollMs);
    let deadline: NodeJS.Timeout | undefined;
    const onAbort = () => waiter.settle(() => current(approvals, id));
    const waiter: Waiter = {
      id,
      settle(outcome) {
        if (!watch.waiters.has(waiter)) return;
        watch.remove(waiter);
        clearTimeout(deadline);
        options.signal?.removeEventListener('abort', onAbort);
        try {
          resolve(outcome());
        } catch (e) {
          reject(e);
        }
      },
    };
    watch.add(waiter);
    deadline = setTimeout(() => waiter.settle(() => expire(approvals, id)), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Marks a request expired; if it was decided a moment earlier, returns that decision instead. */
export function expire(approvals: ApprovalsTable, id: string): ApprovalRequest {
  try {
    return approvals.decide(id, 'expired', 'system');
  } catch (e) {
    const now = approvals.get(id);
    if (isWassetteError(e, 'invalid-argument') && now) return now;
    throw e;
  }
}

/** Expires requests pending for longer than `maxAgeMs`; returns how many. Run at server start and periodically. */
export function expireStale(approvals: ApprovalsTable, maxAgeMs: number, now = Date.now()): number {
  return approvals.expireOlderThan(now - maxAgeMs, now);
}

function payloadField(payload: unknown, key: string): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const v = (payload as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/** One sentence a person can approve or deny from, for the elicitation prompt, the UI and `approvals list`. */
export function describeRequest(req: ApprovalRequest): string {
  const who = req.requestedBy;
  switch (req.kind) {
    case 'grant': {
      let what: string;
      try {
        const kind = payloadField(req.payload, 'kind') ?? '';
        what = describeGrant(parseGrant(kind, req.payload));
      } catch {
        what = `an invalid grant (${JSON.stringify(req.payload)})`;
      }
      const src = payloadField(req.payload, 'component_source');
      const dig = payloadField(req.payload, 'component_digest');
      return `${who} asks to give component ${req.componentId ?? '?'}${src || dig ? ` (source ${src ?? '?'}, digest ${dig ?? '?'})` : ''} ${what}`;
    }
    case 'load_component':
      return [
        `${who} asks to load the component ${oneLine(payloadField(req.payload, 'source') ?? payloadField(req.payload, 'path') ?? payloadField(req.payload, 'ref') ?? JSON.stringify(req.payload), 2000)}`,
        `digest ${payloadField(req.payload, 'digest') ?? 'not recorded'}`,
        describeRecordedPolicy((req.payload as LoadPayload | null)?.policy),
      ].join('\n');
    case 'load_tool': {
      const p = req.payload as ToolLoadPayload | null;
      if (!p || typeof p.source !== 'string' || !Array.isArray(p.tools) || !Array.isArray(p.permissions)) {
        const name = payloadField(req.payload, 'name');
        return `${who} asks to load ${name ? `the tool ${name} from ` : ''}${payloadField(req.payload, 'ref') ?? JSON.stringify(req.payload)}`;
      }
      return describeToolLoad(p, who);
    }
  }
}
