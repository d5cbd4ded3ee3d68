// Starts the approvals UI on the terminal (never on a stdio server's stdout: only `wassette approvals` calls this).
import { render } from 'ink';
import { App } from './app.js';
import type { UiData } from './types.js';

export interface RunOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  pollMs?: number;
}

/** Runs the UI in the terminal's alternate screen until the user quits. */
export async function runApprovalsUi(data: UiData, opts: RunOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  stdout.write('\x1b[?1049h\x1b[H');
  try {
    const app = render(<App data={data} bell={() => stdout.write('\x07')} {...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {})} />, {
      stdout,
      stdin,
      exitOnCtrlC: true,
      patchConsole: true,
    });
    await app.waitUntilExit();
  } finally {
    stdout.write('\x1b[?1049l');
  }
}
