// `--help` for commands and subcommands, and the usage printed when a subcommand is missing.
import type { CommandHelp } from './io.js';

/** `-h`/`--help` anywhere before a `--` asks for help, whatever else the line says. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** True when the command needs a subcommand and the line names none (only flags, or nothing). */
export function missingSubcommand(help: CommandHelp, argv: readonly string[]): boolean {
  const first = argv[0];
  return !('' in help) && (first === undefined || first.startsWith('-'));
}

/**
 * The usage lines for `wassette <command> [sub] --help`: the subcommand's line when `sub` names one,
 * else every line of the command.
 */
export function usageText(help: CommandHelp, sub: string | undefined): string {
  const one = sub !== undefined && sub !== '' ? help[sub] : undefined;
  const lines = one !== undefined ? [one] : Object.values(help);
  return lines.map((l, i) => `${i === 0 ? 'usage: ' : '       '}${l}`).join('\n');
}
