// Which registries and repositories a crawl walks, and which tag stands for a repository.
import { describe, expect, it } from 'vitest';
import { currentTag } from '../../registry-crawler/current-tag.js';
import { DEFAULT_TARGETS, crawlTargets, inTarget } from '../../registry-crawler/targets.js';

describe('crawlTargets', () => {
  it('--registry flags replace config and defaults, each with every --repository prefix', () => {
    expect(crawlTargets({ registries: ['localhost:5000', 'oci://Reg.example/'], repositories: ['tools/'] }, ['ghcr.io'])).toEqual([
      { registry: 'localhost:5000', repositories: ['tools/'] },
      { registry: 'reg.example', repositories: ['tools/'] },
    ]);
  });

  it('without flags: configured registries first, then the default list, merged by registry', () => {
    const t = crawlTargets({ registries: [], repositories: [] }, ['localhost:5000', { registry: 'ghcr.io', repositories: ['acme/weather'] }]);
    expect(t[0]).toEqual({ registry: 'localhost:5000', repositories: [] });
    const ghcr = t.find((x) => x.registry === 'ghcr.io')!;
    expect(ghcr.repositories).toContain('acme/weather');
    expect(ghcr.repositories).toContain(DEFAULT_TARGETS[0]!.repositories[0]);
  });

  it('--repository alone narrows every target', () => {
    const t = crawlTargets({ registries: [], repositories: ['microsoft/time'] }, ['localhost:5000']);
    expect(t).toEqual([
      { registry: 'localhost:5000', repositories: ['microsoft/time'] },
      { registry: 'ghcr.io', repositories: ['microsoft/time-server-js'] },
    ]);
  });

  it.each([
    [{ registries: ['https://x.io/path'], repositories: [] }, [], /--registry: "https:\/\/x.io\/path" is not a registry/],
    [{ registries: ['x.io'], repositories: ['../up'] }, [], /--repository: "..\/up"/],
    [{ registries: [], repositories: [] }, [{ registry: 3 }], /crawl.registries\[0\].registry/],
    [{ registries: [], repositories: [] }, [{ registry: 'x.io', repositories: 'a' }], /crawl.registries\[0\].repositories/],
  ])('refuses %j %j', (flags, configured, message) => {
    expect(() => crawlTargets(flags, configured)).toThrow(message);
  });

  it('inTarget matches by prefix, or everything without prefixes', () => {
    expect(inTarget({ registry: 'r', repositories: [] }, 'any/thing')).toBe(true);
    expect(inTarget({ registry: 'r', repositories: ['tools/'] }, 'tools/a')).toBe(true);
    expect(inTarget({ registry: 'r', repositories: ['tools/'] }, 'misc/a')).toBe(false);
  });
});

describe('currentTag', () => {
  it.each([
    [['1.0.0', 'latest', '2.0.0'], 'latest'],
    [['1.2.0', '1.10.0', 'v1.9.9'], '1.10.0'],
    [['v2', '1.99.99'], 'v2'],
    [['dev', 'main'], 'main'],
    [['sha256-abc.sig', '0.1.0'], '0.1.0'],
    [['sha256-abc.sig'], undefined],
    [[], undefined],
  ])('%j -> %s', (tags, want) => {
    expect(currentTag(tags)).toBe(want);
  });
});
