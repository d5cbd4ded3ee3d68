// `wassette component load|list|unload`: the user manages loaded components (no approval needed).
import { type CommandHelp, parse, printJson, printLine, printTable, requirePositional, usageError, usageLine } from './io.js';
import { withWassette } from './context.js';

export const HELP: CommandHelp = {
  load: 'wassette component load <path|oci://…|https://…> [--policy policy.yaml] [--require-signatures] [--insecure-registry host[:port]]... [--json]',
  list: 'wassette component list [--json]',
  unload: 'wassette component unload <id> [--json]',
};
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(
    rest,
    {
      json: { type: 'boolean' },
      policy: { type: 'string' },
      'require-signatures': { type: 'boolean' },
      'insecure-registry': { type: 'string', multiple: true },
    },
    USAGE,
  );
  const json = p.values.json === true;
  switch (sub) {
    case 'load': {
      const path = requirePositional(p, 0, 'component path', USAGE);
      const policyFile = p.values.policy as string | undefined;
      const flags = {
        requireSignatures: p.values['require-signatures'] === true,
        insecureRegistries: (p.values['insecure-registry'] as string[] | undefined) ?? [],
      };
      const summary = await withWassette((w) => w.load(path, policyFile !== undefined ? { policyFile } : {}), { flags });
      if (json) return printJson(summary);
      printLine(`loaded ${summary.id} (${summary.digest}, signature: ${signatureCell(summary.verification)})`);
      for (const t of summary.tools) printLine(`  ${t}`);
      for (const warning of summary.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
      return;
    }
    case 'list': {
      const list = await withWassette(async (w) => w.list());
      if (json) return printJson({ components: list });
      if (list.length === 0) return printLine('no components loaded');
      printTable(
        ['ID', 'TOOLS', 'DIGEST', 'SIGNATURE', 'SOURCE'],
        list.map((c) => [c.id, c.status ?? String(c.tools.length), c.digest.slice(0, 19), signatureCell(c.verification), c.source]),
      );
      for (const c of list) if (c.error) process.stderr.write(`warning: ${c.id} is unavailable: ${c.error}\n`);
      return;
    }
    case 'unload': {
      const id = requirePositional(p, 0, 'component id', USAGE);
      await withWassette((w) => w.unload(id), { restore: true });
      return json ? printJson({ status: 'unloaded', id }) : printLine(`unloaded ${id}`);
    }
    default:
      throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  }
}

/** One short cell: `verified cosign sha256:ab12…`, `unsigned`, or `failed (kind)`. */
export function signatureCell(v: unknown): string {
  const o = (v ?? { status: 'unsigned' }) as { status?: string; method?: string; signer?: string; kind?: string };
  if (o.status === 'verified') {
    const signer = o.signer?.startsWith('sha256:') ? `${o.signer.slice(0, 19)}…` : (o.signer ?? '');
    return `verified ${o.method ?? ''} ${signer}`.replace(/\s+/g, ' ').trim();
  }
  if (o.status === 'failed') return `failed (${o.kind ?? 'unknown'})`;
  return o.status ?? 'unsigned';
}
