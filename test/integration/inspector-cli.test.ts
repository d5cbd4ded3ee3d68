// The official MCP inspector in CLI mode (@modelcontextprotocol/inspector-cli, what `npx @modelcontextprotocol/inspector
// --cli` runs) drives the real server over stdio and over Streamable HTTP: list tools, load a component, call its
// tool, read its WIT resource. Each inspector run is one connection making one request, so over stdio every step
// starts a fresh server on the same home (the load persists in the store and is restored), and over HTTP every
// step is a new session of the one server (sessions share the loaded components).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, CLI, fixture, ROOT, runCli, tempHome } from '../helpers/cli.js';
import { spawnHttpServer, type ServingChild } from '../helpers/http-serve.js';

const INSPECTOR = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build', 'cli.js');
/**
 * inspector-cli 1.0.3 picks the package.json it names itself after with `existsSync("../package.json")`, relative to
 * the working directory, but imports it relative to its own module; from a directory whose parent has no
 * package.json it fails with "Cannot find module .../@modelcontextprotocol/package.json". test/ (parent: the repo) works.
 */
const INSPECTOR_CWD = join(ROOT, 'test');

interface InspectorResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the inspector prints the MCP result), or undefined when it is not JSON. */
  json?: any;
}

async function inspector(args: string[], home: string): Promise<InspectorResult> {
  const child = spawn(process.execPath, [INSPECTOR, '--cli', ...args], { cwd: INSPECTOR_CWD, env: childEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

/** Asserts success and returns the parsed result. */
function ok(r: InspectorResult): any {
  expect(r.code, `inspector failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.json, `not JSON:\n${r.stdout}`).toBeDefined();
  return r.json;
}

const toolNames = (result: any): string[] => (result.tools as Array<{ name: string }>).map((t) => t.name);

/** The four steps, given how to reach the server: [target and transport arguments]. */
function steps(target: () => string[], home: () => string): void {
  it('lists the built-in tools', async () => {
    const names = toolNames(ok(await inspector([...target(), '--method', 'tools/list'], home())));
    expect(names).toEqual(expect.arrayContaining(['load_component', 'list_components', 'unload_component']));
    expect(names).not.toContain('hello');
  });

  it('loads a component with load_component', async () => {
    const r = ok(await inspector([...target(), '--method', 'tools/call', '--tool-name', 'load_component', '--tool-arg', `path=${fixture('docs')}`], home()));
    expect(r.isError).not.toBe(true);
    expect(r.structuredContent).toMatchObject({ id: 'docs', tools: ['hello', 'api_run'] });
  });

  it("lists and calls the component's tools", async () => {
    const listed = ok(await inspector([...target(), '--method', 'tools/list'], home()));
    const hello = (listed.tools as Array<{ name: string; description?: string }>).find((t) => t.name === 'hello');
    expect(hello?.description).toBe('Returns a friendly greeting.');
    const called = ok(await inspector([...target(), '--method', 'tools/call', '--tool-name', 'hello'], home()));
    expect(called.isError).not.toBe(true);
    expect(called.structuredContent).toEqual({ result: 'hello from docs' });
    const run = ok(await inspector([...target(), '--method', 'tools/call', '--tool-name', 'api_run'], home()));
    expect(run.structuredContent).toEqual({ result: 7 });
  });

  it("reads the component's WIT as a resource", async () => {
    const r = ok(await inspector([...target(), '--method', 'resources/read', '--uri', 'wassette://components/docs/wit'], home()));
    expect(r.contents[0]).toMatchObject({ uri: 'wassette://components/docs/wit', mimeType: 'text/x-wit' });
    expect(r.contents[0].text).toContain('hello: func() -> string');
  });
}

describe('inspector CLI over stdio', () => {
  const h = tempHome('wassette-inspector-stdio-');
  afterAll(() => h.cleanup());
  steps(
    () => ['--', process.execPath, CLI, 'serve'],
    () => h.home,
  );
});

describe('inspector CLI over Streamable HTTP', () => {
  const h = tempHome('wassette-inspector-http-');
  let server: ServingChild | undefined;
  let token = '';
  beforeAll(async () => {
    server = await spawnHttpServer(h.home, '127.0.0.1:0');
    token = (await runCli(['http-token'], { home: h.home })).stdout.trim();
  });
  afterAll(async () => {
    await server?.stop();
    h.cleanup();
  });

  it('is refused without the bearer token', async () => {
    const r = await inspector([server!.url.href, '--transport', 'http', '--method', 'tools/list'], h.home);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('missing or wrong bearer token');
  });

  steps(
    () => [server!.url.href, '--transport', 'http', '--header', `Authorization: Bearer ${token}`],
    () => h.home,
  );
});
