// `wassette approvals list|approve|deny`: the user decides requests agents made in prompt mode.
import { PENDING_TTL_MS, describeRequest, expireStale } from '../approvals/queue.js';
import { errorMessage } from '../errors.js';
import type { ApprovalRequest } from '../store/approvals.js';
import type { Wassette } from '../core/wassette.js';
import { withWassette } from './context.js';
import { completeApprovedLoad } from '../core/approved-loads.js';
import { parse, printJson, printLine, printTable, requirePositional, usageError } from './io.js';

const USAGE = 'wassette approvals [list [--all] [--json]] | approve <request-id> [--json] | deny <request-id> [--json]';

export interface DecideResult {
  request: ApprovalRequest;
  /** For grants: whether the grant is now in effect. Loads are finished by the server waiting on them. */
  applied: boolean;
  note?: string;
}

/**
 * Records the user's decision and carries it out here, exactly once even if the waiting server gets
 * there too, so it holds when no server is running: an approved grant is applied, an approved load is
 * fetched again by its pinned source, checked against the approved digest and registered (a running
 * server picks it up and announces the new tools).
 */
export async function decideRequest(w: Wassette, id: string, approve: boolean): Promise<DecideResult> {
  // A request left behind by a server that stopped can no longer be carried out: refuse it as expired.
  expireStale(w.store.approvals, PENDING_TTL_MS);
  const request = w.store.approvals.decide(id, approve ? 'approved' : 'denied', 'user (cli)');
  if (!approve) return { request, applied: false };
  if (request.kind !== 'grant') {
    try {
      const loaded = await completeApprovedLoad(w, request);
      const after = w.store.approvals.get(id) ?? request;
      if (!loaded) return { request: after, applied: true, note: 'the server that asked loaded the component' };
      return { request: after, applied: true, note: `loaded ${loaded.id}: ${loaded.tools.join(', ')}` };
    } catch (e) {
      return { request, applied: false, note: `approved, but the component could not be loaded: ${errorMessage(e)}` };
    }
  }
  try {
    w.permissions.applyApproved(id);
    if (request.componentId) w.invalidateSpecs(request.componentId);
    return { request: w.store.approvals.get(id) ?? request, applied: true };
  } catch (e) {
    // e.g. the component was unloaded meanwhile: the decision stands, the grant has nothing to attach to.
    return { request, applied: false, note: `approved, but the grant could not be applied: ${errorMessage(e)}` };
  }
}

function view(r: ApprovalRequest): Record<string, unknown> {
  return { ...r, description: describeRequest(r) };
}

export async function run(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  // No subcommand (or only flags): the list; the interactive UI comes later.
  const sub = first === undefined || first.startsWith('-') ? 'list' : first;
  const args = sub === first ? rest : argv;
  const p = parse(args, { json: { type: 'boolean' }, all: { type: 'boolean' } }, USAGE);
  const json = p.values.json === true;
  switch (sub) {
    case 'list': {
      const all = p.values.all === true;
      const list = await withWassette(async (w) => {
        expireStale(w.store.approvals, PENDING_TTL_MS);
        return all ? w.store.approvals.list() : w.store.approvals.listPending();
      }, { restore: false });
      if (json) return printJson({ requests: list.map(view) });
      if (list.length === 0) return printLine(all ? 'no approval requests' : 'no pending approval requests');
      printTable(['ID', 'STATUS', 'KIND', 'CREATED', 'REQUEST'], list.map((r) => [
        r.id, r.status, r.kind, new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' '), describeRequest(r),
      ]));
      return;
    }
    case 'approve':
    case 'deny': {
      const id = requirePositional(p, 0, 'request id', USAGE);
      // Restore the loaded components: an approved load needs them to assign collision-free tool names.
      const out = await withWassette(async (w) => decideRequest(w, id, sub === 'approve'));
      if (json) return printJson({ status: out.request.status, applied: out.applied, request: view(out.request), ...(out.note ? { note: out.note } : {}) });
      printLine(`${out.request.status} ${id}: ${describeRequest(out.request)}`);
      if (out.note) printLine(out.note);
      return;
    }
    default:
      throw usageError(`unknown subcommand "${sub}" (usage: ${USAGE})`);
  }
}
