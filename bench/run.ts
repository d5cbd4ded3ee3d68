// Runs every `bench/*.bench.ts` module's `run(): Promise<string>` in turn and writes bench/RESULTS.md
// (machine, date, then each module's markdown section). `tsx bench/run.ts [name-filter...]` runs a
// subset and prints it without touching RESULTS.md; with `--update` it replaces those sections in
// RESULTS.md instead (each stamped with its own machine and date), keeping the others.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const BENCH_DIR = import.meta.dirname;
const ROOT = resolve(BENCH_DIR, '..');

interface BenchModule {
  run(): Promise<string>;
}

export function machineSummary(date = new Date()): string {
  const cpu = cpus();
  return [
    `- date: ${date.toISOString()}`,
    `- cpu: ${cpu[0]?.model.trim() ?? 'unknown'} (${cpu.length} cores)`,
    `- memory: ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- node: ${process.version} (${process.platform} ${process.arch})`,
    // Other work on a 2-core box moves the numbers (thread hops most): record how busy it was.
    `- load average at start (1/5/15 min): ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}`,
  ].join('\n');
}

export function benchFiles(dir = BENCH_DIR, filters: string[] = []): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort()
    .map((f) => join(dir, f));
}

/** One line naming the machine and date, for a section run apart from the rest of RESULTS.md. */
export function machineLine(date = new Date()): string {
  const cpu = cpus();
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
  return `_Run ${date.toISOString()} on ${cpu[0]?.model.trim() ?? 'unknown'} (${cpu.length} cores), node ${process.version}, load average at start ${load}._`;
}

/**
 * Replaces each section of `doc` whose `## ` title matches one of `sections` (from its title to the next `## `),
 * appends the sections not found, and puts `stamp` under each new title.
 */
export function mergeSections(doc: string, sections: string[], stamp: string): string {
  let out = doc.trimEnd();
  for (const section of sections) {
    const [title, ...rest] = section.trimEnd().split('\n');
    const body = [title, '', stamp, ...rest].join('\n');
    const at = out.indexOf(`\n${title}\n`);
    if (at < 0) {
      out = `${out}\n\n${body}`;
      continue;
    }
    const next = out.indexOf('\n## ', at + 1 + title!.length);
    out = `${out.slice(0, at + 1)}${body}\n${next < 0 ? '' : `\n${out.slice(next + 1)}`}`.trimEnd();
  }
  return `${out.replace(/\n{3,}/g, '\n\n')}\n`;
}

async function runOne(file: string): Promise<string> {
  const name = basename(file, '.bench.ts');
  const started = performance.now();
  process.stderr.write(`bench ${name} ...\n`);
  try {
    const mod = (await import(pathToFileURL(file).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') throw new Error(`${basename(file)} does not export run(): Promise<string>`);
    const section = (await mod.run()).trimEnd();
    process.stderr.write(`bench ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return section;
  } catch (e) {
    // One failing benchmark must not hide the others' numbers.
    process.stderr.write(`bench ${name} FAILED: ${e instanceof Error ? e.stack : String(e)}\n`);
    return `## ${name}\n\nFAILED: ${e instanceof Error ? e.message : String(e)}`;
  }
}

async function main(args: string[]): Promise<number> {
  const update = args.includes('--update');
  const filters = args.filter((a) => a !== '--update');
  if (update && filters.length === 0) {
    process.stderr.write('--update needs at least one name filter (a full run rewrites RESULTS.md anyway)\n');
    return 1;
  }
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    process.stderr.write('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`\n');
    return 1;
  }
  const files = benchFiles(BENCH_DIR, filters);
  if (files.length === 0) {
    process.stderr.write(`no bench/*.bench.ts matches ${filters.join(' ')}\n`);
    return 1;
  }
  const started = new Date();
  const sections: string[] = [];
  for (const f of files) sections.push(await runOne(f));
  const doc = ['# Benchmark results', '', machineSummary(started), '', ...sections.flatMap((s) => [s, '']), ''].join('\n').replace(/\n{3,}/g, '\n\n');
  if (update) {
    const path = join(BENCH_DIR, 'RESULTS.md');
    const failed = sections.filter((s) => s.includes('\nFAILED: '));
    // A failed run does not replace a section's last good numbers.
    writeFileSync(
      path,
      mergeSections(
        readFileSync(path, 'utf8'),
        sections.filter((s) => !failed.includes(s)),
        machineLine(started),
      ),
    );
    process.stderr.write(`updated ${sections.length - failed.length} section(s) of ${join('bench', 'RESULTS.md')}\n`);
  } else if (filters.length > 0) {
    process.stdout.write(doc);
  } else {
    writeFileSync(join(BENCH_DIR, 'RESULTS.md'), doc);
    process.stderr.write(`wrote ${join('bench', 'RESULTS.md')}\n`);
  }
  return sections.some((s) => s.includes('\nFAILED: ')) ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    // Exit explicitly: a benchmark that leaves a handle open must not hang the run after the results are written.
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
