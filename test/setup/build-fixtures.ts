// Builds every fixture component from source into fixtures/build/: WAT components with the
// component-text parser, JS components with componentize-js. Skips outputs whose sources did not change.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(root, 'fixtures');
export const buildDir = join(fixturesDir, 'build');

function hashFiles(paths: string[]): string {
  const h = createHash('sha256');
  for (const p of paths.sort()) h.update(p).update(readFileSync(p));
  return h.digest('hex');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** Atomic write, so concurrent test runs never read half a component. */
function writeOutput(out: string, bytes: Uint8Array, hash: string): void {
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
  writeFileSync(`${out}.hash`, hash);
}

const failures: string[] = [];

async function attempt(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    failures.push(`${name}: ${(e as Error).message}`);
  }
}

function upToDate(out: string, hash: string): boolean {
  return existsSync(out) && existsSync(`${out}.hash`) && readFileSync(`${out}.hash`, 'utf8') === hash;
}

async function buildWat(): Promise<string[]> {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const dir = join(fixturesDir, 'wat');
  const built: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.wat'))) {
    const src = join(dir, name);
    const out = join(buildDir, name.replace(/\.wat$/, '.wasm'));
    const hash = hashFiles([src]);
    if (upToDate(out, hash)) continue;
    await attempt(name, async () => {
      writeOutput(out, await parse(readFileSync(src, 'utf8')), hash);
      built.push(out);
    });
  }
  return built;
}

/** Each fixtures/js/<name>/ holds component.js and wit/ (world selected by an optional world.txt). */
async function buildJs(): Promise<string[]> {
  const dir = join(fixturesDir, 'js');
  const names = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'component.js')));
  const built: string[] = [];
  for (const name of names) {
    const src = join(dir, name);
    const out = join(buildDir, `${name}.wasm`);
    const hash = hashFiles(listFiles(src));
    if (upToDate(out, hash)) continue;
    // componentize-js reads WIT through preview2-shim, which grants no filesystem by default.
    const fs = await import('@bytecodealliance/preview2-shim/filesystem');
    (fs as unknown as { _setPreopens(p: Record<string, string>): void })._setPreopens({ '/': '/' });
    const { componentize } = await import('@bytecodealliance/componentize-js');
    const worldFile = join(src, 'world.txt');
    const opts: Record<string, unknown> = {
      sourcePath: join(src, 'component.js'),
      witPath: join(src, 'wit'),
      disableFeatures: [],
    };
    if (existsSync(worldFile)) opts.worldName = readFileSync(worldFile, 'utf8').trim();
    const featuresFile = join(src, 'features.txt');
    if (existsSync(featuresFile)) {
      const enabled = readFileSync(featuresFile, 'utf8').split(/\s+/).filter(Boolean);
      opts.disableFeatures = ['stdio', 'random', 'clocks', 'http', 'fetch-event'].filter((f) => !enabled.includes(f));
    }
    await attempt(name, async () => {
      const { component } = await componentize(opts as never);
      writeOutput(out, component, hash);
      built.push(out);
    });
  }
  return built;
}

export async function buildFixtures(): Promise<void> {
  mkdirSync(buildDir, { recursive: true });
  const built = [...(await buildWat()), ...(await buildJs())];
  if (built.length > 0) process.stderr.write(`built ${built.length} fixture component(s)\n`);
  if (failures.length > 0) {
    const msg = `fixture build failed:\n  ${failures.join('\n  ')}`;
    // During parallel development one broken fixture should not stop unrelated test runs.
    if (process.env.FIXTURE_BUILD_WARN_ONLY === '1') process.stderr.write(`${msg}\n`);
    else throw new Error(msg);
  }
}

/** vitest globalSetup entry. */
export default async function setup(): Promise<void> {
  await buildFixtures();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildFixtures();
}
