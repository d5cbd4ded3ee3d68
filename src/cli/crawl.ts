// `wassette crawl`: walks OCI registries into the local search index; a progress bar on a TTY, one summary line.
import { crawlTargets } from '../../registry-crawler/targets.js';
import { summaryLine } from '../../registry-crawler/crawl.js';
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = {
  '':
    'wassette crawl [--registry host[:port]]... [--repository prefix]... [--insecure-registry host[:port]]... [--json]' +
    '  (no --registry: the registries in config crawl.registries and the shipped default list)',
};
const USAGE = usageLine(HELP);

function progress(done: number, total: number, current: string): void {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${current}`.slice(0, (process.stderr.columns || 80) - 1);
  process.stderr.write(`\r\x1b[2K${line}`);
}

export async function run(argv: string[]): Promise<void> {
  const p = parse(
    argv,
    {
      registry: { type: 'string', multiple: true },
      repository: { type: 'string', multiple: true },
      'insecure-registry': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (p.positionals.length > 0) throw usageError(`unexpected argument "${p.positionals[0]}" (usage: ${USAGE})`);
  const started = Date.now();
  const tty = process.stderr.isTTY === true && p.values.json !== true;
  const summary = await withWassette(
    async (w, config) => {
      const targets = crawlTargets(
        { registries: (p.values.registry as string[] | undefined) ?? [], repositories: (p.values.repository as string[] | undefined) ?? [] },
        config.crawlRegistries,
      );
      if (targets.length === 0) throw usageError('nothing to crawl: no registry matches the given --repository prefixes');
      return w.crawl(targets, tty ? progress : undefined);
    },
    { restore: false, flags: { insecureRegistries: (p.values['insecure-registry'] as string[] | undefined) ?? [] } },
  );
  if (tty) process.stderr.write('\r\x1b[2K');
  if (p.values.json === true) return printJson(summary);
  printLine(summaryLine(summary, Date.now() - started));
  for (const f of summary.failed) process.stderr.write(`failed: ${f.what}: ${f.reason}\n`);
}
