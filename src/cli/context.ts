// Opens the library for one CLI command (acting for the user) and closes it afterwards.
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';
import { openWassette, type Wassette } from '../server/wassette.js';

export async function withWassette<T>(fn: (w: Wassette, config: Readonly<Config>) => Promise<T>, opts: { restore?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  // CLI output is for people; keep routine library logs quiet unless asked for.
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const w = await openWassette(config, log, opts);
  try {
    return await fn(w, config);
  } finally {
    await w.close();
  }
}
