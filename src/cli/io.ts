// Shared CLI plumbing: argument parsing, output helpers and the usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ErrorCode, WassetteError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
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

/** Renders rows as left-aligned columns. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  printLine(fmt(headers));
  for (const r of rows) printLine(fmt(r));
}
