// Builds example components for tests: installs the example's toolchain (idempotent) and runs its build.sh into a
// cache keyed by the hash of everything the build reads. The one place a test builds an example; swap it for the
// examples framework's builder when that lands.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './cli.js';

const CACHE = join(ROOT, '.wassette-test', 'examples');
const SHARED_DIRS = [join(ROOT, 'scripts', 'example-lib'), join(ROOT, 'scripts', 'example-toolchains')];
const SKIP = new Set(['__pycache__', 'build', 'target', 'node_modules']);

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (SKIP.has(name)) return [];
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

function hashOf(exampleDir: string): string {
  const h = createHash('sha256');
  for (const f of [...files(exampleDir), ...SHARED_DIRS.flatMap(files)]) h.update(`${relative(ROOT, f)}\0`).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${output.trim()}`))));
  });
}

export interface BuiltExample {
  wasm: string;
  bytes: number;
  /** Wall time of build.sh, when this call built it (undefined on a cache hit). */
  buildMs?: number;
}

/** Builds examples/<name> (toolchain `language`) unless a build of the same sources is cached. */
export async function buildExample(name: string, language: string): Promise<BuiltExample> {
  const dir = join(ROOT, 'examples', name);
  const wasm = join(CACHE, `${name}-${hashOf(dir)}.wasm`);
  if (existsSync(wasm)) return { wasm, bytes: statSync(wasm).size };
  await run('bash', [join(ROOT, 'scripts', 'example-toolchains', `${language}.sh`)]);
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${wasm}.${process.pid}.tmp`;
  const started = performance.now();
  try {
    await run('bash', [join(dir, 'build.sh'), tmp]);
    renameSync(tmp, wasm);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { wasm, bytes: statSync(wasm).size, buildMs: Math.round(performance.now() - started) };
}
