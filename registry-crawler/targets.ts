// Pure: which registries and repositories a crawl walks, from flags, config and the shipped default list.
import { ErrorCode, WassetteError } from '../src/errors.js';

export interface CrawlTarget {
  /** `host` or `host:port`. */
  registry: string;
  /**
   * Repository prefixes. With a catalog they filter it; without one (GHCR, Docker Hub) each is read as a
   * repository name. Empty: the whole catalog.
   */
  repositories: string[];
}

/**
 * Public registries and repositories known to hold WebAssembly components (Wassette's published examples, the
 * components they point to, and modulewise's example components). GHCR has no catalog, so the repositories are listed.
 */
export const DEFAULT_TARGETS: readonly CrawlTarget[] = [
  {
    registry: 'ghcr.io',
    repositories: [
      'microsoft/time-server-js',
      'microsoft/get-weather-js',
      'microsoft/fetch-rs',
      'microsoft/filesystem',
      'microsoft/eval-py',
      'microsoft/gomodule',
      'yoshuawuyts/time',
      'yoshuawuyts/fetch',
      // Published with `wkg oci push` and OCI annotations (title, description, source, licence).
      'modulewise/calculator',
      'modulewise/greeter',
      'modulewise/demo/calculator',
      'modulewise/demo/hello',
    ],
  },
];

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;
const REPO = /^[a-z0-9]+([._/-][a-z0-9]+)*\/?$/;

export function checkRegistry(value: string, where: string): string {
  const v = value.replace(/^oci:\/\//, '').replace(/\/+$/, '');
  if (!HOST.test(v)) throw new WassetteError(ErrorCode.InvalidArgument, `${where}: "${value}" is not a registry host[:port]`);
  return v.toLowerCase();
}

export function checkRepository(value: string, where: string): string {
  if (!REPO.test(value)) throw new WassetteError(ErrorCode.InvalidArgument, `${where}: "${value}" is not a repository name or prefix`);
  return value;
}

/** One config entry: `host[:port]` or `{registry: host[:port], repositories: [prefix, ...]}`. */
function fromConfig(entry: unknown, i: number): CrawlTarget {
  const where = `crawl.registries[${i}]`;
  if (typeof entry === 'string') return { registry: checkRegistry(entry, where), repositories: [] };
  if (typeof entry !== 'object' || entry === null)
    throw new WassetteError(ErrorCode.InvalidConfig, `${where}: expected host[:port] or {registry, repositories}`);
  const e = entry as { registry?: unknown; repositories?: unknown };
  if (typeof e.registry !== 'string') throw new WassetteError(ErrorCode.InvalidConfig, `${where}.registry: expected host[:port]`);
  const repos = e.repositories ?? [];
  if (!Array.isArray(repos) || repos.some((r) => typeof r !== 'string')) {
    throw new WassetteError(ErrorCode.InvalidConfig, `${where}.repositories: expected a list of repository prefixes`);
  }
  return { registry: checkRegistry(e.registry, where), repositories: (repos as string[]).map((r) => checkRepository(r, `${where}.repositories`)) };
}

/**
 * `--registry` flags choose the registries (each with every `--repository` prefix); without them the configured
 * registries and the default list are crawled, `--repository` narrowing each.
 */
export function crawlTargets(flags: { registries: readonly string[]; repositories: readonly string[] }, configured: readonly unknown[]): CrawlTarget[] {
  const prefixes = flags.repositories.map((r) => checkRepository(r, '--repository'));
  const merge = (list: CrawlTarget[]): CrawlTarget[] => {
    const by = new Map<string, CrawlTarget>();
    for (const t of list) {
      const prev = by.get(t.registry);
      if (!prev) by.set(t.registry, { registry: t.registry, repositories: [...t.repositories] });
      else if (prev.repositories.length > 0) prev.repositories = t.repositories.length === 0 ? [] : [...new Set([...prev.repositories, ...t.repositories])];
    }
    return [...by.values()];
  };
  if (flags.registries.length > 0) return merge(flags.registries.map((r) => ({ registry: checkRegistry(r, '--registry'), repositories: prefixes })));
  const base = merge([...configured.map(fromConfig), ...DEFAULT_TARGETS]);
  if (prefixes.length === 0) return base;
  return base
    .map((t) => ({
      ...t,
      repositories: t.repositories.length === 0 ? prefixes : t.repositories.filter((r) => prefixes.some((p) => r.startsWith(p))),
    }))
    .filter((t) => t.repositories.length > 0);
}

/** Does `repository` belong to the target (under one of its prefixes, or any when it has none)? */
export function inTarget(target: CrawlTarget, repository: string): boolean {
  return target.repositories.length === 0 || target.repositories.some((p) => repository.startsWith(p));
}
