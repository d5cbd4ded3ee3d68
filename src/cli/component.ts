// `wassette component load|list|unload`: the user manages loaded components (no approval needed).
import { parse, printJson, printLine, printTable, requirePositional, usageError } from './io.js';
import { withWassette } from './context.js';

const USAGE = 'wassette component load <path|oci://…|https://…> [--policy policy.yaml] [--json] | list [--json] | unload <id> [--json]';

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' }, policy: { type: 'string' } }, USAGE);
  const json = p.values.json === true;
  switch (sub) {
    case 'load': {
      const path = requirePositional(p, 0, 'component path', USAGE);
      const policyFile = p.values.policy as string | undefined;
      const summary = await withWassette((w) => w.load(path, policyFile !== undefined ? { policyFile } : {}));
      if (json) return printJson(summary);
      printLine(`loaded ${summary.id} (${summary.digest})`);
      for (const t of summary.tools) printLine(`  ${t}`);
      for (const warning of summary.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
      return;
    }
    case 'list': {
      const list = await withWassette(async (w) => w.list());
      if (json) return printJson({ components: list });
      if (list.length === 0) return printLine('no components loaded');
      printTable(['ID', 'TOOLS', 'DIGEST', 'SOURCE'], list.map((c) => [c.id, String(c.tools.length), c.digest.slice(0, 19), c.source]));
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
