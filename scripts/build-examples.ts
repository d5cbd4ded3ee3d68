// `npm run examples`: builds every working example into examples/build/<name>.wasm (cached by a hash of its files),
// and with --publish pushes each with `wassette publish` (description + policy layers), signed when --key is given.
//
// Usage: tsx scripts/build-examples.ts [--only name]... [--force] [--json]
//          [--publish oci://host[:port]/namespace [--key key.pem] [--insecure-registry host[:port]]...]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Example, exampleHash, listExamples } from './examples/catalog.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** Build scripts every example may use: a change to them rebuilds everything. */
const SHARED = [
  ...['componentize-js.ts', 'add-package-docs.ts', 'wit-docs.ts'].map((f) => join(ROOT, 'scripts', 'examples', f)),
  ...['attach-docs.mjs', 'reexport.mjs', 'wasm-sections.mjs', 'componentize-py.sh'].map((f) => join(ROOT, 'scripts', 'example-lib', f)),
  // Sourced or called by the Python, Go and Rust toolchains and build scripts (which wasm-tools, where it lives).
  ...['common.sh', 'wasm-tools.sh'].map((f) => join(ROOT, 'scripts', 'example-toolchains', f)),
  // Its version: a componentize-js upgrade must rebuild what it built.
  join(ROOT, 'node_modules', '@bytecodealliance', 'componentize-js', 'package.json'),
];
/** The target per example is 60 s; a build is killed only far beyond it, on a machine busy with other work. */
const TARGET_MS = 60_000;
const KILL_MS = 300_000;

export interface ExampleOutcome {
  name: string;
  language: string;
  status: 'built' | 'cached' | 'skipped' | 'failed';
  wasm?: string;
  bytes?: number;
  buildMs?: number;
  reference?: string;
  signed?: boolean;
  error?: string;
}

interface Run {
  code: number;
  output: string;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\nkilled after ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => (output += `\n${e.message}`));
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code: code ?? -1, output });
    });
  });
}

function lastLines(text: string, n = 12): string {
  return text.trim().split('\n').slice(-n).join('\n    ');
}

async function build(example: Example, buildDir: string, force: boolean): Promise<ExampleOutcome> {
  const base = { name: example.name, language: example.language };
  const wasm = join(buildDir, `${example.name}.wasm`);
  const hashFile = join(buildDir, `${example.name}.hash`);
  const hash = exampleHash(example, SHARED);
  if (!force && existsSync(wasm) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
    return { ...base, status: 'cached', wasm, bytes: readFileSync(wasm).length };
  }
  if (!existsSync(example.buildScript)) return { ...base, status: 'failed', error: `${example.buildScript} is missing` };
  // The toolchain installer is idempotent; a cache hit never reaches it, so a cached example needs no toolchain.
  if (example.toolchain !== undefined) {
    const tc = await run('bash', [example.toolchain], KILL_MS);
    if (tc.code !== 0) {
      const error = `toolchain ${example.toolchain.split('/').slice(-2).join('/')} exited with ${tc.code}:\n    ${lastLines(tc.output)}`;
      return { ...base, status: 'failed', error };
    }
  }
  // Build to a private name and rename: a concurrent reader never sees half a component.
  const tmp = join(buildDir, `.${example.name}.${process.pid}.wasm`);
  const started = performance.now();
  const r = await run('bash', [example.buildScript, tmp], KILL_MS);
  const buildMs = Math.round(performance.now() - started);
  if (r.code !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    return { ...base, status: 'failed', buildMs, error: `build.sh exited with ${r.code}:\n    ${lastLines(r.output)}` };
  }
  renameSync(tmp, wasm);
  writeFileSync(hashFile, hash);
  return { ...base, status: 'built', wasm, bytes: readFileSync(wasm).length, buildMs };
}

interface PublishOptions {
  target: string;
  key?: string;
  insecure: string[];
}

async function publish(example: Example, outcome: ExampleOutcome, opts: PublishOptions): Promise<ExampleOutcome> {
  const ref = `${opts.target.replace(/\/+$/, '')}/${example.name}:${example.version}`;
  const insecure = opts.insecure.flatMap((h) => ['--insecure-registry', h]);
  const policy = example.policy ? ['--policy', example.policy] : [];
  const pub = await run(process.execPath, [CLI, 'publish', outcome.wasm!, ref, ...policy, '--version', example.version, ...insecure, '--json'], 120_000);
  if (pub.code !== 0) return { ...outcome, status: 'failed', error: `wassette publish ${ref} failed:\n    ${lastLines(pub.output)}` };
  const reference = (JSON.parse(pub.output.slice(pub.output.indexOf('{'))) as { reference: string }).reference;
  if (opts.key === undefined) return { ...outcome, reference, signed: false };
  const sig = await run(process.execPath, [CLI, 'sign', reference, '--key', opts.key, ...insecure], 60_000);
  if (sig.code !== 0) return { ...outcome, reference, status: 'failed', error: `wassette sign ${reference} failed:\n    ${lastLines(sig.output)}` };
  return { ...outcome, reference, signed: true };
}

function describe(o: ExampleOutcome): string {
  const size = o.bytes === undefined ? '' : ` ${(o.bytes / 1e6).toFixed(1)} MB`;
  const time = o.buildMs === undefined ? '' : ` in ${(o.buildMs / 1000).toFixed(1)} s${o.buildMs > TARGET_MS ? ' (over the 60 s target)' : ''}`;
  const where = o.reference ? ` -> ${o.reference}${o.signed ? ' (signed)' : ''}` : '';
  if (o.status === 'failed') return `FAILED ${o.name} (${o.language}): ${o.error}`;
  if (o.status === 'skipped') return `skipped ${o.name} (${o.language}): ${o.error}`;
  return `${o.status} ${o.name} (${o.language})${size}${time}${where}`;
}

/** `root` is the checkout whose examples/ is built (a test points it at a temporary tree). */
export async function main(argv: string[], root = ROOT): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      publish: { type: 'string' },
      key: { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true },
    },
  });
  if (values.publish !== undefined && !/^oci:\/\/[^/]+\/[^:@]+$/.test(values.publish)) {
    throw new Error(`--publish takes oci://host[:port]/namespace, not "${values.publish}"`);
  }
  if (values.key !== undefined && values.publish === undefined) throw new Error('--key signs what --publish pushes: give --publish too');
  if (values.key !== undefined && !existsSync(values.key)) throw new Error(`signing key ${values.key} does not exist`);
  if (values.publish !== undefined && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);

  const all = listExamples(root);
  const buildDir = join(root, 'examples', 'build');
  const only = values.only ?? [];
  for (const n of only) if (!all.some((e) => e.name === n)) throw new Error(`no example named "${n}" (have: ${all.map((e) => e.name).join(', ')})`);
  const chosen = only.length > 0 ? all.filter((e) => only.includes(e.name)) : all;
  mkdirSync(buildDir, { recursive: true });

  const outcomes: ExampleOutcome[] = [];
  for (const example of chosen) {
    let o: ExampleOutcome;
    if (!example.works) {
      // Asking for it by name is asking for something that cannot be built: that is a failure, not a skip.
      o = { name: example.name, language: example.language, status: only.length > 0 ? 'failed' : 'skipped', error: `does not work here: ${example.why}` };
    } else {
      o = await build(example, buildDir, values.force === true);
      if (o.status !== 'failed' && values.publish !== undefined) {
        o = await publish(example, o, { target: values.publish, ...(values.key ? { key: values.key } : {}), insecure: values['insecure-registry'] ?? [] });
      }
    }
    outcomes.push(o);
    process.stderr.write(`${describe(o)}\n`);
  }
  if (values.json === true) process.stdout.write(`${JSON.stringify({ examples: outcomes }, null, 2)}\n`);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0) process.stderr.write(`${failed.length} example(s) failed: ${failed.map((o) => o.name).join(', ')}\n`);
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`examples: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
