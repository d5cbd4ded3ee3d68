// Starts the approvals UI on the terminal (never on a stdio server's stdout: only `wassette approvals` calls this).
import { render } from 'ink';
import { App } from './app.js';
import type { UiData } from './types.js';

export interface RunOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  pollMs?: number;
  /** Called once, after the first snapshot is on the screen (so slower work can start without delaying it). */
  onFirstPaint?: () => void;
  /** Request ids already on the screen before the UI started (the pre-paint); newer ones ring the bell. */
  alreadyShown?: readonly string[];
}

/** Runs the UI in the terminal's alternate screen until the user quits. */
export async function runApprovalsUi(data: UiData, opts: RunOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  stdout.write('\x1b[?1049h\x1b[H\x1b[2J');
  try {
    let painted = false;
    const onSnapshot = () => {
      if (painted) return;
      painted = true;
      // Ink flushes a frame at most every ~33 ms: let the first one out before the callback's work starts.
      setTimeout(() => opts.onFirstPaint?.(), 50);
    };
    const poll = opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {};
    const shown = opts.alreadyShown ? { alreadyShown: opts.alreadyShown } : {};
    const app = render(<App data={data} bell={() => stdout.write('\x07')} onSnapshot={onSnapshot} {...poll} {...shown} />, {
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
