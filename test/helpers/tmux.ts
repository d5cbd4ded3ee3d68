// Drives a real terminal: a program in a tmux session on a private tmux server (its own socket, killed at the end),
// with keys sent and the screen read back as text (Debian's tmux: send-keys, capture-pane).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TMUX = '/usr/bin/tmux';

/** Quotes one word for the shell tmux runs the command with. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function commandLine(argv: string[], env: Record<string, string>): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${sh(v)}`);
  return `env ${vars.join(' ')} ${argv.map(sh).join(' ')}; echo "[exited $?]"; sleep 600`;
}

export class TmuxSession {
  readonly socket = `wassette-test-${randomUUID().slice(0, 8)}`;
  readonly name = 'ui';

  async #tmux(...args: string[]): Promise<string> {
    return (await run(TMUX, ['-L', this.socket, '-f', '/dev/null', ...args])).stdout;
  }

  /** Starts `argv` in a `columns` x `rows` terminal; when it exits, the pane says `[exited <code>]` and stays. */
  async start(argv: string[], opts: { env: Record<string, string>; columns?: number; rows?: number; cwd?: string }): Promise<void> {
    const size = ['-x', String(opts.columns ?? 80), '-y', String(opts.rows ?? 24)];
    await this.#tmux('new-session', '-d', '-s', this.name, ...size, ...(opts.cwd ? ['-c', opts.cwd] : []), commandLine(argv, opts.env));
  }

  /** Replaces whatever runs in the pane with `argv` (the tmux server and terminal stay). */
  async respawn(argv: string[], opts: { env: Record<string, string>; cwd?: string }): Promise<void> {
    await this.#tmux('respawn-pane', '-k', '-t', this.name, ...(opts.cwd ? ['-c', opts.cwd] : []), commandLine(argv, opts.env));
  }

  /** The visible screen as text. */
  capture(): Promise<string> {
    return this.#tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Sends keys as tmux names them (`a`, `Enter`, `Down`, `Escape`). */
  async send(...keys: string[]): Promise<void> {
    await this.#tmux('send-keys', '-t', this.name, ...keys);
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.#tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** Whether a bell rang in the window since the flag was last cleared. */
  async bell(): Promise<boolean> {
    return (await this.#tmux('display-message', '-p', '-t', this.name, '#{window_bell_flag}')).trim() === '1';
  }

  /** Polls the screen every `intervalMs` until `pred` holds; returns that screen or throws with the last one seen. */
  async waitFor(pred: (screen: string) => boolean, timeoutMs = 20_000, what = 'the expected screen', intervalMs = 100): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.capture();
      if (pred(screen)) return screen;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${screen}`);
  }

  /** Kills this test's tmux server (and the program in it). */
  async kill(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined);
  }
}
