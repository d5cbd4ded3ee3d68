// Runs every `bench/*.bench.ts` module's `run(): Promise<string>` in turn and writes bench/RESULTS.md
// (machine, date, then each module's markdown section). `tsx bench/run.ts [name-filter...]` runs a
// subset and prints it without touching RESULTS.md.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
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

async function main(filters: string[]): Promise<number> {
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
  if (filters.length > 0) {
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
