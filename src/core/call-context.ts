// What a tool call may do back towards the client that made it, whatever the transport.
import type { Elicit } from '../approvals/ask-user.js';

export interface CallContext {
  /** Sends a logging notification to this client (component stdout/stderr, denials). */
  log(level: 'debug' | 'info' | 'warning' | 'error', data: unknown): void;
  /** Asks the user through MCP elicitation; undefined when the client cannot elicit. */
  elicit?: Elicit;
  /** Aborted when the client cancels the request (`notifications/cancelled`) or its session goes away. */
  signal?: AbortSignal;
  /**
   * Reports how far a long operation got (`notifications/progress`); present only when the client sent a
   * progress token. `progress` must grow from call to call; `total` when known.
   */
  progress?: Progress;
}

export type Progress = (progress: number, total: number | undefined, message: string) => void;
