// End to end over a real registry and the real embedding model: components published with `wassette publish`
// (description layer) and without one (decode path), plus an artifact that is not a component, are crawled by the
// CLI; a second crawl changes nothing; an agent finds a tool over MCP with `search_tools` from a plain-language
// need, loads it by the returned ref and calls it; the result then says it is loaded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RegistryClient } from '../../src/oci/client.js';
import { MediaType } from '../../src/oci/media-types.js';
import { publishComponent } from '../../src/oci/publish.js';
import { call, fixture, ROOT, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { pushArtifact } from '../helpers/push-artifact.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';

const MODEL = join(ROOT, 'fixtures', 'build', 'models', 'all-MiniLM-L6-v2');
const env = { WASSETTE_EMBED_MODEL: MODEL, WASSETTE_MODEL_DOWNLOAD: '0' };
let reg: RunningRegistry;
const home = tempHome('wassette-discovery-');
let s: McpSession | undefined;

async function crawlJson(): Promise<Record<string, any>> {
  const r = await runCli(['crawl', '--registry', reg.registry, '--json'], { home: home.home, env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  reg = await startRegistry();
  const publish = await runCli(['publish', fixture('text-tools'), `oci://${reg.registry}/tools/text-tools:1.0.0`], { home: home.home });
  expect(publish.code, publish.stderr).toBe(0);
  // Published without a description layer: the crawler has to decode the component.
  const client = new RegistryClient();
  await publishComponent(readFileSync(fixture('kv-store')), `oci://${reg.registry}/tools/kv-store:latest`, { client, annotations: {} });
  // Not a component at all.
  const notes = { bytes: Buffer.from('just text'), mediaType: 'text/plain' };
  await pushArtifact(client, { registry: reg.registry, repository: 'misc/notes' }, 'latest', notes, MediaType.EmptyConfig);
}, 120_000);

afterAll(async () => {
  await s?.close();
  await destroyRegistry(reg);
  home.cleanup();
});

describe('crawl, search_tools, load', () => {
  it('crawls both kinds of component, counts the non-component as a failure with its reason, then skips what it knows', async () => {
    const first = await crawlJson();
    expect(first).toMatchObject({ registries: 1, repositories: 3, components: 2, added: 2, updated: 0, unchanged: 0, removed: 0 });
    expect(first.described).toEqual({ layer: 1, decoded: 1 });
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0].what).toBe(`${reg.registry}/misc/notes`);
    expect(first.tools).toBeGreaterThan(8);

    const again = await crawlJson();
    expect(again).toMatchObject({ components: 2, added: 0, updated: 0, unchanged: 2, tools: first.tools });

    const cli = await runCli(['search', 'remember', 'a', 'value', 'under', 'a', 'name', '--json'], { home: home.home, env });
    expect(cli.code, cli.stderr).toBe(0);
    const found = JSON.parse(cli.stdout);
    expect(found.ranking).toBe('hybrid');
    expect(found.results[0].ref).toMatch(new RegExp(`^oci://${reg.registry.replace('.', '\\.')}/tools/kv-store@sha256:[0-9a-f]{64}$`));
  }, 120_000);

  it('an agent finds a tool from a plain-language need, loads it by ref and calls it', async () => {
    s = await startStdioSession({ home: home.home, env });
    const r = await call(s, 'search_tools', { query: 'turn a blog post title into something I can put in a URL', limit: 3 });
    expect(r.isError, text(r)).toBeFalsy();
    const top = r.structuredContent?.results[0];
    expect(top.name).toMatch(/slugify$/);
    expect(top.loaded).toBe(false);
    expect(top.ref).toContain('/tools/text-tools@sha256:');
    expect(r.structuredContent?.ranking).toBe('hybrid');

    const loaded = await call(s, 'load_component', { path: top.ref });
    expect(loaded.isError, text(loaded)).toBeFalsy();
    const name = (loaded.structuredContent?.tools as string[]).find((n) => n.endsWith('slugify'))!;
    const slug = await call(s, name, { input: 'Hello, World!' });
    expect(slug.structuredContent).toEqual({ result: 'hello-world' });

    const after = await call(s, 'search_tools', { query: 'turn a blog post title into something I can put in a URL', limit: 3 });
    // Now served from the loaded copy, once, under the name the agent calls.
    expect(after.structuredContent?.results[0]).toMatchObject({ name, loaded: true, ref: top.ref });
    expect(after.structuredContent?.results.filter((x: { name: string }) => /slugify$/.test(x.name))).toHaveLength(1);
  }, 120_000);

  it('imports MCP tools/list files beside components; re-importing a file replaces its tools', async () => {
    const file = join(home.home, 'github-tools.json');
    const tools = (names: string[]) => ({
      tools: names.map((name) => ({
        name,
        description: name === 'create_issue' ? 'Open a new issue in a GitHub repository' : 'List pull requests of a repository',
        inputSchema: { type: 'object' },
      })),
    });
    writeFileSync(file, JSON.stringify(tools(['create_issue', 'list_pull_requests'])));
    const imported = await runCli(['index', 'import', file, '--json'], { home: home.home, env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).imported).toEqual([{ source: 'github-tools.json', tools: 2 }]);
    const search = async (q: string) => JSON.parse((await runCli(['search', q, '--json'], { home: home.home, env })).stdout).results;
    expect((await search('report a bug to the maintainers of a project'))[0]).toMatchObject({ name: 'create_issue', source: 'github-tools.json' });
    writeFileSync(file, JSON.stringify(tools(['list_pull_requests'])));
    expect((await runCli(['index', 'import', file], { home: home.home, env })).code).toBe(0);
    expect((await search('report a bug to the maintainers of a project')).some((r: { name: string }) => r.name === 'create_issue')).toBe(false);
    const bad = await runCli(['index', 'import', join(home.home, 'missing.json')], { home: home.home, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/missing\.json/);
  }, 60_000);

  it('refuses an empty query as an argument error and bounds a huge one', async () => {
    s ??= await startStdioSession({ home: home.home, env });
    const empty = await call(s, 'search_tools', { query: '   ' });
    expect(empty.isError).toBe(true);
    expect(text(empty)).toMatch(/query/);
    const huge = await call(s, 'search_tools', { query: 'count the words in a text '.repeat(400) });
    expect(huge.isError, text(huge)).toBeFalsy();
    expect(huge.structuredContent?.results.length).toBeGreaterThan(0);
    // The whole documented range works; past it is an argument error, never a larger search.
    const most = await call(s, 'search_tools', { query: 'text', limit: 50 });
    expect(most.isError, text(most)).toBeFalsy();
    expect(most.structuredContent?.results.length).toBeGreaterThan(5);
    const over = await call(s, 'search_tools', { query: 'text', limit: 51 });
    expect(over.isError).toBe(true);
    expect(text(over)).toMatch(/limit/);
  }, 60_000);

  it('load_tool in prompt mode: pending with everything shown, approved from the CLI, the tools appear; same digest again answers at once', async () => {
    const prompt = await startStdioSession({ home: home.home, env: { ...env, WASSETTE_APPROVAL: 'prompt' } });
    try {
      const found = await call(prompt, 'search_tools', { query: 'keep a value under a key and read it back later', limit: 20 });
      const hit = found.structuredContent?.results.find((r: { ref: string }) => r.ref.includes('/tools/kv-store@'));
      expect(hit, text(found)).toBeDefined();
      const asked = await call(prompt, 'load_tool', { ref: hit.ref, reason: 'the user wants me to remember their settings' });
      expect(asked.isError, text(asked)).toBeFalsy();
      expect(asked.structuredContent).toMatchObject({ status: 'pending' });
      const id = asked.structuredContent?.request_id as string;
      expect(text(asked)).toContain('wassette approvals');

      const list = await runCli(['approvals', 'list', '--json'], { home: home.home, env });
      const req = JSON.parse(list.stdout).requests.find((r: { id: string }) => r.id === id);
      expect(req.kind).toBe('load_tool');
      expect(req.description).toContain(hit.ref.split('@')[0].replace('oci://', ''));
      expect(req.description).toMatch(/digest sha256:[0-9a-f]{64}, unsigned/);
      expect(req.description).toContain('reason given: the user wants me to remember their settings');
      expect(req.description).toMatch(/tools \(\d+\):/);
      expect(req.description).toContain('permissions: none');

      expect((await call(prompt, 'approval_status', { request_id: id })).structuredContent).toMatchObject({ status: 'pending', applied: false });
      const changesBefore = prompt.listChanged();
      const approve = await runCli(['approvals', 'approve', id], { home: home.home, env });
      expect(approve.code, approve.stderr).toBe(0);
      // Whichever process claimed it (this server's watch or the CLI) may still be transpiling: `loading` until done.
      let tools: string[] = [];
      await vi.waitFor(
        async () => {
          const status = await call(prompt, 'approval_status', { request_id: id });
          expect(status.structuredContent).toMatchObject({ status: 'approved', applied: true });
          tools = (status.structuredContent?.tools as string[] | undefined) ?? [];
          expect(tools.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 200 },
      );
      // The running server serves them once it has followed the store (its poll is 1 s; margin for a loaded box).
      await vi.waitFor(
        async () => {
          const listed = (await prompt.client.listTools()).tools.map((t) => t.name);
          for (const t of tools) expect(listed).toContain(t);
          expect(prompt.listChanged()).toBeGreaterThan(changesBefore);
        },
        { timeout: 10_000, interval: 200 },
      );

      const again = await call(prompt, 'load_tool', { ref: hit.ref });
      expect(again.structuredContent).toMatchObject({ status: 'loaded', already_loaded: true, tools });
    } finally {
      await prompt.close();
    }
  }, 120_000);
});
