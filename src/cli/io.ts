// Shared CLI plumbing: argument parsing, output helpers and the usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ErrorCode, WassetteError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * A command's usage: one line per subcommand, keyed by its name; the key '' is the command run with
 * no subcommand (a command without '' requires one). `--help` prints these (see help.ts).
 */
export type CommandHelp = Readonly<Record<string, string>>;

/** All of a command's usage lines as one line, for usage errors. */
export function usageLine(help: CommandHelp): string {
  return Object.values(help).join(' | ');
}

export function parse(argv: string[], options: Options, usage: string): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    throw usageError(`${(e as Error).message.split('\n')[0]} (usage: ${usage})`);
  }
}

export function usageError(message: string): WassetteError {
  return new WassetteError(ErrorCode.InvalidArgument, message, { data: { usage: true } });
}

export function requirePositional(p: Parsed, index: number, what: string, usage: string): string {
  const v = p.positionals[index];
  if (v === undefined) throw usageError(`missing ${what} (usage: ${usage})`);
  return v;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Renders rows as left-aligned columns; a cell of several lines continues under itself, in its column. */
export function printTable(headers: string[], rows: string[][]): void {
  const split = rows.map((r) => r.map((c) => c.split('\n')));
  const widths = headers.map((h, i) => Math.max(h.length, ...split.flatMap((r) => (r[i] ?? ['']).map((l) => l.length))));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  printLine(fmt(headers));
  for (const r of split) {
    const height = Math.max(1, ...r.map((c) => c.length));
    for (let k = 0; k < height; k++) printLine(fmt(r.map((c) => c[k] ?? '')));
  }
}
