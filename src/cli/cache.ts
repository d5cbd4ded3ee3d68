// `wassette cache prune`: deletes cached blobs and transpiled code that no loaded component needs.
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = { prune: 'wassette cache prune [--json]' };
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' } }, USAGE);
  if (sub !== 'prune') throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  const report = await withWassette(async (w) => w.pruneCaches(), { restore: false });
  if (p.values.json === true) return printJson(report);
  printLine(`blobs: removed ${report.blobs.removed} (${mib(report.blobs.freedBytes)}), kept ${report.blobs.kept}`);
  printLine(`transpiled: removed ${report.transpiled.removed} (${mib(report.transpiled.freedBytes)}), kept ${report.transpiled.kept}`);
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
