// The crawl orchestration against a scripted registry (faults a real registry cannot be told to produce on cue:
// flaky 5xx, a tag that disappears mid-crawl, a repository vanishing between crawls) and an in-memory sink.
import { describe, expect, it } from 'vitest';
import type { SourceInput } from '../../index/documents.js';
import { crawl, MAX_REPOSITORIES, summaryLine, type CrawlSink } from '../../registry-crawler/crawl.js';
import { boundSource, INDEX_BOUNDS } from '../../registry-crawler/describe.js';
import { WassetteError } from '../../src/errors.js';
import type { RegistryClient } from '../../src/oci/client.js';
import { parseTrustPolicy } from '../../src/oci/trust-policy.js';

class MemorySink implements CrawlSink {
  readonly sources = new Map<string, SourceInput>();
  known() {
    return new Map([...this.sources].map(([k, v]) => [k, { ref: v.ref, tools: v.tools.length }]));
  }
  async put(input: SourceInput) {
    this.sources.set(input.source, input);
  }
  async remove(source: string) {
    this.sources.delete(source);
  }
}

const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

/** A registry whose repositories hold a digest per tag; `describe` is never reached for known digests. */
function fakeClient(repos: Record<string, Record<string, string>>, faults: { flaky?: Set<string>; catalog?: 'none' } = {}): RegistryClient {
  const calls = new Map<string, number>();
  const flake = (key: string) => {
    const n = (calls.get(key) ?? 0) + 1;
    calls.set(key, n);
    if (faults.flaky?.has(key) && n < 3) throw new WassetteError('registry-error', `503 from ${key}`);
  };
  return {
    catalog: async () => {
      if (faults.catalog === 'none') throw new WassetteError('not-found', 'no catalog');
      return Object.keys(repos);
    },
    listTags: async (t: { repository: string }) => {
      flake(`tags ${t.repository}`);
      const r = repos[t.repository];
      if (!r) throw new WassetteError('not-found', `no repository ${t.repository}`);
      return Object.keys(r);
    },
    resolve: async (t: { repository: string }, tag: string) => {
      const d = repos[t.repository]?.[tag];
      return d ? { digest: d, mediaType: '', size: 0 } : undefined;
    },
    getManifest: async () => {
      throw new WassetteError('invalid-component', 'not a component in this fake');
    },
  } as unknown as RegistryClient;
}

const opts = (client: RegistryClient, sink: MemorySink) => ({ client, sink, trust: parseTrustPolicy([]), backoffMs: 1 });

function seed(sink: MemorySink, repo: string, digest: string, tools = 2) {
  const source = `oci://r.io/${repo}`;
  sink.sources.set(source, { source, kind: 'component', ref: `${source}@${digest}`, tools: Array.from({ length: tools }, (_, i) => ({ name: `t${i}` })) });
}

describe('crawl', () => {
  it('skips repositories whose current tag still points at the indexed digest, without fetching anything', async () => {
    const sink = new MemorySink();
    seed(sink, 'a/one', D(1), 3);
    seed(sink, 'a/two', D(2), 1);
    const s = await crawl([{ registry: 'r.io', repositories: [] }], opts(fakeClient({ 'a/one': { latest: D(1) }, 'a/two': { '1.0.0': D(2) } }), sink));
    expect(s).toMatchObject({ repositories: 2, components: 2, tools: 4, unchanged: 2, added: 0, failed: [] });
  });

  it('a moved tag is described again; a failure to describe keeps the old entry and is counted with its reason', async () => {
    const sink = new MemorySink();
    seed(sink, 'a/one', D(1));
    const s = await crawl([{ registry: 'r.io', repositories: [] }], opts(fakeClient({ 'a/one': { latest: D(9) } }), sink));
    expect(s.failed).toEqual([{ what: 'r.io/a/one', reason: 'not a component in this fake' }]);
    expect(sink.sources.get('oci://r.io/a/one')?.ref).toBe(`oci://r.io/a/one@${D(1)}`);
  });

  it('drops repositories gone from the catalog, and repositories left without tags', async () => {
    const sink = new MemorySink();
    seed(sink, 'a/gone', D(1));
    seed(sink, 'a/empty', D(2));
    seed(sink, 'b/other', D(3)); // outside the crawled prefix: untouched
    const s = await crawl([{ registry: 'r.io', repositories: ['a/'] }], opts(fakeClient({ 'a/empty': {}, 'b/other': { latest: D(3) } }), sink));
    expect(s.removed).toBe(2);
    expect([...sink.sources.keys()]).toEqual(['oci://r.io/b/other']);
  });

  it('retries transient registry errors with backoff', async () => {
    const sink = new MemorySink();
    seed(sink, 'a/one', D(1));
    const client = fakeClient({ 'a/one': { latest: D(1) } }, { flaky: new Set(['tags a/one']) });
    const s = await crawl([{ registry: 'r.io', repositories: [] }], opts(client, sink));
    expect(s).toMatchObject({ unchanged: 1, failed: [] });
  });

  it('without a catalog the named repositories are crawled; a missing one fails with its reason', async () => {
    const sink = new MemorySink();
    seed(sink, 'x/known', D(4));
    const client = fakeClient({ 'x/known': { latest: D(4) } }, { catalog: 'none' });
    const s = await crawl([{ registry: 'r.io', repositories: ['x/known', 'x/missing'] }], opts(client, sink));
    expect(s).toMatchObject({ repositories: 2, unchanged: 1 });
    expect(s.failed).toEqual([{ what: 'r.io/x/missing', reason: 'no repository x/missing' }]);
  });

  it('an unreachable registry is one failure, not a crash', async () => {
    const client = { catalog: async () => Promise.reject(new WassetteError('network-error', 'connection refused')) } as unknown as RegistryClient;
    const s = await crawl([{ registry: 'down.io', repositories: [] }], opts(client, new MemorySink()));
    expect(s.failed).toEqual([{ what: 'down.io', reason: 'connection refused' }]);
    expect(summaryLine(s, 1200)).toBe(
      'crawled 1 registry, 0 repositories in 1.2 s: 0 components, 0 tools (0 new, 0 updated, 0 unchanged, 0 removed, 1 failed)',
    );
  });
});

describe('bounds on what a registry can put into the index', () => {
  it('a described component is trimmed: tool and parameter counts, every text field', () => {
    const huge = 'x'.repeat(1_000_000);
    const input: SourceInput = {
      source: 'oci://r.io/evil',
      kind: 'component',
      ref: 'oci://r.io/evil@sha256:0',
      name: huge,
      description: huge,
      annotations: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, huge])),
      // Shared strings: the test is about what comes out, not about building gigabytes going in.
      tools: Array.from({ length: 300 }, () => ({
        name: huge,
        description: huge,
        params: Array.from({ length: 100 }, () => ({ name: huge, type: huge, description: huge })),
      })),
    };
    const b = boundSource(input);
    expect(b.tools).toHaveLength(INDEX_BOUNDS.tools);
    expect(b.tools[0]!.params).toHaveLength(INDEX_BOUNDS.params);
    expect(Object.keys(b.annotations ?? {})).toHaveLength(INDEX_BOUNDS.annotations);
    expect(JSON.stringify(b).length).toBeLessThan(8 * 1024 * 1024);
    expect(b.description!.length).toBe(INDEX_BOUNDS.description);
    expect(b.tools[0]!.name.length).toBe(INDEX_BOUNDS.name);
  });

  it('a catalog of more repositories than the cap is crawled up to the cap and says so; nothing is removed on a cut list', async () => {
    const repos = Object.fromEntries(Array.from({ length: MAX_REPOSITORIES + 5 }, (_, i) => [`r${i}`, {} as Record<string, string>]));
    const sink = new MemorySink();
    seed(sink, 'zzz-beyond-the-cap', D(7));
    const s = await crawl([{ registry: 'r.io', repositories: [] }], { ...opts(fakeClient(repos), sink), concurrency: 16 });
    expect(s.repositories).toBe(MAX_REPOSITORIES);
    expect(s.failed[0]).toMatchObject({ what: 'r.io', reason: `lists ${MAX_REPOSITORIES + 5} repositories; crawled the first ${MAX_REPOSITORIES}` });
    expect(sink.sources.has('oci://r.io/zzz-beyond-the-cap')).toBe(true);
  });
});
