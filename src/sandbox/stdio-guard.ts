// wasi:cli for one instance: captured stdout/stderr, an empty stdin, no terminal, exact env, and an exit that never ends the process.
import { clocks, io } from '@bytecodealliance/preview2-shim';
import { ErrorCode, WassetteError } from '../errors.js';

export type OutputStreamName = 'stdout' | 'stderr';
export type OutputHook = (stream: OutputStreamName, chunk: Uint8Array) => void;

interface ShimStreams {
  InputStream: new () => object;
  OutputStream: new () => object;
}

const shimStreams = (io as unknown as { streams: ShimStreams }).streams;
const monotonic = (clocks as unknown as { monotonicClock: { subscribeDuration(ns: bigint): unknown } }).monotonicClock;
const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/** How much the guest may write per call; it only paces the guest, the hook decides what to keep. */
const WRITE_BUDGET = 1n << 20n;

/** A pollable that is immediately ready, since captured output and the empty stdin never block. */
function readyPollable(): unknown {
  return monotonic.subscribeDuration(0n);
}

/** Extends the shim's class so jco's `instanceof OutputStream` checks accept it; writes go to the hook. */
class CapturedOutputStream extends shimStreams.OutputStream {
  #name: OutputStreamName;
  #hook: OutputHook;

  constructor(name: OutputStreamName, hook: OutputHook) {
    super();
    this.#name = name;
    this.#hook = hook;
  }

  checkWrite(): bigint {
    return WRITE_BUDGET;
  }

  write(buf: Uint8Array): void {
    // Copy: the buffer may be a view into guest memory that changes after we return.
    this.#hook(this.#name, Uint8Array.prototype.slice.call(buf));
  }

  blockingWriteAndFlush(buf: Uint8Array): void {
    this.write(buf);
  }

  flush(): void {}

  blockingFlush(): void {}

  writeZeroes(len: bigint): void {
    this.#hook(this.#name, new Uint8Array(Number(len)));
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }

  splice(): bigint {
    throw { tag: 'closed' };
  }

  blockingSplice(): bigint {
    throw { tag: 'closed' };
  }

  subscribe(): unknown {
    return readyPollable();
  }

  [symbolDispose](): void {}
}

/** Stdin that is always at end of stream: a tool's input comes from its arguments, never from the server's stdin. */
class EmptyInputStream extends shimStreams.InputStream {
  read(): Uint8Array {
    throw { tag: 'closed' };
  }

  blockingRead(): Uint8Array {
    throw { tag: 'closed' };
  }

  skip(): bigint {
    throw { tag: 'closed' };
  }

  blockingSkip(): bigint {
    throw { tag: 'closed' };
  }

  subscribe(): unknown {
    return readyPollable();
  }

  [symbolDispose](): void {}
}

/** The exit status a guest asked for; thrown out of the call so the runtime can end the call, not the process. */
function exitError(code: number): WassetteError {
  return new WassetteError(ErrorCode.Trap, `the component called wasi:cli/exit with status ${code}`, {
    data: { exitCode: code },
  });
}

/**
 * The wasi:cli interfaces, keyed by unversioned interface name.
 * `env` is exactly what the guest sees; an ungranted variable is simply absent (no denial can be reported,
 * because the guest only ever asks for the whole list).
 */
export function createCliImports(env: Record<string, string>, onOutput: OutputHook): Record<string, unknown> {
  const entries = Object.entries(env);
  const stdout = new CapturedOutputStream('stdout', onOutput);
  const stderr = new CapturedOutputStream('stderr', onOutput);
  const stdin = new EmptyInputStream();
  class TerminalInput {}
  class TerminalOutput {}
  return {
    'wasi:cli/environment': {
      getEnvironment: () => entries.map(([k, v]) => [k, v]),
      getArguments: () => [],
      // The host's working directory would leak a host path; the guest has none.
      initialCwd: () => undefined,
    },
    'wasi:cli/exit': {
      exit(status: { tag: string }): never {
        throw exitError(status.tag === 'err' ? 1 : 0);
      },
      exitWithCode(code: number): never {
        throw exitError(code);
      },
    },
    'wasi:cli/stdin': { getStdin: () => stdin },
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stderr': { getStderr: () => stderr },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
  };
}
