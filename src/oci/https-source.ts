// Fetches a component from an https URL (`#sha256=<hex>` pins it), with size cap, redirect limit and digest cache.
import { createHash } from 'node:crypto';
import { ErrorCode, WassetteError } from '../errors.js';
import type { BlobStore } from './blob-store.js';
import { isLoopback } from './reference.js';

export interface HttpsFetchOptions {
  /** Largest body accepted; default 256 MiB. */
  maxBytes?: number;
  /** Blob cache: a pinned URL already cached needs no network; every download is cached by digest. */
  cacheStore?: BlobStore;
  /** Time to first byte and longest stall while streaming; default 30 s. */
  timeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  fetch?: typeof fetch;
}

export interface HttpsFetchResult {
  bytes: Uint8Array;
  /** `sha256:<hex>` of the bytes. */
  digest: string;
  /** The URL the bytes came from after redirects (the pinned URL for cache hits). */
  url: string;
  source: 'network' | 'cache';
}

/** Splits `https://host/x.wasm#sha256=<hex>` into the URL to fetch and the pinned digest. */
export function parsePinnedUrl(input: string): { url: URL; pin: string | undefined } {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new WassetteError(ErrorCode.InvalidArgument, `"${input}" is not a URL`);
  }
  checkScheme(url);
  const fragment = url.hash.slice(1);
  url.hash = '';
  if (!fragment) return { url, pin: undefined };
  const m = /^sha256[=:]([a-fA-F0-9]{64})$/.exec(fragment);
  if (!m?.[1]) throw new WassetteError(ErrorCode.InvalidArgument, `URL fragment "#${fragment}" must be #sha256=<64 hex digits>`);
  return { url, pin: `sha256:${m[1].toLowerCase()}` };
}

function checkScheme(url: URL): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  const why = url.protocol === 'http:' ? 'plain http is only allowed for loopback hosts' : `unsupported scheme ${url.protocol}`;
  throw new WassetteError(ErrorCode.InvalidArgument, `refusing to fetch ${url.origin}: ${why}; use https://`);
}

/**
 * Downloads the URL, refusing bodies over `maxBytes` and, when pinned, bytes whose sha256 differs
 * from the pin. Redirects are followed by hand so each hop is checked (no https -> http downgrade
 * except to loopback). Nothing is cached unless the bytes verified.
 */
export async function fetchHttps(input: string, options: HttpsFetchOptions = {}): Promise<HttpsFetchResult> {
  const { url, pin } = parsePinnedUrl(input);
  const store = options.cacheStore;
  if (pin && store) {
    const cached = await store.get(pin);
    if (cached) return { bytes: cached, digest: pin, url: url.toString(), source: 'cache' };
  }
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;

  let current = url;
  for (let hop = 0; ; hop++) {
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await fetchFn(current, { redirect: 'manual', signal: controller.signal, headers: { 'user-agent': 'wassette' } });
    } catch (e) {
      clearTimeout(timer);
      if (controller.signal.aborted)
        throw new WassetteError(ErrorCode.Timeout, `${current.host} did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: e });
      const cause = (e as { cause?: { code?: string } }).cause;
      throw new WassetteError(ErrorCode.Network, `cannot reach ${current.host} (${cause?.code ?? (e as Error).message})`, { cause: e });
    }
    if (response.status >= 300 && response.status < 400) {
      clearTimeout(timer);
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (!location) throw new WassetteError(ErrorCode.Network, `${current.host} answered ${response.status} without a Location`);
      if (hop >= maxRedirects) throw new WassetteError(ErrorCode.Network, `too many redirects (more than ${maxRedirects}) fetching ${url}`);
      current = new URL(location, current);
      checkScheme(current);
      continue;
    }
    if (!response.ok) {
      clearTimeout(timer);
      await response.body?.cancel().catch(() => undefined);
      const code =
        response.status === 404 ? ErrorCode.NotFound : response.status === 401 || response.status === 403 ? ErrorCode.Unauthorized : ErrorCode.Network;
      throw new WassetteError(code, `GET ${current} answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      clearTimeout(timer);
      await response.body?.cancel().catch(() => undefined);
      throw new WassetteError(ErrorCode.SizeLimit, `${current} is ${declared} bytes, over the ${maxBytes}-byte limit`);
    }
    const hash = createHash('sha256');
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of response.body ?? []) {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), timeoutMs);
        const c = chunk as Uint8Array;
        total += c.byteLength;
        if (total > maxBytes) throw new WassetteError(ErrorCode.SizeLimit, `${current} exceeds the ${maxBytes}-byte limit`);
        hash.update(c);
        chunks.push(c);
      }
    } catch (e) {
      if (e instanceof WassetteError) throw e;
      throw new WassetteError(controller.signal.aborted ? ErrorCode.Timeout : ErrorCode.Network, `download of ${current} failed: ${(e as Error).message}`, {
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
    const digest = `sha256:${hash.digest('hex')}`;
    if (pin && digest !== pin) {
      throw new WassetteError(ErrorCode.DigestMismatch, `${url}: digest mismatch, expected ${pin} but content hashes to ${digest}`, {
        data: { expected: pin, actual: digest },
      });
    }
    const bytes = Buffer.concat(chunks, total);
    if (store) await store.put(bytes, digest);
    return { bytes, digest, url: current.toString(), source: 'network' };
  }
}
