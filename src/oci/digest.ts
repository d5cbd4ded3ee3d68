// The one sha256 digest rule: computing `sha256:<hex>`, recognising it, and the `#sha256=<hex>` pin on URLs.
import { createHash } from 'node:crypto';
import { ErrorCode, WassetteError } from '../errors.js';

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const PIN_RE = /^sha256=([a-fA-F0-9]{64})$/;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isSha256Digest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

/**
 * Splits `https://host/x.wasm#sha256=<hex>` into the URL without its fragment and the pinned digest
 * (`sha256:<lower hex>`). Any other fragment is refused: a typo must not silently drop the pin.
 */
export function parsePinnedUrl(input: string): { url: URL; pin: string | undefined } {
  let url: URL;
  try {
    url = new URL(input);
  } catch (e) {
    throw new WassetteError(ErrorCode.InvalidReference, `"${input}" is not a URL`, { cause: e });
  }
  const fragment = url.hash.slice(1);
  url.hash = '';
  if (fragment === '') return { url, pin: undefined };
  const hex = PIN_RE.exec(fragment)?.[1];
  if (hex === undefined) throw new WassetteError(ErrorCode.InvalidReference, `"#${fragment}" is not a digest pin; use #sha256=<64 hex digits>`);
  return { url, pin: `sha256:${hex.toLowerCase()}` };
}

/** The URL with `digest` (`sha256:<hex>`) as its pin: what parsePinnedUrl reads back. */
export function pinnedUrl(url: string, digest: string): string {
  if (!isSha256Digest(digest)) throw new WassetteError(ErrorCode.InvalidReference, `"${digest}" is not a sha256 digest`);
  const u = new URL(url);
  u.hash = `sha256=${digest.slice('sha256:'.length)}`;
  return u.toString();
}
