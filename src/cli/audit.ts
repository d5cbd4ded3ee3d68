// `wassette audit`: recorded calls, denials and permission changes, newest first.
import type { AuditEntry } from '../store/audit.js';
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, printTable, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = { '': 'wassette audit [--component <id>] [--outcome <ok|error|denied|timeout|granted|revoked|...>] [--limit <n>] [--json]' };
const USAGE = usageLine(HELP);

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw usageError(`--limit must be a whole number from 1 to 10000 (usage: ${USAGE})`);
  return n;
}

/** One table row; long details are cut so the table stays readable (use --json for everything). */
export function auditRow(e: AuditEntry): string[] {
  const detail = e.detail ?? '';
  return [
    new Date(e.ts).toISOString().replace('T', ' ').slice(0, 23),
    e.componentId ?? '-',
    e.tool ?? '-',
    e.outcome,
    e.capability ?? '',
    e.target ?? '',
    e.durationMs === null ? '' : `${e.durationMs.toFixed(1)}ms`,
    detail.length > 80 ? `${detail.slice(0, 79)}…` : detail,
  ];
}

export async function run(argv: string[]): Promise<void> {
  const p = parse(
    argv,
    {
      json: { type: 'boolean' },
      component: { type: 'string' },
      outcome: { type: 'string' },
      limit: { type: 'string' },
    },
    USAGE,
  );
  if (p.positionals.length > 0) throw usageError(`unexpected argument "${p.positionals[0]}" (usage: ${USAGE})`);
  const component = p.values.component as string | undefined;
  const outcome = p.values.outcome as string | undefined;
  const limit = limitOf(p.values.limit as string | undefined);
  const entries = await withWassette(
    async (w) =>
      w.auditLog({
        limit,
        ...(component !== undefined ? { componentId: component } : {}),
        ...(outcome !== undefined ? { outcome } : {}),
      }),
    { restore: false },
  );
  if (p.values.json === true) return printJson({ entries });
  if (entries.length === 0) return printLine('no audit entries');
  printTable(['TIME', 'COMPONENT', 'TOOL', 'OUTCOME', 'CAPABILITY', 'TARGET', 'DURATION', 'DETAIL'], entries.map(auditRow));
}
