// Test harness: a real `docker-registry` (distribution 2.x) on a free loopback port with temp storage.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRegistry {
  host: string;
  port: number;
  /** `127.0.0.1:<port>`: what goes into `oci://` references. */
  registry: string;
  url: string;
  /** Storage directory; kept across `stop()`/`restart()` so content survives. */
  storage: string;
  stop(): Promise<void>;
  /** Starts the registry again on the same port and storage after `stop()`. */
  restart(): Promise<void>;
}

export interface RegistryOptions {
  auth?: { user: string; password: string };
  /** How long to wait for `/v2/` to answer; default 15 s. */
  startTimeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function requireBinary(name: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
  } catch {
    // Fail, never skip: a silently skipped registry suite hides real regressions.
    throw new Error(`${name} is not installed; run: apt-get install -y ${pkg}`);
  }
}

async function waitUntilUp(url: string, child: ChildProcess, logs: () => string, timeoutMs: number, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failed = spawnError();
    if (failed) throw new Error(`docker-registry could not be started: ${failed.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited with ${child.exitCode ?? child.signalCode} before answering on ${url}/v2/: ${logs().slice(-2000)}`);
    }
    try {
      const r = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200 || r.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}/v2/ within ${Math.round(timeoutMs / 1000)} s: ${logs().slice(-2000)}`);
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone (at once when it never ran). */
async function halt(c: ChildProcess | undefined): Promise<void> {
  if (!c || c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 3000).unref();
  });
}

/**
 * Starts `docker-registry serve` with filesystem storage in a temp dir; htpasswd auth when asked.
 * When the first start fails, the process is stopped and the temp dir removed before the one error
 * is thrown, so a broken setup leaves nothing behind.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  requireBinary('docker-registry', 'docker-registry');
  if (options.auth) requireBinary('htpasswd', 'apache2-utils');
  const dir = mkdtempSync(join(tmpdir(), 'wassette-registry-'));
  try {
    return await startIn(dir, options);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function startIn(dir: string, options: RegistryOptions): Promise<RunningRegistry> {
  const storage = join(dir, 'storage');
  const port = await freePort();
  const host = '127.0.0.1';
  let authBlock = '';
  if (options.auth) {
    const line = execFileSync('htpasswd', ['-Bbn', options.auth.user, options.auth.password], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), line);
    authBlock = `auth:\n  htpasswd:\n    realm: wassette-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}:${port}`,
    authBlock,
  ].join('\n');
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, config);
  const url = `http://${host}:${port}`;

  let child: ChildProcess | undefined;
  let output = '';
  const launch = async (): Promise<void> => {
    output = '';
    let spawnError: Error | undefined;
    const c = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.on('error', (e) => (spawnError = e));
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = c;
    try {
      await waitUntilUp(
        url,
        c,
        () => output,
        options.startTimeoutMs ?? 15_000,
        () => spawnError,
      );
    } catch (e) {
      child = undefined;
      await halt(c);
      throw e;
    }
  };
  await launch();
  return {
    host,
    port,
    registry: `${host}:${port}`,
    url,
    storage,
    restart: launch,
    stop: async () => {
      const c = child;
      child = undefined;
      await halt(c);
    },
  };
}

/** Stops the registry and deletes its storage; nothing to do when it never started (its setup already failed). */
export async function destroyRegistry(r: RunningRegistry | undefined): Promise<void> {
  if (!r) return;
  await r.stop();
  rmSync(join(r.storage, '..'), { recursive: true, force: true });
}
