// One error type for the whole library: a stable `code`, optional `data`, and the `cause` chain.

export const ErrorCode = {
  NotFound: 'not-found',
  InvalidArgument: 'invalid-argument',
  InvalidComponent: 'invalid-component',
  UnsupportedImport: 'unsupported-import',
  UnknownComponent: 'unknown-component',
  ToolCollision: 'tool-collision',
  Trap: 'trap',
  Timeout: 'timeout',
  Cancelled: 'cancelled',
  Busy: 'busy',
  MemoryLimit: 'memory-limit',
  OutputTooLarge: 'output-too-large',
  InvalidPolicy: 'invalid-policy',
  InvalidConfig: 'invalid-config',
  InvalidReference: 'invalid-reference',
  Registry: 'registry-error',
  DigestMismatch: 'digest-mismatch',
  SizeLimit: 'size-limit',
  Unauthorized: 'unauthorized',
  SignatureInvalid: 'signature-invalid',
  SignatureRequired: 'signature-required',
  Network: 'network-error',
  Store: 'store-error',
  ApprovalDenied: 'approval-denied',
  Internal: 'internal',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class WassetteError extends Error {
  readonly code: ErrorCodeValue;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: ErrorCodeValue, message: string, options: { data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WassetteError';
    this.code = code;
    this.data = options.data;
  }
}

/**
 * The one error for an id no component is loaded under, whichever table was asked (the catalog or
 * the components table): one wording, naming both ways to list what is loaded.
 */
export function unknownComponent(id: string): WassetteError {
  const message = `no loaded component with id "${id}" (see list_components or wassette component list)`;
  return new WassetteError(ErrorCode.UnknownComponent, message, { data: { id } });
}

export function isWassetteError(e: unknown, code?: ErrorCodeValue): e is WassetteError {
  return e instanceof WassetteError && (code === undefined || e.code === code);
}

/** A one-line message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
