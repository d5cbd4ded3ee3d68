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

async function waitUntilUp(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${logs().slice(-2000)}`);
    try {
      const r = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200 || r.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url}/v2/ within 15 s: ${logs().slice(-2000)}`);
}

/** Starts `docker-registry serve` with filesystem storage in a temp dir; htpasswd auth when asked. */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  requireBinary('docker-registry', 'docker-registry');
  const dir = mkdtempSync(join(tmpdir(), 'wassette-registry-'));
  const storage = join(dir, 'storage');
  const port = await freePort();
  const host = '127.0.0.1';
  let authBlock = '';
  if (options.auth) {
    requireBinary('htpasswd', 'apache2-utils');
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
    const c = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = c;
    await waitUntilUp(url, c, () => output);
  };
  const halt = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 3000).unref();
    });
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
      await halt();
    },
  };
}

/** Stops the registry and deletes its storage. */
export async function destroyRegistry(r: RunningRegistry): Promise<void> {
  await r.stop();
  rmSync(join(r.storage, '..'), { recursive: true, force: true });
}
