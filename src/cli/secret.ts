// `wassette secret set|list|delete`: per-component secrets (environment values for granted keys); values are never printed.
import { ErrorCode, WassetteError } from '../errors.js';
import { normalizeEnvKey } from '../sandbox/grants.js';
import type { Wassette } from '../core/wassette.js';
import { withWassette } from './context.js';
import { claimSecrets, sameIdentity } from '../core/carry-over.js';
import { parse, printJson, printLine, requirePositional, usageError } from './io.js';

const USAGE = 'wassette secret set <id> KEY=VALUE|KEY... | list <id> | delete <id> KEY...   [--json]\n'
  + '  (a bare KEY in `set` takes its value from the same-named variable of this shell, keeping it out of the process list)';

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

function requireKnown(w: Wassette, id: string): { source: string; digest: string } {
  const record = w.store.components.get(id);
  if (!record) throw new WassetteError(ErrorCode.UnknownComponent, `no loaded component with id "${id}" (see wassette component list)`);
  return record;
}

/** Who the id's stored secrets belong to, and whether that is the component loaded under the id now. */
function ownerOf(w: Wassette, id: string): { source: string; digest: string; loaded: boolean } | undefined {
  const owner = w.store.secretOwners.get(id);
  if (!owner) return undefined;
  return { source: owner.source, digest: owner.digest, loaded: sameIdentity(owner, w.store.components.get(id)) };
}

/**
 * Secrets live in files, outside SQLite: an audit row is what moves the database's change counter,
 * so a running server rebuilds the component's sandbox (and sees the new value) on its next call.
 */
function record(w: Wassette, id: string, outcome: 'secret-set' | 'secret-deleted', keys: string[]): void {
  w.store.audit.append({ componentId: id, outcome, capability: 'environment', target: keys.join(','), detail: `${keys.length} secret(s) by user` });
  w.invalidateSpecs(id);
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
      const ungranted = await withWassette(async (w) => {
        const loaded = requireKnown(w, id);
        // Secrets left by other code under this id are deleted, never handed to this component.
        claimSecrets(w.store, w.secrets, id, loaded);
        w.secrets.set(id, values);
        record(w, id, 'secret-set', keys);
        const granted = new Set(w.permissions.effectivePolicy(id).environment.allow.map((r) => r.key));
        return keys.filter((k) => !granted.has(k));
      }, { restore: false });
      if (json) return printJson({ status: 'set', component_id: id, keys, ...(ungranted.length ? { ungranted } : {}) });
      printLine(`set ${keys.join(', ')} for ${id}`);
      // A secret alone is invisible to the component; say so rather than leave the user guessing.
      for (const k of ungranted) process.stderr.write(`note: ${id} sees ${k} only after: wassette permission grant environment ${id} ${k}\n`);
      return;
    }
    case 'list': {
      // Works after an unload too: secrets stay with the component they were given to.
      const { keys, owner } = await withWassette(async (w) => {
        const o = ownerOf(w, id);
        if (!o && !w.store.components.get(id) && w.secrets.list(id).length === 0) requireKnown(w, id);
        return { keys: w.secrets.list(id), owner: o };
      }, { restore: false });
      if (json) return printJson({ component_id: id, keys, ...(owner ? { owner } : {}) });
      if (keys.length === 0) return printLine(`no secrets for ${id}`);
      keys.forEach((k) => printLine(k));
      process.stderr.write(owner
        ? `note: these belong to ${owner.source} ${owner.digest}${owner.loaded ? '' : ' (not the component loaded under this id now; it does not see them)'}\n`
        : `note: these belong to no recorded component; no component sees them\n`);
      return;
    }
    case 'delete': {
      if (words.length === 0) throw usageError(`name the keys to delete (usage: ${USAGE})`);
      for (const k of words) normalizeEnvKey(k);
      const removed = await withWassette(async (w) => {
        if (!w.store.secretOwners.get(id) && w.secrets.list(id).length === 0) requireKnown(w, id);
        const gone = w.secrets.delete(id, words);
        if (gone.length > 0) record(w, id, 'secret-deleted', gone);
        return gone;
      }, { restore: false });
      const missing = words.filter((k) => !removed.includes(k));
      if (json) return printJson({ status: 'deleted', component_id: id, keys: removed, ...(missing.length ? { missing } : {}) });
      printLine(removed.length ? `deleted ${removed.join(', ')} from ${id}` : `nothing deleted`);
      for (const k of missing) process.stderr.write(`note: ${id} had no secret ${k}\n`);
      return;
    }
    default:
      throw usageError(`unknown subcommand "${sub ?? ''}" (usage: ${USAGE})`);
  }
}
