// Bounded reads of response bodies nobody streams: registry error bodies and token responses.

/**
 * Reads at most `maxBytes` of a body (the rest is cancelled), giving up after `waitMs`; for bodies
 * nobody streams under a request timer (error bodies, token responses).
 */
export async function readCapped(response: Response, maxBytes: number, waitMs: number): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), complete: true };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let complete = false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), waitMs)));
  try {
    while (total <= maxBytes) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'expired') break;
      if (next.done) {
        complete = true;
        break;
      }
      chunks.push(next.value);
      total += next.value.byteLength;
    }
  } catch {
    // A body that fails half way is as good as a truncated one here.
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks, total);
  return complete && total <= maxBytes ? { bytes, complete } : { bytes: bytes.subarray(0, maxBytes), complete: false };
}
