// `wassette trust list|add|revoke`: the trust rules that let later loads from a publisher skip the prompt.
import { describeRule, type TrustRule } from '../approvals/trust-rules.js';
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, printTable, requirePositional, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = {
  list: 'wassette trust list [--json]',
  add:
    'wassette trust add oci://<host[:port]>/<repository-prefix> [--signer <fingerprint|subject>] ' +
    '[--max-permission <permission>]... [--no-permissions] [--json]  (without --max-permission or --no-permissions: any permissions)',
  revoke: 'wassette trust revoke <rule-id> [--json]',
};
const USAGE = usageLine(HELP);

function row(r: TrustRule): string[] {
  return [r.id, r.origin, r.createdBy, new Date(r.createdAt).toISOString().slice(0, 19).replace('T', ' '), describeRule(r)];
}

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(
    rest,
    {
      json: { type: 'boolean' },
      signer: { type: 'string' },
      'max-permission': { type: 'string', multiple: true },
      'no-permissions': { type: 'boolean' },
    },
    USAGE,
  );
  const json = p.values.json === true;
  switch (sub) {
    case 'list': {
      const rules = await withWassette(async (w) => w.trust.list(), { restore: false });
      if (json) return printJson({ rules: rules.map((r) => ({ ...r, description: describeRule(r) })) });
      if (rules.length === 0) return printLine('no trust rules');
      printTable(['ID', 'ORIGIN', 'BY', 'CREATED', 'RULE'], rules.map(row));
      return;
    }
    case 'add': {
      const place = requirePositional(p, 0, 'oci://host/repository-prefix', USAGE);
      const max = p.values['max-permission'] as string[] | undefined;
      const none = p.values['no-permissions'] === true;
      if (none && max !== undefined) throw usageError('--no-permissions and --max-permission exclude each other');
      const signer = p.values.signer as string | undefined;
      const rule = await withWassette(async (w) => w.trust.add({ place, signer: signer ?? null, maxPermissions: none ? [] : (max ?? null) }, 'user (cli)'), {
        restore: false,
      });
      if (json) return printJson({ status: 'added', rule: { ...rule, description: describeRule(rule) } });
      printLine(`added trust rule ${rule.id}: ${describeRule(rule)}`);
      if (rule.signer === null)
        process.stderr.write('note: this rule pins no signer; --signer makes a later unsigned or differently signed artifact ask again\n');
      return;
    }
    case 'revoke': {
      const id = requirePositional(p, 0, 'rule id', USAGE);
      const rule = await withWassette(async (w) => w.trust.revoke(id, 'user (cli)'), { restore: false });
      if (json) return printJson({ status: 'revoked', rule });
      printLine(`revoked trust rule ${id}: ${describeRule(rule)}`);
      return;
    }
    default:
      throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  }
}
