// Lets one benchmark module run on its own (`tsx bench/x.bench.ts`) and print its section.
import { pathToFileURL } from 'node:url';

export function runStandalone(moduleUrl: string, run: () => Promise<string>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  run().then(
    (md) => process.stdout.write(md),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
