// Registry authentication: WWW-Authenticate parsing, Basic, and the Bearer token flow with a per-scope cache.
import { ErrorCode, WassetteError } from '../errors.js';
import type { Credential, CredentialLookup } from './credentials.js';
import { isLoopback } from './reference.js';
import { readCapped } from './registry-http.js';

/** Real tokens are a few KB; anything far bigger is a broken or hostile token service. */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses one `WWW-Authenticate` value such as `Bearer realm="https://a/token",service="a",scope="x"`. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const p of (m[2] ?? '').matchAll(re)) {
    params[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

/** Scope strings as the Docker token spec spells them. */
export function repositoryScope(repository: string, actions: 'pull' | 'pull,push'): string {
  return `repository:${repository}:${actions}`;
}
export const CATALOG_SCOPE = 'registry:catalog:*';

interface CachedToken {
  header: string;
  expiresAt: number;
}

export interface RegistryAuthOptions {
  credentials?: CredentialLookup | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Holds the Authorization state for every registry a client talks to. Requests first go out with
 * whatever is cached (nothing at first: anonymous); on a 401 the client hands the challenge to
 * `respond`, which fetches a token (with credentials when there are any, anonymously otherwise) or
 * builds a Basic header, and the client retries once. Secrets never appear in errors or logs.
 */
export class RegistryAuth {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly basic = new Map<string, string>();
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RegistryAuthOptions = {}) {
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The Authorization value to send pre-emptively, if one is cached for this registry and scope. */
  cached(registry: string, scope: string): string | undefined {
    const t = this.tokens.get(`${registry}|${scope}`);
    if (t && t.expiresAt > this.now()) return t.header;
    return this.basic.get(registry);
  }

  /** Forgets what is cached for a registry (after the registry rejected it). */
  forget(registry: string, scope: string): void {
    this.tokens.delete(`${registry}|${scope}`);
    this.basic.delete(registry);
  }

  /** Answers a 401 challenge; returns the Authorization header to retry with. */
  async respond(registry: string, wwwAuthenticate: string | null, scope: string): Promise<string> {
    const challenge = wwwAuthenticate ? parseChallenge(wwwAuthenticate) : undefined;
    const cred = await this.options.credentials?.(registry);
    if (!challenge) {
      throw new WassetteError(ErrorCode.Unauthorized, `registry ${registry} answered 401 without a WWW-Authenticate challenge`);
    }
    if (challenge.scheme === 'basic') {
      if (!cred?.username || cred.password === undefined) {
        throw new WassetteError(
          ErrorCode.Unauthorized,
          `registry ${registry} requires a username and password; add them to WASSETTE_REGISTRY_AUTH or your docker config`,
        );
      }
      const header = basicHeader(cred.username, cred.password);
      this.basic.set(registry, header);
      return header;
    }
    if (challenge.scheme === 'bearer') {
      if (cred?.token) {
        // A caller-supplied token is not ours to expire; keep sending it until the registry refuses it.
        const header = `Bearer ${cred.token}`;
        this.tokens.set(`${registry}|${scope}`, { header, expiresAt: Number.POSITIVE_INFINITY });
        return header;
      }
      return this.fetchToken(registry, challenge, scope, cred);
    }
    throw new WassetteError(ErrorCode.Unauthorized, `registry ${registry} asks for unsupported auth scheme "${challenge.scheme}"`);
  }

  private async fetchToken(registry: string, challenge: Challenge, scope: string, cred: Credential | undefined): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new WassetteError(ErrorCode.Unauthorized, `registry ${registry} sent a Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new WassetteError(ErrorCode.Unauthorized, `registry ${registry} sent an invalid token realm "${realm}"`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new WassetteError(ErrorCode.Unauthorized, `token realm ${url.origin} for ${registry} is not https; refusing to send credentials there`);
    }
    const wantedScope = challenge.params.scope ?? scope;
    const service = challenge.params.service;
    let response: Response;
    try {
      if (cred?.identityToken) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: cred.identityToken, client_id: 'wassette', scope: wantedScope });
        if (service) form.set('service', service);
        response = await this.fetchFn(url, { method: 'POST', body: form, signal: AbortSignal.timeout(this.timeoutMs) });
      } else {
        if (service) url.searchParams.set('service', service);
        url.searchParams.set('scope', wantedScope);
        const headers: Record<string, string> = {};
        if (cred?.username && cred.password !== undefined) headers.authorization = basicHeader(cred.username, cred.password);
        response = await this.fetchFn(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      }
    } catch (e) {
      throw new WassetteError(ErrorCode.Network, `cannot reach token service ${url.host} for ${registry}: ${(e as Error).message}`, { cause: e });
    }
    if (response.status === 401 || response.status === 403) {
      throw new WassetteError(
        ErrorCode.Unauthorized,
        cred ? `token service ${url.host} rejected the credentials for ${registry}` : `registry ${registry} requires credentials for ${wantedScope}`,
      );
    }
    if (!response.ok) throw new WassetteError(ErrorCode.Registry, `token service ${url.host} answered HTTP ${response.status}`);
    const { bytes, complete } = await readCapped(response, MAX_TOKEN_RESPONSE_BYTES, this.timeoutMs);
    if (!complete) throw new WassetteError(ErrorCode.Registry, `token service ${url.host} sent an oversized or unfinished token response`);
    let body: { token?: string; access_token?: string; expires_in?: number } = {};
    try {
      body = (JSON.parse(Buffer.from(bytes).toString('utf8')) as typeof body | null) ?? {};
    } catch {
      // Reported below as "returned no token".
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new WassetteError(ErrorCode.Registry, `token service ${url.host} returned no token`);
    // Spec default lifetime is 60 s; renew 5 s early so a request never carries an expiring token.
    const lifetime = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60) * 1000;
    const header = `Bearer ${token}`;
    this.tokens.set(`${registry}|${scope}`, { header, expiresAt: this.now() + lifetime - 5000 });
    return header;
  }
}
