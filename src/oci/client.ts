// RegistryClient: the OCI distribution API (manifests, blobs, tags, catalog, referrers) over fetch.
import { ErrorCode, WassetteError } from '../errors.js';
import { CATALOG_SCOPE, RegistryAuth, repositoryScope } from './auth.js';
import type { CredentialLookup } from './credentials.js';
import { type Descriptor, type ImageIndex, type ParsedManifest, isSha256Digest, parseManifest, sha256Digest, verifyDigest } from './manifest.js';
import { MANIFEST_ACCEPT, MediaType } from './media-types.js';
import { failure, type OpenResponse, readBody, send, streamVerified, type TransportOptions } from './registry-http.js';

/** Where a call goes: what `parseReference` returns satisfies it. */
export interface RepoTarget {
  registry: string;
  repository: string;
}

export interface RegistryClientOptions {
  credentials?: CredentialLookup;
  /** `host` / `host:port` allowed over plain http; loopback hosts always use http. */
  insecureRegistries?: readonly string[];
  /** Time to first byte and longest stall while streaming; default 30 s. */
  timeoutMs?: number;
  /** Largest manifest accepted; default 4 MiB (what registries must accept). */
  maxManifestBytes?: number;
  fetch?: typeof fetch;
  /** `n` asked for per tags/catalog page; default 100. */
  pageSize?: number;
}

export interface FetchedManifest {
  /** sha256 of the exact bytes received (checked against the registry's Docker-Content-Digest). */
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  parsed: ParsedManifest;
}

function linkNext(link: string | null, base: string): string | undefined {
  const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  return m?.[1] ? new URL(m[1], base).toString() : undefined;
}

/**
 * One client per process is enough: it caches auth tokens per registry and scope. Every method
 * throws `WassetteError` with codes network-error, timeout, unauthorized, not-found,
 * digest-mismatch, size-limit or registry-error.
 */
export class RegistryClient {
  private readonly transport: TransportOptions;
  private readonly maxManifestBytes: number;
  private readonly pageSize: number;

  constructor(options: RegistryClientOptions = {}) {
    const fetchFn = options.fetch ?? fetch;
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.transport = {
      auth: new RegistryAuth({ credentials: options.credentials, fetch: fetchFn, timeoutMs }),
      insecureRegistries: options.insecureRegistries ?? [],
      timeoutMs,
      fetch: fetchFn,
    };
    this.maxManifestBytes = options.maxManifestBytes ?? 4 * 1024 * 1024;
    this.pageSize = options.pageSize ?? 100;
  }

  /** Fetches a manifest or index by tag or digest; a digest reference is verified against the bytes. */
  async getManifest(target: RepoTarget, reference: string): Promise<FetchedManifest> {
    const open = await send(this.transport, target.registry, {
      path: `/v2/${target.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      scope: repositoryScope(target.repository, 'pull'),
    });
    const what = `manifest ${target.repository}:${reference}`;
    if (!open.response.ok) {
      open.done();
      throw await failure(target.registry, open.response, { repository: target.repository, reference, what });
    }
    const bytes = await readBody(open, this.maxManifestBytes, what);
    const digest = sha256Digest(bytes);
    if (isSha256Digest(reference)) verifyDigest(bytes, reference, what);
    const claimed = open.response.headers.get('docker-content-digest');
    if (claimed && isSha256Digest(claimed) && claimed !== digest) {
      throw new WassetteError(ErrorCode.DigestMismatch, `${what}: registry says ${claimed} but content hashes to ${digest}`, {
        data: { expected: claimed, actual: digest },
      });
    }
    const contentType = open.response.headers.get('content-type') ?? undefined;
    const parsed = parseManifest(bytes, contentType, what);
    const mediaType = (parsed.kind === 'index' ? parsed.index.mediaType : parsed.manifest.mediaType) ?? contentType?.split(';')[0] ?? MediaType.OciManifest;
    return { digest, mediaType, bytes, parsed };
  }

  /** Resolves a tag to its manifest digest with a HEAD (no body); undefined when the tag does not exist. */
  async resolve(target: RepoTarget, reference: string): Promise<{ digest: string; mediaType: string; size: number } | undefined> {
    const open = await send(this.transport, target.registry, {
      method: 'HEAD',
      path: `/v2/${target.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      scope: repositoryScope(target.repository, 'pull'),
    });
    open.done();
    if (open.response.status === 404) return undefined;
    if (!open.response.ok) throw await failure(target.registry, open.response, { repository: target.repository, reference, what: `manifest ${reference}` });
    const digest = open.response.headers.get('docker-content-digest');
    if (!digest) return undefined;
    return { digest, mediaType: open.response.headers.get('content-type') ?? '', size: Number(open.response.headers.get('content-length') ?? 0) };
  }

  /**
   * Downloads a blob, hashing while it streams; refuses it when it grows past `descriptor.size` or
   * `maxBytes` and when the sha256 differs from `descriptor.digest`.
   */
  async getBlob(target: RepoTarget, descriptor: Pick<Descriptor, 'digest' | 'size'>, maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
    const what = `blob ${descriptor.digest} of ${target.repository}`;
    if (descriptor.size > maxBytes) {
      throw new WassetteError(ErrorCode.SizeLimit, `${what} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit`);
    }
    const open = await send(this.transport, target.registry, {
      path: `/v2/${target.repository}/blobs/${descriptor.digest}`,
      scope: repositoryScope(target.repository, 'pull'),
    });
    if (!open.response.ok) {
      open.done();
      throw await failure(target.registry, open.response, { repository: target.repository, reference: descriptor.digest, what });
    }
    return streamVerified(open, descriptor, what);
  }

  /** Size of a blob if the repository has it. */
  async headBlob(target: RepoTarget, digest: string): Promise<number | undefined> {
    const open = await send(this.transport, target.registry, {
      method: 'HEAD',
      path: `/v2/${target.repository}/blobs/${digest}`,
      scope: repositoryScope(target.repository, 'pull'),
    });
    open.done();
    if (open.response.status === 404) return undefined;
    if (!open.response.ok) throw await failure(target.registry, open.response, { repository: target.repository, reference: digest, what: `blob ${digest}` });
    return Number(open.response.headers.get('content-length') ?? 0);
  }

  /** Uploads a blob monolithically (POST then PUT), skipping it when the registry already has it. */
  async putBlob(target: RepoTarget, bytes: Uint8Array, mediaType = 'application/octet-stream'): Promise<Descriptor> {
    const digest = sha256Digest(bytes);
    const descriptor: Descriptor = { mediaType, digest, size: bytes.byteLength };
    if ((await this.headBlob(target, digest).catch(() => undefined)) === bytes.byteLength) return descriptor;
    const scope = repositoryScope(target.repository, 'pull,push');
    const what = `upload to ${target.repository}`;
    const start = await send(this.transport, target.registry, { method: 'POST', path: `/v2/${target.repository}/blobs/uploads/`, scope });
    start.done();
    const location = start.response.headers.get('location');
    if (start.response.status !== 202 || !location) {
      throw await failure(target.registry, start.response, { repository: target.repository, what });
    }
    const url = new URL(location, start.response.url);
    url.searchParams.set('digest', digest);
    const put = await send(this.transport, target.registry, {
      method: 'PUT',
      path: url.toString(),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
      body: bytes,
      scope,
    });
    put.done();
    if (put.response.status !== 201) throw await failure(target.registry, put.response, { repository: target.repository, reference: digest, what });
    return descriptor;
  }

  /** Pushes manifest bytes under a tag (or their digest); returns the manifest's digest. */
  async putManifest(target: RepoTarget, reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    const open = await send(this.transport, target.registry, {
      method: 'PUT',
      path: `/v2/${target.repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType },
      body: bytes,
      scope: repositoryScope(target.repository, 'pull,push'),
    });
    open.done();
    if (open.response.status !== 201) {
      throw await failure(target.registry, open.response, {
        repository: target.repository,
        reference,
        what: `manifest push to ${target.repository}:${reference}`,
      });
    }
    return digest;
  }

  /** All tags of a repository, following Link pagination. */
  async listTags(target: RepoTarget): Promise<string[]> {
    const tags: string[] = [];
    await this.paginate(
      target.registry,
      `/v2/${target.repository}/tags/list?n=${this.pageSize}`,
      repositoryScope(target.repository, 'pull'),
      `tags of ${target.repository}`,
      (doc) => {
        tags.push(...(((doc as { tags?: string[] | null }).tags ?? []) as string[]));
      },
      target.repository,
    );
    return tags;
  }

  /** All repositories of a registry (`/v2/_catalog`), following Link pagination. */
  async catalog(registry: string): Promise<string[]> {
    const repos: string[] = [];
    await this.paginate(registry, `/v2/_catalog?n=${this.pageSize}`, CATALOG_SCOPE, 'catalog', (doc) => {
      repos.push(...(((doc as { repositories?: string[] }).repositories ?? []) as string[]));
    });
    return repos;
  }

  /**
   * Manifests that refer to `digest` (OCI 1.1 referrers API); falls back to the `sha256-<hex>` tag
   * schema when the registry has no referrers endpoint. Filtered by `artifactType` when given.
   */
  async referrers(target: RepoTarget, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const open = await send(this.transport, target.registry, {
      path: `/v2/${target.repository}/referrers/${digest}${query}`,
      headers: { accept: MediaType.OciIndex },
      scope: repositoryScope(target.repository, 'pull'),
    });
    let index: ImageIndex | undefined;
    if (open.response.ok && (open.response.headers.get('content-type') ?? '').includes('json')) {
      const bytes = await readBody(open, this.maxManifestBytes, `referrers of ${digest}`);
      const parsed = parseManifest(bytes, MediaType.OciIndex, `referrers of ${digest}`);
      if (parsed.kind === 'index') index = parsed.index;
    } else {
      open.done();
      await open.response.body?.cancel().catch(() => undefined);
      if (open.response.status !== 404 && open.response.status !== 405 && open.response.ok === false) {
        throw await failure(target.registry, open.response, { repository: target.repository, reference: digest, what: `referrers of ${digest}` });
      }
      index = await this.referrersByTag(target, digest);
    }
    const all = index?.manifests ?? [];
    return artifactType ? all.filter((d) => d.artifactType === artifactType) : all;
  }

  private async referrersByTag(target: RepoTarget, digest: string): Promise<ImageIndex | undefined> {
    const tag = digest.replace(':', '-');
    try {
      const m = await this.getManifest(target, tag);
      return m.parsed.kind === 'index' ? m.parsed.index : undefined;
    } catch (e) {
      if (e instanceof WassetteError && e.code === ErrorCode.NotFound) return undefined;
      throw e;
    }
  }

  private async paginate(registry: string, first: string, scope: string, what: string, onPage: (doc: unknown) => void, repository?: string): Promise<void> {
    let next: string | undefined = first;
    for (let pages = 0; next !== undefined; pages++) {
      if (pages > 10_000) throw new WassetteError(ErrorCode.Registry, `registry ${registry}: ${what} did not stop paginating`);
      const open: OpenResponse = await send(this.transport, registry, { path: next, scope });
      if (!open.response.ok) {
        open.done();
        throw await failure(registry, open.response, { ...(repository ? { repository } : {}), what });
      }
      const body = await readBody(open, this.maxManifestBytes, what);
      onPage(JSON.parse(Buffer.from(body).toString('utf8')));
      next = linkNext(open.response.headers.get('link'), open.response.url);
    }
  }
}
