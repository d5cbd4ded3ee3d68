// End to end over a real registry: publish through the CLI, load by tag and digest over MCP, serve offline from the cache, prune.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/client.js';
import { parseToolDescription } from '../../src/oci/describe-layer.js';
import { Annotation, MediaType } from '../../src/oci/media-types.js';
import { call, fixture, ROOT, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, freePort, startRegistry, type RunningRegistry } from '../helpers/registry.js';

const FULL_POLICY = join(ROOT, 'fixtures', 'policies', 'full.yaml');

describe('publish, load over MCP, cached reload with the registry stopped', () => {
  let reg: RunningRegistry;
  const publisher = tempHome();
  const home = tempHome();
  let session: McpSession | undefined;
  let allTypesPinned = '';
  let docsPinned = '';

  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(async () => {
    await session?.close();
    await destroyRegistry(reg);
    publisher.cleanup();
    home.cleanup();
  });

  it('publishes with annotations, a tool-description layer and the policy, and prints the pinned reference', async () => {
    const r = await runCli(
      [
        'publish',
        fixture('all-types'),
        `oci://${reg.registry}/tools/all-types:1.0.0`,
        '--policy',
        FULL_POLICY,
        '--annotation',
        'org.example.team=platform',
        '--source',
        'https://example.com/all-types',
        '--json',
      ],
      { home: publisher.home },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { reference: string; manifestDigest: string; tools: string[] };
    expect(out.reference).toBe(`oci://${reg.registry}/tools/all-types@${out.manifestDigest}`);
    expect(out.tools).toContain('greet');
    allTypesPinned = out.reference;

    const client = new RegistryClient();
    const target = { registry: reg.registry, repository: 'tools/all-types' };
    const m = await client.getManifest(target, '1.0.0');
    expect(m.digest).toBe(out.manifestDigest);
    if (m.parsed.kind !== 'manifest') throw new Error('expected an image manifest');
    const a = m.parsed.manifest.annotations ?? {};
    expect(a[Annotation.Title]).toBe('all-types');
    expect(a[Annotation.Version]).toBe('1.0.0');
    expect(a[Annotation.Source]).toBe('https://example.com/all-types');
    expect(a[Annotation.Description]).toMatch(/^WebAssembly component offering \d+ tools: .*greet/);
    expect(Date.now() - Date.parse(a[Annotation.Created] ?? '')).toBeLessThan(120_000);
    expect(a['org.example.team']).toBe('platform');
    const types = m.parsed.manifest.layers.map((l) => l.mediaType);
    expect(types).toEqual([MediaType.Wasm, MediaType.Policy, MediaType.ToolDescription]);
    const descLayer = m.parsed.manifest.layers[2]!;
    const doc = parseToolDescription(await client.getBlob(target, descLayer), 'tools layer');
    expect(doc.wit).toContain('greet: func(name: string) -> string');
    const greet = doc.tools.find((t) => t.name === 'greet');
    expect(greet?.inputSchema).toMatchObject({ type: 'object', properties: { name: { type: 'string' } } });
    expect(greet?.outputSchema).toMatchObject({ type: 'object' });
    const policy = Buffer.from(await client.getBlob(target, m.parsed.manifest.layers[1]!)).toString('utf8');
    expect(policy).toContain('api.example.com');
  });

  it('uses the world doc comment as the description and prints only the pinned reference', async () => {
    const r = await runCli(['publish', fixture('docs'), `oci://${reg.registry}/tools/docs:v2`], { home: publisher.home });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(new RegExp(`^oci://${reg.registry}/tools/docs@sha256:[a-f0-9]{64}$`));
    docsPinned = r.stdout.trim();
    const m = await new RegistryClient().getManifest({ registry: reg.registry, repository: 'tools/docs' }, 'v2');
    if (m.parsed.kind !== 'manifest') throw new Error('expected an image manifest');
    expect(m.parsed.manifest.annotations?.[Annotation.Description]).toBe('Utilities that say hello.');
    expect(m.parsed.manifest.layers.map((l) => l.mediaType)).toEqual([MediaType.Wasm, MediaType.ToolDescription]);
  });

  it('refuses to publish what it could not serve: a core module, an invalid policy', async () => {
    const core = await runCli(['publish', fixture('core-module'), `oci://${reg.registry}/tools/core:1`], { home: publisher.home });
    expect(core.code).not.toBe(0);
    expect(core.stderr).toMatch(/^wassette: .*(core module|component)/i);
    const bad = await runCli(
      ['publish', fixture('all-types'), `oci://${reg.registry}/tools/bad:1`, '--policy', join(ROOT, 'fixtures', 'policies', 'invalid-access.yaml')],
      { home: publisher.home },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid-access\.yaml/);
    expect(await new RegistryClient().resolve({ registry: reg.registry, repository: 'tools/bad' }, '1')).toBeUndefined();
  });

  it('loads by tag over MCP, calls a tool, and get_policy shows the shipped policy', async () => {
    session = await startStdioSession({ home: home.home });
    const loaded = await call(session, 'load_component', { path: `oci://${reg.registry}/tools/all-types:1.0.0` });
    expect(loaded.isError, text(loaded)).toBeFalsy();
    expect(loaded.structuredContent?.id).toBe('all-types');
    expect(loaded.structuredContent?.source).toBe(`oci://${reg.registry}/tools/all-types:1.0.0@${allTypesPinned.split('@')[1]}`);
    const r = await call(session, 'greet', { name: 'registry' });
    expect(r.structuredContent).toEqual({ result: 'hello, registry' });
    const policy = await call(session, 'get_policy', { component_id: 'all-types' });
    expect(policy.isError).toBeFalsy();
    expect(String(policy.structuredContent?.policy_yaml)).toContain('api.example.com');
    const list = await call(session, 'list_components');
    const entry = (list.structuredContent?.components as Array<Record<string, any>>).find((c) => c.id === 'all-types');
    expect(entry?.verification).toEqual({ status: 'unsigned' });
  });

  it('loads by @sha256 digest over MCP', async () => {
    const loaded = await call(session!, 'load_component', { path: docsPinned });
    expect(loaded.isError, text(loaded)).toBeFalsy();
    expect(loaded.structuredContent?.source).toBe(docsPinned);
    const r = await call(session!, 'hello');
    expect(r.structuredContent).toEqual({ result: 'hello from docs' });
  });

  it('reports a missing tag and an unreachable registry clearly, registering nothing', async () => {
    const missing = await call(session!, 'load_component', { path: `oci://${reg.registry}/tools/all-types:9.9.9` });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/9\.9\.9/);
    expect(text(missing)).toMatch(/not found|unknown|does not exist/i);
    const port = await freePort();
    const down = await call(session!, 'load_component', { path: `oci://127.0.0.1:${port}/tools/x:1` });
    expect(down.isError).toBe(true);
    expect(text(down)).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(text(down)).toMatch(/cannot reach|unreachable|ECONNREFUSED|refused/i);
    const list = await call(session!, 'list_components');
    expect((list.structuredContent?.components as unknown[]).length).toBe(2);
  });

  it('serves the same tools after a restart with the registry stopped', async () => {
    await session!.close();
    session = undefined;
    await reg.stop();
    session = await startStdioSession({ home: home.home });
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['greet', 'hello']));
    const r = await call(session, 'greet', { name: 'offline' });
    expect(r.structuredContent).toEqual({ result: 'hello, offline' });
    await session.close();
    session = undefined;
  });

  it('loads by digest and by last-known tag from the CLI while the registry is down', async () => {
    const byDigest = await runCli(['component', 'load', docsPinned, '--json'], { home: home.home });
    expect(byDigest.code, byDigest.stderr).toBe(0);
    expect(JSON.parse(byDigest.stdout).source).toBe(docsPinned);
    const byTag = await runCli(['component', 'load', `oci://${reg.registry}/tools/all-types:1.0.0`], { home: home.home });
    expect(byTag.code, byTag.stderr).toBe(0);
    expect(byTag.stderr).toMatch(/unreachable; using cached/);
  });

  it('cache prune keeps what loaded components need and frees the rest', async () => {
    expect((await runCli(['component', 'unload', 'docs'], { home: home.home })).code).toBe(0);
    const blobsBefore = readdirSync(join(home.home, 'blobs', 'sha256')).length;
    const r = await runCli(['cache', 'prune', '--json'], { home: home.home });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { blobs: { removed: number; freedBytes: number }; transpiled: { removed: number; kept: number } };
    expect(report.blobs.removed).toBeGreaterThanOrEqual(2);
    expect(report.blobs.freedBytes).toBeGreaterThan(0);
    expect(report.transpiled).toMatchObject({ removed: 1, kept: 1 });
    expect(readdirSync(join(home.home, 'blobs', 'sha256')).length).toBe(blobsBefore - report.blobs.removed);
    // What remains still loads offline by digest, and the pruned component does not.
    const again = await runCli(['component', 'load', allTypesPinned], { home: home.home });
    expect(again.code, again.stderr).toBe(0);
    const gone = await runCli(['component', 'load', docsPinned], { home: home.home });
    expect(gone.code).not.toBe(0);
    expect(existsSync(join(home.home, 'transpiled'))).toBe(true);
    const second = JSON.parse((await runCli(['cache', 'prune', '--json'], { home: home.home })).stdout) as { blobs: { removed: number } };
    expect(second.blobs.removed).toBe(0);
  });
});
