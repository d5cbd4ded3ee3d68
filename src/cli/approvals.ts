// `wassette approvals [list|approve|deny]`: the user decides requests agents made in prompt mode; with no
// subcommand on a terminal, the interactive UI (ui/), otherwise the list.
import { describeRequest } from '../approvals/queue.js';
import { describeRule } from '../approvals/trust-rules.js';
import type { ApprovalRequest } from '../store/approvals.js';
import { loadConfig } from '../config.js';
import { openStore } from '../store/db.js';
import { type CommandHelp, parse, printJson, printLine, printTable, requirePositional, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = {
  '': 'wassette approvals  (on a terminal: the interactive UI; otherwise the same as list)',
  list: 'wassette approvals list [--all] [--json]',
  approve: 'wassette approvals approve <request-id> [--trust | --session] [--json]',
  deny: 'wassette approvals deny <request-id> [--json]',
};
const USAGE = usageLine(HELP);

function view(r: ApprovalRequest): Record<string, unknown> {
  return { ...r, description: describeRequest(r) };
}

// The core (and everything it imports) loads on demand: the UI paints from the store before it is ready.
const withWassette: typeof import('./context.js').withWassette = async (fn, opts) => (await import('./context.js')).withWassette(fn, opts);

/**
 * The interactive UI, for as long as the user keeps it open. It paints from the store while the core (imported and
 * opened on one library for the UI's lifetime, restoring nothing first) starts beside it.
 */
async function interactive(): Promise<void> {
  // React's production build (chosen when it is first imported): the development one checks and warns on every render.
  process.env.NODE_ENV ??= 'production';
  const early = openStore(loadConfig().home);
  // The queue on screen before Ink and React are imported (the slow part of starting); Ink clears it.
  const { prePaint } = await import('../../ui/pre-paint.js');
  // Keys typed while Ink loads are kept (raw: no echo over the screen, no waiting for Enter) and handled once it runs.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const shown = early.approvals.listPending();
  process.stdout.write(prePaint(shown, process.stdout.columns ?? 80, process.stdout.rows ?? 24));
  const { importOutsideCi } = await import('../../ui/outside-ci.js');
  const [{ runApprovalsUi }, { createUiData }] = await importOutsideCi(() => Promise.all([import('../../ui/run.js'), import('../../ui/adapter.js')]));
  let coreReady!: (w: import('../core/wassette.js').Wassette) => void;
  let coreFailed!: (e: unknown) => void;
  const core = new Promise<import('../core/wassette.js').Wassette>((res, rej) => {
    coreReady = res;
    coreFailed = rej;
  });
  let quit!: () => void;
  const quitting = new Promise<void>((res) => {
    quit = res;
  });
  let opened: Promise<void> | undefined;
  const startCore = (): void => {
    opened ??= withWassette(
      async (w) => {
        coreReady(w);
        await quitting;
      },
      { restore: false },
    ).catch((e: unknown) => coreFailed(e));
  };
  // After the first paint, or after a second whatever happens.
  const fallback = setTimeout(startCore, 1000);
  try {
    await runApprovalsUi(createUiData(core, { early }), { onFirstPaint: startCore, alreadyShown: shown.map((r) => r.id) });
  } finally {
    clearTimeout(fallback);
    quit();
    await opened;
    early.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined && process.stdin.isTTY === true && process.stdout.isTTY === true) return interactive();
  // No subcommand (or only flags) off a terminal: the list.
  const sub = first === undefined || first.startsWith('-') ? 'list' : first;
  const args = sub === first ? rest : argv;
  const p = parse(args, { json: { type: 'boolean' }, all: { type: 'boolean' }, trust: { type: 'boolean' }, session: { type: 'boolean' } }, USAGE);
  const json = p.values.json === true;
  switch (sub) {
    case 'list': {
      const all = p.values.all === true;
      const list = await withWassette(async (w) => w.approvals.list({ all }), { restore: false });
      if (json) return printJson({ requests: list.map(view) });
      if (list.length === 0) return printLine(all ? 'no approval requests' : 'no pending approval requests');
      printTable(
        ['ID', 'STATUS', 'KIND', 'CREATED', 'REQUEST'],
        list.map((r) => [r.id, r.status, r.kind, new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' '), describeRequest(r)]),
      );
      return;
    }
    case 'approve':
    case 'deny': {
      const id = requirePositional(p, 0, 'request id', USAGE);
      const trust = p.values.trust === true;
      const session = p.values.session === true;
      if (sub === 'deny' && (trust || session)) throw usageError('--trust and --session go with approve');
      if (trust && session) throw usageError('--trust is for loads and --session for grants; give one');
      // Restore the loaded components: an approved load needs them to assign collision-free tool names.
      const out = await withWassette(async (w) =>
        w.approvals.decide(id, sub === 'approve', 'user (cli)', { ...(trust ? { trust } : {}), ...(session ? { scope: 'session' as const } : {}) }),
      );
      if (json) {
        return printJson({
          status: out.request.status,
          applied: out.applied,
          request: view(out.request),
          ...(out.note ? { note: out.note } : {}),
          ...(out.rule ? { rule: out.rule } : {}),
        });
      }
      printLine(
        `${out.request.status} ${id}${out.request.scope && out.request.scope !== 'once' ? ` (${out.request.scope})` : ''}: ${describeRequest(out.request)}`,
      );
      if (out.note) printLine(out.note);
      if (out.rule) printLine(`trust rule ${out.rule.id}: ${describeRule(out.rule)}`);
      return;
    }
    default:
      throw usageError(`unknown subcommand "${sub}" (usage: ${USAGE})`);
  }
}
