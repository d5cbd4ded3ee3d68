// `wassette index import <tools-list.json>...`: makes the tools of ordinary MCP servers searchable beside components.
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = {
  import: 'wassette index import <tools-list.json>... [--json]  (MCP tools/list results; re-importing a file replaces its tools)',
};
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  const p = parse(rest, { json: { type: 'boolean' } }, USAGE);
  if (p.positionals.length === 0) throw usageError(`name at least one tools/list JSON file (usage: ${USAGE})`);
  const imported = await withWassette(async (w) => w.importToolsLists(p.positionals), { restore: false });
  if (p.values.json === true) return printJson({ imported });
  for (const i of imported) printLine(`imported ${i.tools} tools from ${i.source}`);
}
