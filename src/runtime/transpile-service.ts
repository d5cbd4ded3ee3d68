// Runs transpiles in a child process (transpile-child.ts) kept for a short while after its last job, so a burst
// of loads (a restore, a test suite) starts it once, and its memory goes back to the system when it exits.
import { type ChildProcess, fork } from 'node:child_process';
import { DEFAULT_TRANSPILE_TIMEOUT_MS } from '../config.js';
import { ErrorCode, WassetteError } from '../errors.js';
import type { TranspileJob, TranspileReply, TranspileSource } from './transpile-child.js';
import type { TranspiledFiles } from './transpile-files.js';
import { childEntryArgs } from './worker-entry.js';

/** How long an idle transpile process waits for another job before exiting. */
export const TRANSPILE_IDLE_MS = 3000;
/** Stderr kept for the error message when the process dies mid-job. */
const MAX_STDERR = 4096;

export type { TranspileSource };

/** The job's file source was missing or held other bytes than its digest names; the bytes themselves can still be sent. */
export class TranspileSourceUnusable extends Error {}

interface Job {
  source: TranspileSource;
  dir: string;
  resolve: (files: TranspiledFiles) => void;
  reject: (e: Error) => void;
}

export class TranspileService {
  private child: ChildProcess | undefined;
  private readonly queue: Job[] = [];
  private current: (Job & { id: number }) | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private jobTimer: NodeJS.Timeout | undefined;
  private stderr = '';

  constructor(
    private readonly idleMs = TRANSPILE_IDLE_MS,
    private readonly timeoutMs = DEFAULT_TRANSPILE_TIMEOUT_MS,
  ) {}

  /**
   * Transpiles the component (its bytes, or a file holding them, which the process reads itself) into `dir`
   * (which must exist); jobs run one at a time. A file source that is missing or holds other bytes than its
   * digest fails with TranspileSourceUnusable. A job still running after `timeoutMs`
   * (counted from when its process gets it, not while it waits its turn) fails with a `timeout` WassetteError and
   * its process is killed; the next job starts a fresh one.
   */
  transpile(source: Uint8Array | TranspileSource, dir: string): Promise<TranspiledFiles> {
    const s: TranspileSource = source instanceof Uint8Array ? { bytes: source } : source;
    return new Promise((resolve, reject) => {
      this.queue.push({ source: s, dir, resolve, reject });
      this.pump();
    });
  }

  /** Whether a transpile process is running (for tests). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** The transpile process id, while one runs (for tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Ends the process now; jobs still queued are refused. */
  close(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.jobTimer);
    for (const job of this.queue.splice(0)) job.reject(new Error('the runtime was closed'));
    this.child?.kill();
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    clearTimeout(this.idleTimer);
    // A child the idle timer has already signalled is dying even though its exit is not seen yet: a job
    // sent to it would fail with "ended (SIGTERM) without a result", so such a child is replaced.
    const child = this.child !== undefined && !this.child.killed ? this.child : this.start();
    const job = { ...this.queue.shift()!, id: this.nextId++ };
    this.current = job;
    this.stderr = '';
    child.ref();
    (child.channel as { ref?: () => void } | undefined)?.ref?.();
    // Not unref'd: while a load waits on this job, the timer is what guarantees it ends.
    this.jobTimer = setTimeout(() => {
      if (this.current !== job) return;
      const error = new WassetteError(
        ErrorCode.Timeout,
        `transpiling took longer than ${this.timeoutMs} ms, so the transpile process was stopped (a component this slow to transpile is likely malformed or far too large)`,
        { data: { timeoutMs: this.timeoutMs } },
      );
      this.fail(child, error.message, error, 'SIGKILL');
    }, this.timeoutMs);
    child.send({ id: job.id, source: job.source, dir: job.dir } satisfies TranspileJob, (e) => {
      if (e) this.fail(child, `cannot send the component to the transpile process: ${e.message}`);
    });
  }

  private start(): ChildProcess {
    const args = childEntryArgs(import.meta.url, 'transpile-child');
    // Nothing of the server's environment is needed to transpile; Uint8Array crosses IPC as itself.
    const child = fork(args[args.length - 1]!, [], {
      execArgv: args.slice(0, -1),
      env: {},
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.setEncoding('utf8').on('data', (t: string) => {
      if (this.stderr.length < MAX_STDERR) this.stderr = (this.stderr + t).slice(0, MAX_STDERR);
    });
    child.on('message', (reply: TranspileReply) => {
      const job = this.current;
      if (!job || reply.id !== job.id) return;
      this.current = undefined;
      clearTimeout(this.jobTimer);
      if (reply.ok) job.resolve({ coreModules: reply.coreModules, imports: reply.imports, sizes: reply.sizes });
      else job.reject(reply.sourceUnusable ? new TranspileSourceUnusable(reply.message) : new Error(reply.message));
      this.afterJob(child);
    });
    child.on('error', (e) => this.fail(child, `the transpile process failed: ${e.message}`));
    child.on('exit', (code, signal) => this.fail(child, `the transpile process ended (${signal ?? `exit code ${code}`}) without a result`));
    this.child = child;
    return child;
  }

  private afterJob(child: ChildProcess): void {
    if (this.queue.length > 0) {
      this.pump();
      return;
    }
    // Idle: never keep the server alive for it, and exit after a while so its memory is returned.
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    this.idleTimer = setTimeout(() => {
      if (this.child === child && !this.current) child.kill();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Ends `child` and fails its job with `error` (the timeout) or an Error built from `message` and its stderr. */
  private fail(child: ChildProcess, message: string, error?: Error, signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child !== child) return;
    this.child = undefined;
    const job = this.current;
    this.current = undefined;
    clearTimeout(this.jobTimer);
    child.kill(signal);
    if (job) job.reject(error ?? new Error(`${message}${this.stderr ? `: ${this.stderr.trim().slice(0, 2000)}` : ''}`));
    this.pump();
  }
}
