// Opens the library for one CLI command (acting for the user) and closes it afterwards.
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';
import { openWassette, type Wassette } from '../core/wassette.js';
import { BUILTIN_NAMES } from '../mcp/builtins/list.js';

/** Command-line switches that override configuration (flags win over file and environment). */
export interface ConfigFlags {
  /** `--require-signatures`: every OCI load needs a verified signature unless a trust entry says `require: none`. */
  requireSignatures?: boolean;
  /** `--insecure-registry host[:port]` (repeatable): added to the configured insecure registries. */
  insecureRegistries?: readonly string[];
}

/** The configuration for a CLI command: defaults < config file < WASSETTE_* environment < flags. */
export function loadCliConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const base = loadConfig(env);
  const extra = flags.insecureRegistries ?? [];
  if (flags.requireSignatures !== true && extra.length === 0) return base;
  return loadConfig(env, {
    ...(flags.requireSignatures === true ? { requireSignatures: true } : {}),
    ...(extra.length > 0 ? { insecureRegistries: [...new Set([...base.insecureRegistries, ...extra])] } : {}),
  });
}

export async function withWassette<T>(
  fn: (w: Wassette, config: Readonly<Config>) => Promise<T>,
  opts: { restore?: boolean; flags?: ConfigFlags } = {},
): Promise<T> {
  const config = loadCliConfig(opts.flags);
  // CLI output is for people; keep routine library logs quiet unless asked for.
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const w = await openWassette(config, log, {
    warmOnLoad: false,
    reservedToolNames: BUILTIN_NAMES,
    ...(opts.restore !== undefined ? { restore: opts.restore } : {}),
  });
  try {
    return await fn(w, config);
  } finally {
    await w.close();
  }
}
