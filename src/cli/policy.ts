// `wassette policy get <id>`: a component's effective policy (starting policy + grants) and the rules it cannot enforce.
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, requirePositional, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = { get: 'wassette policy get <component-id> [--json | --yaml]' };
const USAGE = usageLine(HELP);

interface Unenforced {
  capability: string;
  list: string;
  reason: string;
}

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'get') throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  const p = parse(rest, { json: { type: 'boolean' }, yaml: { type: 'boolean' } }, USAGE);
  const id = requirePositional(p, 0, 'component id', USAGE);
  if (p.values.json === true && p.values.yaml === true) throw usageError(`--json and --yaml exclude each other (usage: ${USAGE})`);
  const view = await withWassette(async (w) => w.permissions.view(id));
  if (p.values.json === true) return printJson(view);
  const yaml = String(view.policy_yaml).trimEnd();
  if (p.values.yaml === true) return printLine(yaml);

  printLine(`# effective policy of ${id} (starting policy + grants)`);
  printLine(yaml);
  const grants = view.grants as unknown[];
  printLine();
  printLine(grants.length === 0 ? '# no grants beyond the starting policy' : `# ${grants.length} grant(s): ${grants.map((g) => JSON.stringify(g)).join(', ')}`);
  // Rules the sandbox cannot express go to stderr so `--yaml`-free output stays a policy plus comments.
  for (const u of (view.unenforced as Unenforced[] | undefined) ?? []) {
    process.stderr.write(`warning: ${u.capability} ${u.list} rule not enforced: ${u.reason}\n`);
  }
}
