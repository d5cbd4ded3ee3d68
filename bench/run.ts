// Runs every `bench/*.bench.ts` module's `run(): Promise<string>` in turn and writes bench/RESULTS.md
// (machine, date, then each module's markdown section). `tsx bench/run.ts [name-filter...]` runs a
// subset and prints it without touching RESULTS.md; `--write` with filters replaces just those sections in it.
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

/**
 * RESULTS.md with each of `sections` put in place of the section that has the same `## ` title (else appended),
 * each stamped with the machine and date of its own run, since the file's header describes another run.
 */
export function replaceSections(doc: string, sections: string[], machine: string): string {
  let out = doc.trimEnd();
  for (const section of sections) {
    const title = section.split('\n', 1)[0]!;
    const stamped = `${title}\n\n_Run on its own with \`bench/run.ts --write\`:_\n${machine}\n${section.slice(title.length)}`.trimEnd();
    const start = out.startsWith(`${title}\n`) ? 0 : out.indexOf(`\n${title}\n`) + 1;
    if (start <= 0 && !out.startsWith(`${title}\n`)) {
      out = `${out}\n\n${stamped}`;
      continue;
    }
    const next = out.indexOf('\n## ', start + title.length);
    out = `${out.slice(0, start)}${stamped}${next === -1 ? '' : `\n${out.slice(next)}`}`;
  }
  return `${out.replace(/\n{3,}/g, '\n\n')}\n`;
}

async function main(args: string[]): Promise<number> {
  const write = args.includes('--write');
  const filters = args.filter((a) => a !== '--write');
  if (write && filters.length === 0) {
    process.stderr.write('--write needs name filters (without filters every section is written anyway)\n');
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
  if (write) {
    const file = join(BENCH_DIR, 'RESULTS.md');
    writeFileSync(file, replaceSections(existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n', sections, machineSummary(started)));
    process.stderr.write(`updated ${sections.length} section(s) of ${join('bench', 'RESULTS.md')}\n`);
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
