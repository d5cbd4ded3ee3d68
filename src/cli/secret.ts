// `wassette secret set|list|delete`: per-component secrets (environment values for granted keys); values are never printed.
import { normalizeEnvKey } from '../sandbox/grants.js';
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, requirePositional, usageError, usageLine } from './io.js';

export const HELP: CommandHelp = {
  set:
    'wassette secret set <id> KEY=VALUE|KEY... [--json]' +
    '  (a bare KEY takes its value from the same-named variable of this shell, keeping it out of the process list)',
  list: 'wassette secret list <id> [--json]',
  delete: 'wassette secret delete <id> KEY... [--json]',
};
const USAGE = usageLine(HELP);

/**
 * Parses `KEY=VALUE` words; a bare `KEY` reads `env[KEY]`. Only the first `=` splits, so values may
 * contain `=`. Errors name keys, never values.
 */
export function parseAssignments(words: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    normalizeEnvKey(key);
    let value: string | undefined;
    if (eq >= 0) value = word.slice(eq + 1);
    else {
      value = env[key];
      if (value === undefined) throw usageError(`secret ${key}: give it as ${key}=VALUE, or export ${key} in this shell first`);
    }
    out[key] = value;
  }
  return out;
}

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' } }, USAGE);
  const json = p.values.json === true;
  const id = requirePositional(p, 0, 'component id', USAGE);
  const words = p.positionals.slice(1);
  switch (sub) {
    case 'set': {
      if (words.length === 0) throw usageError(`missing KEY=VALUE (usage: ${USAGE})`);
      const values = parseAssignments(words, process.env);
      const keys = Object.keys(values).sort();
      const { ungranted } = await withWassette(async (w) => w.secrets.set(id, values), { restore: false });
      if (json) return printJson({ status: 'set', component_id: id, keys, ...(ungranted.length ? { ungranted } : {}) });
      printLine(`set ${keys.join(', ')} for ${id}`);
      // A secret alone is invisible to the component; say so rather than leave the user guessing.
      for (const k of ungranted) process.stderr.write(`note: ${id} sees ${k} only after: wassette permission grant environment ${id} ${k}\n`);
      return;
    }
    case 'list': {
      // Works after an unload too: secrets stay with the component they were given to.
      const { keys, owner } = await withWassette(async (w) => w.secrets.list(id), { restore: false });
      if (json) return printJson({ component_id: id, keys, ...(owner ? { owner } : {}) });
      if (keys.length === 0) return printLine(`no secrets for ${id}`);
      for (const k of keys) printLine(k);
      process.stderr.write(
        owner
          ? `note: these belong to ${owner.source} ${owner.digest}${owner.loaded ? '' : ' (not the component loaded under this id now; it does not see them)'}\n`
          : `note: these belong to no recorded component; no component sees them\n`,
      );
      return;
    }
    case 'delete': {
      if (words.length === 0) throw usageError(`name the keys to delete (usage: ${USAGE})`);
      const { removed, missing } = await withWassette(async (w) => w.secrets.delete(id, words), { restore: false });
      if (json) return printJson({ status: 'deleted', component_id: id, keys: removed, ...(missing.length ? { missing } : {}) });
      printLine(removed.length ? `deleted ${removed.join(', ')} from ${id}` : `nothing deleted`);
      for (const k of missing) process.stderr.write(`note: ${id} had no secret ${k}\n`);
      return;
    }
    default:
      throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  }
}
