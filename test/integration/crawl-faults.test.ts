// `wassette crawl` against a real registry behind a proxy that injects what a real registry cannot be made to do:
// a manifest whose body never ends and a repository that always answers 500. Beside them a component whose layer is
// not wasm and a repository with two tags on one digest. Each fault is one counted failure with a reason, the crawl
// finishes in bounded time, the good components are searchable, and a crawl killed with SIGKILL mid-way is completed
// by the next one with nothing half-written.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/client.js';
import { MediaType } from '../../src/oci/media-types.js';
import { publishComponent } from '../../src/oci/publish.js';
import { CLI, childEnv, fixture, ROOT, runCli, tempHome } from '../helpers/cli.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { pushArtifact } from '../helpers/push-artifact.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';

const MODEL = join(ROOT, 'fixtures', 'build', 'models', 'all-MiniLM-L6-v2');
const env = { WASSETTE_EMBED_MODEL: MODEL, WASSETTE_MODEL_DOWNLOAD: '0' };
const work = tempHome('wassette-crawl-faults-work-');
let reg: RunningRegistry;
let proxy: FaultProxy;

/** Faults by repository, as the proxy sees the request path. */
const faulty = (method: string, path: string) =>
  path.startsWith('/v2/bad/endless/manifests/') && method === 'GET' ? 'endless' : path.startsWith('/v2/bad/flaky/') ? 'error-500' : 'pass';

async function crawl(home: string): Promise<{ code: number; summary: Record<string, any>; stderr: string }> {
  const r = await runCli(['crawl', '--registry', proxy.registry, '--json'], { home, env });
  return { code: r.code, summary: r.stdout.trim() ? JSON.parse(r.stdout) : {}, stderr: r.stderr };
}

beforeAll(async () => {
  reg = await startRegistry();
  proxy = await startFaultProxy({ host: '127.0.0.1', port: reg.port });
  const client = new RegistryClient();
  const publish = async (file: string, ref: string) => {
    const r = await runCli(['publish', fixture(file), `oci://${reg.registry}/${ref}`], { home: work.home });
    expect(r.code, r.stderr).toBe(0);
  };
  await publish('docs', 'good/docs:1.0.0');
  await publish('kv-store', 'good/kv-store:1');
  await publish('wasi-env', 'good/wasi-env:1');
  await publish('spin', 'bad/endless:1');
  await publish('grow', 'bad/flaky:1');
  // Decode path (no description layer) and a second tag on the same digest.
  await publishComponent(readFileSync(fixture('all-types')), `oci://${reg.registry}/good/all-types:1`, { client, annotations: {} });
  await publishComponent(readFileSync(fixture('all-types')), `oci://${reg.registry}/good/all-types:latest`, { client, annotations: {} });
  // A component artifact whose layer is not a component.
  const broken = { bytes: Buffer.from('\0asm this is not a component'), mediaType: MediaType.Wasm };
  await pushArtifact(client, { registry: reg.registry, repository: 'bad/broken' }, '1', broken, MediaType.WasmConfig);
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await destroyRegistry(reg);
  work.cleanup();
});

describe('crawl faults', () => {
  const t = tempHome('wassette-crawl-faults-');
  afterAll(() => t.cleanup());

  it('counts each fault as one failure with its reason, in bounded time, and indexes the good components', async () => {
    proxy.setFaults(faulty);
    const started = Date.now();
    const { code, summary, stderr } = await crawl(t.home);
    expect(code, stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(90_000);
    const failed = new Map((summary.failed as Array<{ what: string; reason: string }>).map((f) => [f.what.replace(`${proxy.registry}/`, ''), f.reason]));
    expect([...failed.keys()].sort()).toEqual(['bad/broken', 'bad/endless', 'bad/flaky']);
    expect(failed.get('bad/endless')).toMatch(/large|limit|bytes/i);
    expect(failed.get('bad/flaky')).toMatch(/500/);
    expect(failed.get('bad/broken')).toMatch(/component|wasm|decode|invalid/i);
    expect(summary).toMatchObject({ components: 4, added: 4 });
    expect(proxy.injected.endless).toBeGreaterThanOrEqual(1);
    expect(proxy.injected['error-500']).toBeGreaterThanOrEqual(2); // retried before it counted as a failure

    const search = await runCli(['search', 'key value store', '--json'], { home: t.home, env });
    expect(search.code, search.stderr).toBe(0);
    const results = JSON.parse(search.stdout).results as Array<{ ref: string; source: string }>;
    expect(results.some((r) => r.ref.includes('good/kv-store@sha256:'))).toBe(true);
    // Two tags on one digest are one component, not two.
    const all = JSON.parse((await runCli(['search', 'types', '--json', '--limit', '50'], { home: t.home, env })).stdout).results as Array<{
      ref: string;
      name: string;
    }>;
    const allTypes = all.filter((r) => r.ref.includes('good/all-types'));
    expect(new Set(allTypes.map((r) => r.name)).size).toBe(allTypes.length);
  }, 150_000);

  it('a second crawl changes nothing for the good components and counts the faults again', async () => {
    const { summary } = await crawl(t.home);
    expect(summary).toMatchObject({ components: 4, added: 0, removed: 0, unchanged: 4 });
    expect(summary.failed).toHaveLength(3);
  }, 150_000);
});

describe('a crawl killed mid-way', () => {
  const t = tempHome('wassette-crawl-kill-');
  afterAll(() => t.cleanup());

  it('is completed by the next crawl, with nothing half-written', async () => {
    // Every registry answer slowed, so the kill lands while components are being described.
    // (The faulty repositories stay faulty: one indexed by the killed crawl would be kept by the next, rightly.)
    proxy.setFaults((method, path) => (faulty(method, path) === 'pass' ? { delayMs: 150 } : faulty(method, path)));
    const child = spawn(process.execPath, [CLI, 'crawl', '--registry', proxy.registry, '--json'], { env: childEnv(t.home, env), cwd: ROOT, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 2500));
    const killedEarly = child.exitCode === null;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(killedEarly).toBe(true);

    proxy.setFaults(faulty);
    const { code, summary, stderr } = await crawl(t.home);
    expect(code, stderr).toBe(0);
    expect(summary.components).toBe(4);
    expect(summary.added + summary.unchanged).toBe(4);
    const again = await crawl(t.home);
    expect(again.summary).toMatchObject({ components: 4, added: 0, updated: 0, unchanged: 4, removed: 0 });
    const search = await runCli(['search', 'read documentation', '--json'], { home: t.home, env });
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout).results.length).toBeGreaterThan(0);
  }, 180_000);
});
