// Starts `wassette serve --http` as a child process and waits for the line announcing its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT, childEnv } from './cli.js';

export interface ServingChild {
  child: ChildProcess;
  url: URL;
  /** Everything the server wrote to stderr (and stdout, which must stay empty) so far. */
  output(): string;
  /** SIGTERM, resolving with the exit code (at once when it already exited). */
  stop(): Promise<number | null>;
}

export async function spawnHttpServer(
  home: string,
  addr: string,
  extra: string[] = [],
  startMs = 40_000,
  env: Record<string, string> = {},
): Promise<ServingChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '--http', addr, ...extra], { env: childEnv(home, env), cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), startMs);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Streamable HTTP at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    child,
    url,
    output: () => out,
    stop: () => {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
