// Tool discovery in the application: the search index (opened on first use), crawls into it, tools/list imports,
// and searches that include the loaded components and say which results are loaded already.
import { join } from 'node:path';
import type { SourceInput } from '../../index/documents.js';
import { readToolsList } from '../../index/import-tools-list.js';
import type { SearchResult } from '../../index/search.js';
import { MAX_SEARCH_LIMIT, ToolIndex, ToolIndexError } from '../../index/tool-index.js';
import { type CrawlSummary, crawl } from '../../registry-crawler/crawl.js';
import { paramsOf } from '../../registry-crawler/describe.js';
import { takeCrawlLock } from '../../registry-crawler/lock.js';
import { requestedPermissions } from '../sandbox/requested-permissions.js';
import type { CrawlTarget } from '../../registry-crawler/targets.js';
import type { Config } from '../config.js';
import { ErrorCode, WassetteError } from '../errors.js';
import type { RegistryClient } from '../oci/client.js';
import type { TrustPolicy } from '../oci/trust-policy.js';
import type { Policy } from '../sandbox/policy.js';
import type { LoadedComponent } from './catalog.js';

/** The prefix of index sources that mirror components loaded here. */
const LOADED = 'loaded:';

export interface ToolHit extends SearchResult {
  /** A component with this ref (or this very loaded component) is loaded now. */
  loaded: boolean;
}

export interface LoadedView {
  component: LoadedComponent;
  names: string[];
  policy: Policy | undefined;
}

export class Discovery {
  readonly #config: Readonly<Config>;
  readonly #warn: (m: string) => void;
  #index: ToolIndex | undefined;

  constructor(config: Readonly<Config>, warn: (m: string) => void) {
    this.#config = config;
    this.#warn = warn;
  }

  get index(): ToolIndex {
    this.#index ??= ToolIndex.open(join(this.#config.home, 'index.db'), {
      embedder: { model: this.#config.embedModel, modelsDir: join(this.#config.home, 'models'), allowNetwork: this.#config.modelDownload },
      log: (m) => this.#warn(m),
    });
    return this.#index;
  }

  /** Ranked tools for a need described in words; the loaded components are searched too. */
  async search(query: string, limit: number, loaded: readonly LoadedView[]): Promise<{ ranking: string; results: ToolHit[] }> {
    await this.#mirrorLoaded(loaded);
    let found: Awaited<ReturnType<ToolIndex['search']>>;
    try {
      // Twice the asked number, so results hidden behind their loaded copies still leave `limit` to show.
      found = await this.index.search(query, Math.min(limit * 2, Math.max(limit, MAX_SEARCH_LIMIT)));
    } catch (e) {
      if (e instanceof ToolIndexError) throw new WassetteError(ErrorCode.InvalidArgument, e.message);
      throw e;
    }
    const loadedRefs = new Set(loaded.map((l) => l.component.source));
    const seen = new Set<string>();
    const results: ToolHit[] = [];
    const ordered = [...found.results].sort((a, b) => b.score - a.score);
    for (const r of ordered) {
      // A crawled component that is loaded here is shown through its loaded copy, under the names it serves now.
      if (!r.source.startsWith(LOADED) && loadedRefs.has(r.ref)) continue;
      const key = `${r.ref}#${r.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push({ ...r, loaded: r.source.startsWith(LOADED) || loadedRefs.has(r.ref) });
      if (results.length >= limit) break;
    }
    return { ranking: found.ranking, results };
  }

  /** Keeps `loaded:<id>` sources in step with what is loaded (only when something changed). */
  async #mirrorLoaded(loaded: readonly LoadedView[]): Promise<void> {
    const index = this.index;
    const have = index.sourceSummaries();
    const want = new Map(loaded.map((l) => [`${LOADED}${l.component.id}`, l]));
    for (const source of have.keys()) if (source.startsWith(LOADED) && !want.has(source)) await index.removeSource(source);
    for (const [source, l] of want) {
      if (have.get(source)?.ref === l.component.source && have.get(source)?.tools === l.names.length) continue;
      await index.replaceSource(loadedSource(source, l));
    }
  }

  /** Crawls `targets` into the index; one crawl per home at a time. */
  async crawl(
    targets: readonly CrawlTarget[],
    client: RegistryClient,
    trust: TrustPolicy,
    onProgress?: (done: number, total: number, current: string) => void,
  ): Promise<CrawlSummary> {
    const release = takeCrawlLock(this.#config.home);
    try {
      const index = this.index;
      return await crawl(targets, {
        client,
        trust,
        sink: {
          known: () => new Map([...index.sourceSummaries()].filter(([s]) => s.startsWith('oci://'))),
          put: async (input) => void (await index.replaceSource(input)),
          remove: async (source) => void (await index.removeSource(source)),
        },
        ...(onProgress ? { onProgress } : {}),
      });
    } finally {
      release();
    }
  }

  /** Adds the tools of MCP `tools/list` files; re-importing a file replaces what it added before. */
  async importToolsLists(files: readonly string[]): Promise<Array<{ source: string; tools: number }>> {
    const inputs = files.map((f) => readToolsList(f)); // all parsed before anything is written
    const out: Array<{ source: string; tools: number }> = [];
    for (const input of inputs) {
      await this.index.replaceSource(input);
      out.push({ source: input.source, tools: input.tools.length });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#index?.close();
  }
}

function loadedSource(source: string, l: LoadedView): SourceInput {
  const c = l.component;
  return {
    source,
    kind: 'component',
    ref: c.source,
    name: c.id,
    ...(c.description.docs ? { description: c.description.docs } : {}),
    permissions: requestedPermissions(l.policy),
    signature: c.verification ?? { status: 'unsigned' },
    tools: c.tools.map((t, i) => ({
      name: l.names[i] ?? t.baseName,
      description: t.description,
      params: paramsOf(t.inputSchema),
      ...(t.target.interface ? { interface: t.target.interface } : {}),
    })),
  };
}
