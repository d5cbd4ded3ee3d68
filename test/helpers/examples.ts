// Examples end to end, shared by the per-language integration tests: build (cached in examples/build), publish signed
// to a real loopback registry, crawl it with the CLI, serve over stdio in prompt mode, then find, approve and load.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { ExampleOutcome } from '../../scripts/build-examples.js';
import { call, ROOT, runCli, startStdioSession, tempHome, text, type McpSession } from './cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from './registry.js';
import { generateP256 } from './signing.js';

const MODEL = join(ROOT, 'fixtures', 'build', 'models', 'all-MiniLM-L6-v2');
/** The embedding model from the fixtures, never a download. */
export const EXAMPLES_ENV = { WASSETTE_EMBED_MODEL: MODEL, WASSETTE_MODEL_DOWNLOAD: '0' };
export const NAMESPACE = 'examples';

export interface ExamplesWorld {
  registry: RunningRegistry;
  home: string;
  session: McpSession;
  /** By example name: how it was built and the pinned reference it was published under. */
  examples: Record<string, ExampleOutcome>;
  /** `wassette crawl --json` output. */
  crawl: Record<string, any>;
}

/** Runs `npm run examples` (tsx scripts/build-examples.ts) as a child; a cached example is not rebuilt. */
export async function buildExamples(args: string[], home: string): Promise<{ code: number; outcomes: ExampleOutcome[]; stderr: string }> {
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const { spawn } = await import('node:child_process');
  const child = spawn(tsx, [join(ROOT, 'scripts', 'build-examples.ts'), ...args, '--json'], {
    cwd: ROOT,
    env: { ...process.env, WASSETTE_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  const outcomes = stdout.trim() === '' ? [] : (JSON.parse(stdout) as { examples: ExampleOutcome[] }).examples;
  return { code, outcomes, stderr };
}

/**
 * beforeAll/afterAll for one test file: a registry, a signing key the home trusts for the examples namespace
 * (so a load succeeds only with a valid signature), the named examples built and published with --key, a crawl,
 * and `wassette serve` in prompt mode. Read `.world` inside tests.
 */
export function examplesWorld(names: string[]): { readonly world: ExamplesWorld } {
  const t = tempHome('wassette-examples-');
  let current: ExamplesWorld | undefined;
  let registry: RunningRegistry | undefined;
  let session: McpSession | undefined;
  beforeAll(async () => {
    registry = await startRegistry();
    const key = generateP256();
    const keyFile = join(t.home, 'examples-key.pem');
    const pubFile = join(t.home, 'examples-key.pub');
    writeFileSync(keyFile, key.privateKeyPem);
    writeFileSync(pubFile, key.publicKeyPem);
    writeFileSync(join(t.home, 'config.yaml'), `trust:\n  - scope: "${registry.registry}/${NAMESPACE}"\n    require: cosign\n    keys: [${pubFile}]\n`);
    const only = names.flatMap((n) => ['--only', n]);
    const built = await buildExamples([...only, '--publish', `oci://${registry.registry}/${NAMESPACE}`, '--key', keyFile], t.home);
    expect(built.code, built.stderr).toBe(0);
    const crawled = await runCli(['crawl', '--registry', registry.registry, '--json'], { home: t.home, env: EXAMPLES_ENV });
    expect(crawled.code, crawled.stderr).toBe(0);
    session = await startStdioSession({ home: t.home, env: { ...EXAMPLES_ENV, WASSETTE_APPROVAL: 'prompt' } });
    current = {
      registry,
      home: t.home,
      session,
      examples: Object.fromEntries(built.outcomes.map((o) => [o.name, o])),
      crawl: JSON.parse(crawled.stdout),
    };
  }, 900_000);
  afterAll(async () => {
    await session?.close();
    await destroyRegistry(registry);
    t.cleanup();
  });
  return {
    get world(): ExamplesWorld {
      if (!current) throw new Error('the examples world starts in beforeAll');
      return current;
    },
  };
}

/** Approves a pending request the way a user does in a terminal: `wassette approvals approve <id>`. */
export async function approve(world: ExamplesWorld, requestId: string): Promise<void> {
  const r = await runCli(['approvals', 'approve', requestId], { home: world.home, env: EXAMPLES_ENV });
  expect(r.code, r.stderr).toBe(0);
}

/** `search_tools` with a user's words; returns the top-3 hit that comes from `example`, failing when there is none. */
export async function findExample(world: ExamplesWorld, example: string, query: string): Promise<{ name: string; ref: string; [k: string]: unknown }> {
  const r = await call(world.session, 'search_tools', { query, limit: 3 });
  expect(r.isError, text(r)).toBeFalsy();
  const results = (r.structuredContent?.results ?? []) as Array<{ name: string; ref: string }>;
  const hit = results.find((x) => x.ref.includes(`/${NAMESPACE}/${example}@sha256:`));
  expect(hit, `"${query}" should find ${example} in the top 3, got ${results.map((x) => `${x.name} (${x.ref})`).join(', ')}`).toBeDefined();
  return hit!;
}

/** `load_tool` in prompt mode: pending, approved from the CLI, then loaded; returns the component id and its tools. */
export async function loadExample(world: ExamplesWorld, ref: string, reason: string): Promise<{ id: string; tools: string[] }> {
  const asked = await call(world.session, 'load_tool', { ref, reason });
  expect(asked.isError, text(asked)).toBeFalsy();
  expect(asked.structuredContent?.status).toBe('pending');
  const requestId = asked.structuredContent?.request_id as string;
  await approve(world, requestId);
  let loaded: { id: string; tools: string[] } | undefined;
  // Whichever process claimed the approval (this server or the CLI) may still be fetching and transpiling.
  await vi.waitFor(
    async () => {
      const status = await call(world.session, 'approval_status', { request_id: requestId });
      expect(status.structuredContent, text(status)).toMatchObject({ status: 'approved', applied: true });
      const tools = (status.structuredContent?.tools as string[] | undefined) ?? [];
      expect(tools.length, `${text(status)}\n${world.session.stderr().slice(-3000)}`).toBeGreaterThan(0);
      loaded = { id: status.structuredContent?.component_id as string, tools };
    },
    { timeout: 60_000, interval: 500 },
  );
  // The server announces the tools once it has followed the store; wait until it lists them.
  await vi.waitFor(
    async () => {
      const listed = (await world.session.client.listTools()).tools.map((x) => x.name);
      for (const name of loaded!.tools) expect(listed).toContain(name);
    },
    { timeout: 20_000, interval: 250 },
  );
  return loaded!;
}

/** A grant the agent asks for, approved by the user from the CLI; resolves once the server applies it. */
export async function grantApproved(world: ExamplesWorld, tool: string, details: Record<string, unknown>, componentId: string): Promise<void> {
  const asked = await call(world.session, tool, { component_id: componentId, details });
  expect(asked.isError, text(asked)).toBeFalsy();
  if (asked.structuredContent?.status !== 'pending') return;
  const requestId = asked.structuredContent.request_id as string;
  await approve(world, requestId);
  await vi.waitFor(
    async () => {
      const status = await call(world.session, 'approval_status', { request_id: requestId });
      expect(status.structuredContent, text(status)).toMatchObject({ status: 'approved', applied: true });
    },
    { timeout: 20_000, interval: 250 },
  );
}
