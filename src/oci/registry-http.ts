// HTTP transport for registry calls: scheme choice, timeouts, auth retry and OCI error-body mapping.
import { createHash } from 'node:crypto';
import { ErrorCode, WassetteError } from '../errors.js';
import type { RegistryAuth } from './auth.js';
import type { Descriptor } from './manifest.js';
import { apiHost, isLoopback } from './reference.js';

export interface TransportOptions {
  auth: RegistryAuth;
  /** `host` or `host:port` entries allowed over plain http (loopback always is). */
  insecureRegistries: readonly string[];
  /** Time to first byte, and the longest pause allowed while a body streams. */
  timeoutMs: number;
  fetch: typeof fetch;
}

export interface RequestSpec {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  /** Path (`/v2/...`) or an absolute URL (upload locations, Link pages). */
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Token scope this request needs. */
  scope: string;
}

/** A response plus control over its timeout while the caller streams the body. */
export interface OpenResponse {
  response: Response;
  /** Call on every body chunk: the idle timer restarts. */
  touch(): void;
  /** Call when done with the body. */
  done(): void;
  /** Turns an error thrown while streaming the body (abort, reset) into a timeout or network error. */
  bodyError(e: unknown): WassetteError;
  /** The idle timeout this request runs under. */
  timeoutMs: number;
}

interface OciErrorBody {
  errors?: { code?: string; message?: string }[];
}

export function schemeFor(registry: string, insecure: readonly string[]): 'http' | 'https' {
  const host = registry.replace(/:\d+$/, '');
  return isLoopback(host) || insecure.includes(registry) || insecure.includes(host) ? 'http' : 'https';
}

export function registryUrl(registry: string, insecure: readonly string[], path: string): string {
  return `${schemeFor(registry, insecure)}://${apiHost(registry)}${path}`;
}

function networkError(registry: string, e: unknown, timeoutMs: number, aborted: boolean): WassetteError {
  if (aborted) {
    return new WassetteError(ErrorCode.Timeout, `registry ${registry} did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: e });
  }
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (e as Error).message;
  return new WassetteError(ErrorCode.Network, `cannot reach registry ${registry} (${detail})`, { cause: e, data: { registry } });
}

function allowedPlain(target: string, insecure: readonly string[]): boolean {
  const u = new URL(target);
  return u.protocol === 'https:' || (u.protocol === 'http:' && schemeFor(u.host, insecure) === 'http');
}

/** Sends one request, answering a single 401 challenge through `auth`. */
export async function send(opts: TransportOptions, registry: string, spec: RequestSpec): Promise<OpenResponse> {
  const url = /^https?:\/\//.test(spec.path) ? spec.path : registryUrl(registry, opts.insecureRegistries, spec.path);
  let authorization = opts.auth.cached(registry, spec.scope);
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    const touch = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    };
    const done = (): void => clearTimeout(timer);
    const bodyError = (e: unknown): WassetteError => (e instanceof WassetteError ? e : networkError(registry, e, opts.timeoutMs, controller.signal.aborted));
    const headers: Record<string, string> = { 'user-agent': 'wassette', ...spec.headers };
    if (authorization) headers.authorization = authorization;
    let response: Response;
    try {
      response = await opts.fetch(url, {
        method: spec.method ?? 'GET',
        headers,
        // TS 5.9 types Uint8Array<ArrayBufferLike> apart from BodyInit; at run time fetch takes any Uint8Array.
        ...(spec.body ? { body: spec.body as Uint8Array<ArrayBuffer> } : {}),
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (e) {
      done();
      throw networkError(registry, e, opts.timeoutMs, controller.signal.aborted);
    }
    // fetch follows redirects (blob downloads go to CDNs); it drops Authorization across origins,
    // but an https registry must not hand its content over to plain http.
    if (response.redirected && url.startsWith('https:') && !allowedPlain(response.url, opts.insecureRegistries)) {
      done();
      await response.body?.cancel().catch(() => undefined);
      throw new WassetteError(ErrorCode.Network, `registry ${registry} redirected to ${new URL(response.url).origin}, which is not https; refusing it`, {
        data: { registry },
      });
    }
    if (response.status !== 401) return { response, touch, done, bodyError, timeoutMs: opts.timeoutMs };
    await response.body?.cancel().catch(() => undefined);
    done();
    if (attempt > 0) {
      opts.auth.forget(registry, spec.scope);
      throw new WassetteError(ErrorCode.Unauthorized, `registry ${registry} refused the credentials for ${spec.scope}`);
    }
    authorization = await opts.auth.respond(registry, response.headers.get('www-authenticate'), spec.scope);
  }
}

/** Reads a whole (small) body with the request's idle timeout and a byte cap. */
export async function readBody(open: OpenResponse, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(open.response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    open.done();
    await open.response.body?.cancel().catch(() => undefined);
    throw new WassetteError(ErrorCode.SizeLimit, `${what} is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Small bodies get one timeout in total, so a registry cannot hold a load open by trickling bytes.
  const deadline = Date.now() + open.timeoutMs;
  try {
    for await (const chunk of open.response.body ?? []) {
      open.touch();
      total += (chunk as Uint8Array).byteLength;
      if (total > maxBytes) throw new WassetteError(ErrorCode.SizeLimit, `${what} exceeds the ${maxBytes}-byte limit`);
      if (Date.now() > deadline) throw new WassetteError(ErrorCode.Timeout, `${what} did not arrive within ${Math.round(open.timeoutMs / 1000)} s`);
      chunks.push(chunk as Uint8Array);
    }
  } catch (e) {
    throw open.bodyError(e);
  } finally {
    open.done();
  }
  return Buffer.concat(chunks, total);
}

/** Error bodies are read only this far and this long: a registry must not be able to stall or flood an error path. */
const ERROR_BODY_BYTES = 64 * 1024;
const ERROR_BODY_WAIT_MS = 5000;

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

/** Turns a non-2xx response into an error a person can act on. `subject` names what was asked for. */
export async function failure(
  registry: string,
  response: Response,
  subject: { repository?: string; reference?: string; what: string },
): Promise<WassetteError> {
  let body: OciErrorBody = {};
  try {
    const { bytes } = await readCapped(response, ERROR_BODY_BYTES, ERROR_BODY_WAIT_MS);
    body = JSON.parse(Buffer.from(bytes).toString('utf8')) as OciErrorBody;
  } catch {
    // Non-JSON error bodies are common (proxies); the status line still says enough.
  }
  const first = body.errors?.[0];
  const code = first?.code ?? '';
  const data = { registry, status: response.status, ociCode: code, ...subject };
  const repo = subject.repository ?? '';
  if (response.status === 404 || code.endsWith('_UNKNOWN')) {
    if (code === 'MANIFEST_UNKNOWN') {
      const ref = subject.reference ?? '';
      const kind = ref.startsWith('sha256:') ? 'manifest' : 'tag';
      return new WassetteError(ErrorCode.NotFound, `${kind} ${ref} not found in repo ${repo} on ${registry}`, { data });
    }
    if (code === 'NAME_UNKNOWN') return new WassetteError(ErrorCode.NotFound, `repository ${repo} not found on ${registry}`, { data });
    if (code === 'BLOB_UNKNOWN')
      return new WassetteError(ErrorCode.NotFound, `blob ${subject.reference ?? ''} not found in repo ${repo} on ${registry}`, { data });
    return new WassetteError(ErrorCode.NotFound, `${subject.what} not found on ${registry} (HTTP 404)`, { data });
  }
  if (response.status === 401 || response.status === 403 || code === 'DENIED' || code === 'UNAUTHORIZED') {
    return new WassetteError(ErrorCode.Unauthorized, `registry ${registry} denied access to ${subject.what}${first?.message ? `: ${first.message}` : ''}`, {
      data,
    });
  }
  if (response.status === 429) return new WassetteError(ErrorCode.Registry, `registry ${registry} is rate limiting requests; retry later`, { data });
  const msg = first?.message ? `${code} ${first.message}` : `HTTP ${response.status}`;
  return new WassetteError(ErrorCode.Registry, `registry ${registry} failed ${subject.what}: ${msg}`, { data });
}

/** Streams a blob body into memory, hashing as it goes; refuses extra, missing or wrong bytes. */
export async function streamVerified(open: OpenResponse, descriptor: Pick<Descriptor, 'digest' | 'size'>, what: string): Promise<Uint8Array> {
  const hash = createHash('sha256');
  const out = Buffer.allocUnsafe(descriptor.size);
  let total = 0;
  try {
    for await (const chunk of open.response.body ?? []) {
      open.touch();
      const c = chunk as Uint8Array;
      if (total + c.byteLength > descriptor.size) {
        throw new WassetteError(ErrorCode.DigestMismatch, `${what}: registry sent more than the ${descriptor.size} bytes the manifest declares`);
      }
      out.set(c, total);
      hash.update(c);
      total += c.byteLength;
    }
  } catch (e) {
    throw open.bodyError(e);
  } finally {
    open.done();
  }
  if (total !== descriptor.size) {
    throw new WassetteError(ErrorCode.DigestMismatch, `${what}: received ${total} bytes, the manifest declares ${descriptor.size}`);
  }
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== descriptor.digest) {
    throw new WassetteError(ErrorCode.DigestMismatch, `${what}: digest mismatch, expected ${descriptor.digest} but content hashes to ${actual}`, {
      data: { expected: descriptor.digest, actual },
    });
  }
  return out;
}
