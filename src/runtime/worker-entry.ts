// How to start an entry module of this folder (the component worker thread, the transpile child process):
// `<name>.js` next to this file in a compiled build, or `<name>.ts` behind tsx's loader when the sources run
// directly (vitest, tsx).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** First argument for `new Worker`: a file URL, or code when `evalCode` is true. */
  script: URL | string;
  evalCode: boolean;
}

export function workerEntry(here: string = import.meta.url, name = 'worker-main'): WorkerEntry {
  const js = new URL(`./${name}.js`, here);
  if (here.endsWith('.js') && existsSync(fileURLToPath(js))) return { script: js, evalCode: false };
  // `--import tsx` in a worker's execArgv is ignored on Node 20, so register tsx's hooks from
  // inside the worker before importing the TypeScript entry.
  const tsxApi = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const ts = new URL(`./${name}.ts`, here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return { script: code, evalCode: true };
}

/** `node` arguments that run entry module `name` of this folder in a child process. */
export function childEntryArgs(here: string = import.meta.url, name: string): string[] {
  const js = new URL(`./${name}.js`, here);
  if (here.endsWith('.js') && existsSync(fileURLToPath(js))) return [fileURLToPath(js)];
  // A child process (unlike a worker thread) honours `--import`.
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm')).href;
  return ['--import', tsx, fileURLToPath(new URL(`./${name}.ts`, here))];
}
