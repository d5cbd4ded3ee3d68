// `wassette search <query>`: the same ranked results `search_tools` gives an agent.
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, printTable, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = { '': 'wassette search <what you need, in words> [--limit n] [--json]' };
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const p = parse(argv, { limit: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const query = p.positionals.join(' ');
  if (query.trim() === '') throw usageError(`say what you need (usage: ${USAGE})`);
  const limitText = p.values.limit as string | undefined;
  const limit = limitText === undefined ? 5 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw usageError(`--limit must be an integer from 1 to 50, not "${limitText}"`);
  const found = await withWassette(async (w) => w.searchTools(query, limit));
  if (p.values.json === true) return printJson(found);
  if (found.results.length === 0) return printLine('no tools found (run wassette crawl to fill the index)');
  printTable(
    ['SCORE', 'TOOL', 'LOADED', 'REF', 'DESCRIPTION'],
    found.results.map((r) => [r.score.toFixed(3), r.name, r.loaded ? 'yes' : '', r.ref, r.description.split('\n')[0]!.slice(0, 80)]),
  );
  if (found.ranking !== 'hybrid') process.stderr.write(`note: ${found.ranking} ranking (no embedding model)\n`);
}
