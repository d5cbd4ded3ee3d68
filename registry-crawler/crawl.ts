// Walks registries into the index: enumerate repositories (catalog, or the named ones where there is none), pick
// each repository's current tag, skip what is indexed at the same digest, describe the rest, drop what vanished.
// Bounded concurrency, retries with backoff on transient errors, every failure counted with its reason.
import type { SourceInput } from '../index/documents.js';
import { ErrorCode, type ErrorCodeValue, errorMessage, isWassetteError } from '../src/errors.js';
import type { RegistryClient, RepoTarget } from '../src/oci/client.js';
import { cosignSignatureTag } from '../src/oci/cosign.js';
import { NOTATION_ARTIFACT_TYPE } from '../src/oci/notation.js';
import { stillTrusted, type VerificationOutcome } from '../src/oci/signatures.js';
import type { TrustPolicy } from '../src/oci/trust-policy.js';
import { currentTag } from './current-tag.js';
import { type DescribeLimits, describeComponent } from './describe.js';
import { type CrawlTarget, inTarget } from './targets.js';

/** Where crawled components go (the tool index); each `put` replaces one source atomically. */
export interface CrawlSink {
  /** What is indexed now: source -> the pinned ref its documents carry, its tool count and recorded signature status. */
  known(): Map<string, KnownSource>;
  put(input: SourceInput): Promise<void>;
  remove(source: string): Promise<void>;
}

export interface KnownSource {
  ref: string;
  tools: number;
  signature?: unknown;
}

export interface CrawlOptions {
  client: RegistryClient;
  trust: TrustPolicy;
  sink: CrawlSink;
  /** Repositories described at once; default 4. */
  concurrency?: number;
  /** Attempts per registry request on network errors, timeouts and 5xx; default 3. */
  attempts?: number;
  /** First backoff, doubled per attempt; default 250 ms. */
  backoffMs?: number;
  limits?: DescribeLimits;
  onProgress?(done: number, total: number, current: string): void;
}

export interface CrawlSummary {
  registries: number;
  repositories: number;
  components: number;
  tools: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Via the description layer / by decoding the component. */
  described: { layer: number; decoded: number };
  failed: Array<{ what: string; reason: string }>;
}

/** Repositories crawled per registry at most: a catalog is the registry's to write. */
export const MAX_REPOSITORIES = 10_000;

const TRANSIENT: readonly ErrorCodeValue[] = [ErrorCode.Network, ErrorCode.Timeout, ErrorCode.Registry];

async function withRetries<T>(o: CrawlOptions, f: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, o.attempts ?? 3);
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      const transient = TRANSIENT.some((c) => isWassetteError(e, c));
      if (!transient || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, (o.backoffMs ?? 250) * 2 ** (i - 1)));
    }
  }
}

/** Runs `work` over `items` with at most `n` in flight. */
async function pool<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

function sourceOf(target: RepoTarget): string {
  return `oci://${target.registry}/${target.repository}`;
}

/** The repositories of one target, and whether they are the registry's complete list (so vanished ones can go). */
async function repositoriesOf(o: CrawlOptions, t: CrawlTarget): Promise<{ repos: string[]; complete: boolean }> {
  try {
    const all = await withRetries(o, () => o.client.catalog(t.registry));
    return { repos: all.filter((r) => inTarget(t, r)), complete: true };
  } catch (e) {
    // No catalog (GHCR, Docker Hub) or not allowed to read it: the named repositories are the list.
    if (t.repositories.length > 0 && !isWassetteError(e, ErrorCode.Network) && !isWassetteError(e, ErrorCode.Timeout)) {
      return { repos: t.repositories.map((r) => r.replace(/\/+$/, '')), complete: false };
    }
    throw e;
  }
}

export async function crawl(targets: readonly CrawlTarget[], o: CrawlOptions): Promise<CrawlSummary> {
  const s: CrawlSummary = {
    registries: targets.length,
    repositories: 0,
    components: 0,
    tools: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    described: { layer: 0, decoded: 0 },
    failed: [],
  };
  const known = o.sink.known();
  const work: RepoTarget[] = [];
  for (const t of targets) {
    let listed: { repos: string[]; complete: boolean };
    try {
      listed = await repositoriesOf(o, t);
    } catch (e) {
      s.failed.push({ what: t.registry, reason: errorMessage(e) });
      continue;
    }
    if (listed.repos.length > MAX_REPOSITORIES) {
      s.failed.push({ what: t.registry, reason: `lists ${listed.repos.length} repositories; crawled the first ${MAX_REPOSITORIES}` });
      listed = { repos: listed.repos.slice(0, MAX_REPOSITORIES), complete: false };
    }
    work.push(...listed.repos.map((repository) => ({ registry: t.registry, repository })));
    if (!listed.complete) continue;
    // Repositories gone from the catalog take their component with them.
    const present = new Set(listed.repos.map((r) => sourceOf({ registry: t.registry, repository: r })));
    for (const source of known.keys()) {
      const repo = source.startsWith(`oci://${t.registry}/`) ? source.slice(`oci://${t.registry}/`.length) : undefined;
      if (repo !== undefined && inTarget(t, repo) && !present.has(source)) {
        await o.sink.remove(source);
        s.removed++;
      }
    }
  }
  s.repositories = work.length;
  let done = 0;
  await pool(work, o.concurrency ?? 4, async (target) => {
    const source = sourceOf(target);
    try {
      await crawlRepository(o, target, known.get(source), s);
    } catch (e) {
      s.failed.push({ what: source.slice('oci://'.length), reason: errorMessage(e) });
    }
    o.onProgress?.(++done, work.length, source.slice('oci://'.length));
  });
  return s;
}

/**
 * Whether the signature status recorded with an unchanged digest still stands under today's trust policy (the check a
 * load from the cache makes): a key trusted or distrusted since the last crawl must not leave the old status in search.
 */
function recordedStatusStands(prior: KnownSource, trust: TrustPolicy): boolean {
  const recorded = prior.signature as VerificationOutcome | undefined;
  if (typeof recorded !== 'object' || recorded === null || typeof recorded.status !== 'string') return true;
  return stillTrusted(recorded, prior.ref, trust);
}

/**
 * Whether an artifact recorded as unsigned has been signed since: signing adds a cosign `.sig` tag (in the tag list
 * already read) or a Notation referrer, and leaves the digest as it was. One referrers request, for unsigned ones only.
 */
async function signedSince(o: CrawlOptions, target: RepoTarget, prior: KnownSource, digest: string, tags: readonly string[]): Promise<boolean> {
  if ((prior.signature as VerificationOutcome | undefined)?.status !== 'unsigned') return false;
  if (tags.includes(cosignSignatureTag(digest))) return true;
  return (await withRetries(o, () => o.client.referrers(target, digest, NOTATION_ARTIFACT_TYPE))).length > 0;
}

async function crawlRepository(o: CrawlOptions, target: RepoTarget, prior: KnownSource | undefined, s: CrawlSummary): Promise<void> {
  const source = sourceOf(target);
  let tags: string[];
  try {
    tags = await withRetries(o, () => o.client.listTags(target));
  } catch (e) {
    if (isWassetteError(e, ErrorCode.NotFound) && prior) {
      await o.sink.remove(source);
      s.removed++;
      return;
    }
    throw e;
  }
  const tag = currentTag(tags);
  if (tag === undefined) {
    if (prior) {
      await o.sink.remove(source);
      s.removed++;
    }
    return;
  }
  const resolved = await withRetries(o, () => o.client.resolve(target, tag));
  if (!resolved) throw new Error(`tag ${tag} disappeared while crawling`);
  const ref = `${source}@${resolved.digest}`;
  const same = prior?.ref === ref;
  if (same && recordedStatusStands(prior, o.trust) && !(await signedSince(o, target, prior, resolved.digest, tags))) {
    s.unchanged++;
    s.components++;
    s.tools += prior.tools;
    return;
  }
  const described = await withRetries(o, () => describeComponent(o.client, target, resolved.digest, tag, o.trust, o.limits));
  if (same && JSON.stringify(described.input.signature) === JSON.stringify(prior.signature)) {
    // Checked again and still what was recorded (an untrusted signer stays untrusted): nothing to re-index.
    s.unchanged++;
    s.components++;
    s.tools += prior.tools;
    return;
  }
  await o.sink.put(described.input);
  if (prior) s.updated++;
  else s.added++;
  s.components++;
  s.tools += described.input.tools.length;
  if (described.via === 'description-layer') s.described.layer++;
  else s.described.decoded++;
}

/** The one-line summary `wassette crawl` prints. */
export function summaryLine(s: CrawlSummary, ms: number): string {
  const failed = s.failed.length > 0 ? `, ${s.failed.length} failed` : '';
  return (
    `crawled ${s.registries} registr${s.registries === 1 ? 'y' : 'ies'}, ${s.repositories} repositor${s.repositories === 1 ? 'y' : 'ies'} in ${(ms / 1000).toFixed(1)} s: ` +
    `${s.components} components, ${s.tools} tools (${s.added} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.removed} removed${failed})`
  );
}
