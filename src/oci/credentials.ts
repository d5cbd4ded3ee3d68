// Registry credential sources: docker config JSON (auths, credHelpers, credsStore) and WASSETTE_REGISTRY_AUTH.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, WassetteError } from '../errors.js';

/**
 * What a registry login resolves to. `username`+`password` are used for Basic auth and for the
 * Bearer token endpoint; `token` is sent as-is as `Authorization: Bearer <token>`; `identityToken`
 * is an OAuth2 refresh token (what `docker login` stores for some registries).
 */
export interface Credential {
  username?: string;
  password?: string;
  token?: string;
  identityToken?: string;
}

/** Looks up the credential for `host[:port]`; undefined means "go anonymous". */
export type CredentialLookup = (registry: string) => Promise<Credential | undefined>;

/** Runs `docker-credential-<helper> get`, writing `server` to stdin; resolves to its stdout. */
export type HelperRunner = (helper: string, server: string) => Promise<string>;

export interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** `host[:port]` from a docker config key such as `https://index.docker.io/v1/` or `ghcr.io`. */
export function normalizeRegistryKey(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

function pickEntry<T>(map: Record<string, T> | undefined, registry: string): T | undefined {
  if (!map) return undefined;
  const want = normalizeRegistryKey(registry);
  const entries = Object.entries(map).map(([k, v]) => [normalizeRegistryKey(k), v] as const);
  return entries.find(([k]) => k === want)?.[1];
}

function fromAuthEntry(entry: NonNullable<DockerConfig['auths']>[string]): Credential | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}) };
  if (entry.username && entry.password !== undefined) return { username: entry.username, password: entry.password };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }
  return undefined;
}

/** Default helper runner: spawns `docker-credential-<name> get` from PATH with a timeout. */
export function spawnHelperRunner(timeoutMs = 10_000, command: (helper: string) => string = (h) => `docker-credential-${h}`): HelperRunner {
  return (helper, server) =>
    new Promise((resolve, reject) => {
      const child = spawn(command(helper), ['get'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      child.on('error', (e) =>
        reject(new WassetteError(ErrorCode.Unauthorized, `credential helper docker-credential-${helper} could not run: ${e.message}`, { cause: e })),
      );
      child.on('close', (code) => {
        // Helper stderr may echo the server name but never a secret; keep it short anyway.
        if (code === 0) resolve(out);
        else
          reject(
            new WassetteError(
              ErrorCode.Unauthorized,
              `credential helper docker-credential-${helper} failed for ${server}: ${err.trim().slice(0, 200) || `exit ${code}`}`,
            ),
          );
      });
      child.stdin.end(server);
    });
}

async function fromHelper(run: HelperRunner, helper: string, registry: string): Promise<Credential | undefined> {
  let text: string;
  try {
    text = await run(helper, registry);
  } catch (e) {
    // "credentials not found" is how helpers say "nothing stored": treat as anonymous.
    if (/not found/i.test(String((e as Error).message))) return undefined;
    throw e;
  }
  let doc: { Username?: string; Secret?: string };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new WassetteError(ErrorCode.Unauthorized, `credential helper docker-credential-${helper} printed something that is not JSON`);
  }
  if (!doc.Secret) return undefined;
  if (doc.Username === '<token>') return { identityToken: doc.Secret };
  return { username: doc.Username ?? '', password: doc.Secret };
}

/**
 * Credentials from a parsed docker config (`~/.docker/config.json`). Order as Docker does it:
 * a per-registry `credHelpers` entry, then a usable `auths` entry, then the global `credsStore`.
 */
export function dockerConfigCredentials(config: DockerConfig, runHelper: HelperRunner = spawnHelperRunner()): CredentialLookup {
  return async (registry) => {
    const helper = pickEntry(config.credHelpers, registry);
    if (helper) return fromHelper(runHelper, helper, registry);
    const entry = pickEntry(config.auths, registry);
    const cred = entry ? fromAuthEntry(entry) : undefined;
    if (cred) return cred;
    if (config.credsStore) return fromHelper(runHelper, config.credsStore, registry);
    return undefined;
  };
}

/** Reads `<dockerConfigDir>/config.json`; undefined when it does not exist. */
export async function readDockerConfig(dockerConfigDir: string): Promise<DockerConfig | undefined> {
  const path = join(dockerConfigDir, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WassetteError(ErrorCode.InvalidConfig, `cannot read docker config ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch (e) {
    throw new WassetteError(ErrorCode.InvalidConfig, `docker config ${path} is not valid JSON`, { cause: e });
  }
}

/**
 * Parses a `WASSETTE_REGISTRY_AUTH` value: a JSON object keyed by `host` or `host:port`, each value
 * either `{"username": "...", "password": "..."}` or `{"token": "..."}` (sent as a Bearer token).
 * Example: `{"ghcr.io": {"token": "ghp_..."}, "127.0.0.1:5000": {"username": "u", "password": "p"}}`.
 * A `host:port` entry wins over a plain `host` entry.
 */
export function registryAuthValueCredentials(value: string): CredentialLookup {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw new WassetteError(ErrorCode.InvalidConfig, 'WASSETTE_REGISTRY_AUTH must be JSON like {"host:port": {"username": "..", "password": ".."}}');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new WassetteError(ErrorCode.InvalidConfig, 'WASSETTE_REGISTRY_AUTH must be a JSON object keyed by registry host');
  }
  const table = new Map<string, Credential>();
  for (const [key, v] of Object.entries(doc as Record<string, unknown>)) {
    const e = (v ?? {}) as Record<string, unknown>;
    if (typeof e.token === 'string') table.set(normalizeRegistryKey(key), { token: e.token });
    else if (typeof e.username === 'string' && typeof e.password === 'string') {
      table.set(normalizeRegistryKey(key), { username: e.username, password: e.password });
    } else {
      // Name the key, never the value: the value may be a half-typed secret.
      throw new WassetteError(ErrorCode.InvalidConfig, `WASSETTE_REGISTRY_AUTH entry "${key}" needs "token" or "username" and "password"`);
    }
  }
  return async (registry) => {
    const key = normalizeRegistryKey(registry);
    return table.get(key) ?? table.get(key.replace(/:\d+$/, ''));
  };
}

/** First lookup that returns a credential wins. */
export function chainCredentials(...lookups: CredentialLookup[]): CredentialLookup {
  return async (registry) => {
    for (const lookup of lookups) {
      const c = await lookup(registry);
      if (c) return c;
    }
    return undefined;
  };
}
