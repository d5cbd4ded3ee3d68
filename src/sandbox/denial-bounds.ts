// Bounds on what one refusal, and all refusals of one call, may cost the result, log and audit log.
import type { Denial } from './spec.js';

export const MAX_DENIAL_TARGET_BYTES = 512;
export const MAX_DENIAL_REASON_BYTES = 1024;
export const MAX_DENIALS_PER_CALL = 32;
export const MAX_DENIAL_BYTES_PER_CALL = 16 * 1024;

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (plus a short note), noting the original length. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return text;
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return `${cut}… (${bytes} bytes, truncated)`;
}

/**
 * A denial whose target and reason fit their bounds. The grant hint is kept only when it fits whole: a cut path
 * or host would name a grant nobody asked about.
 */
export function boundDenial(denial: Denial): Denial {
  const allow = denial.allow && Buffer.byteLength(JSON.stringify(denial.allow), 'utf8') <= MAX_DENIAL_TARGET_BYTES ? denial.allow : undefined;
  return {
    capability: denial.capability,
    target: truncateUtf8(denial.target, MAX_DENIAL_TARGET_BYTES),
    reason: truncateUtf8(denial.reason, MAX_DENIAL_REASON_BYTES),
    ...(allow ? { allow } : {}),
  };
}

/** Bytes a bounded denial takes in a result line, log line or audit row. */
export function denialBytes(denial: Denial): number {
  return Buffer.byteLength(denial.target, 'utf8') + Buffer.byteLength(denial.reason, 'utf8') + denial.capability.length;
}
