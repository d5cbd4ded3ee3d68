// Integration-test harness: runs the real compiled `wassette` CLI as a child process, either as a
// one-shot command or as an MCP server over stdio with the SDK's client attached.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
  LoggingMessageNotificationSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const FIXTURES = join(ROOT, 'fixtures', 'build');

export function fixture(name: string): string {
  return join(FIXTURES, `${name}.wasm`);
}

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export function tempHome(prefix = 'wassette-it-'): { home: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Environment for a child: the test's own env minus any WASSETTE_* leaking in, plus overrides. */
export function childEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('WASSETTE_')) env[k] = v;
  return { ...env, WASSETTE_HOME: home, WASSETTE_APPROVAL: 'auto', ...extra };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { home: string; env?: Record<string, string>; cwd?: string }): Promise<CliResult> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(opts.home, opts.env), cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  return { code, stdout, stderr };
}

export interface McpSession {
  client: Client;
  stderr(): string;
  /** Number of notifications/tools/list_changed received so far. */
  listChanged(): number;
  logs: unknown[];
  close(): Promise<void>;
  /** The server process id (null once it has exited). */
  pid?(): number | null;
}

export interface SessionOptions {
  home: string;
  env?: Record<string, string>;
  /** When given, the client advertises elicitation and answers with this function (given the form's schema too). */
  elicit?: (message: string, schema: Record<string, unknown>, signal: AbortSignal) => ElicitResult | Promise<ElicitResult>;
  /** Extra arguments after `serve`. */
  args?: string[];
  /**
   * Run the CLI file as a program (`/bin/sh <file>`, what its `#!/bin/sh` line makes the kernel do for the installed
   * `wassette` bin) instead of `node <file>`: the way users start it, with the launcher line's environment.
   */
  asProgram?: boolean;
}

export async function startStdioSession(opts: SessionOptions): Promise<McpSession> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: opts.asProgram ? '/bin/sh' : process.execPath,
    args: [CLI, 'serve', ...(opts.args ?? [])],
    env: childEnv(opts.home, opts.env),
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'wassette-tests', version: '1.0.0' }, { capabilities: opts.elicit ? { elicitation: {} } : {} });
  let changed = 0;
  const logs: unknown[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    changed++;
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => {
    logs.push(n.params.data);
  });
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req, extra) =>
      answer(String(req.params.message), ('requestedSchema' in req.params ? req.params.requestedSchema : {}) as Record<string, unknown>, extra.signal),
    );
  }
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    listChanged: () => changed,
    logs,
    close: () => client.close(),
    pid: () => transport.pid,
  };
}

/** The choices an approval form offers (the `decision` field's `oneOf` consts). */
export function formChoices(schema: Record<string, unknown>): string[] {
  const decision = (schema.properties as Record<string, { oneOf?: Array<{ const: string }> }> | undefined)?.decision;
  return (decision?.oneOf ?? []).map((c) => c.const);
}

/** Calls a tool and returns the result with structuredContent typed loosely for assertions. */
export async function call(
  session: McpSession,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{
  isError?: boolean;
  structuredContent?: Record<string, any>;
  content: Array<{ type: string; text?: string }>;
}> {
  return (await session.client.callTool({ name, arguments: args })) as never;
}

export function text(result: { content: Array<{ type: string; text?: string }> }): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

/**
 * A stdio session shared by one `describe` block: started in beforeAll on a fresh home, closed and
 * cleaned in afterAll. Read `.session` inside tests.
 */
export function sharedSession(opts: Omit<SessionOptions, 'home'> = {}): { home: string; readonly session: McpSession } {
  const t = tempHome();
  let current: McpSession | undefined;
  beforeAll(async () => {
    current = await startStdioSession({ ...opts, home: t.home });
  });
  afterAll(async () => {
    await current?.close();
    t.cleanup();
  });
  return {
    home: t.home,
    get session(): McpSession {
      if (!current) throw new Error('the session starts in beforeAll');
      return current;
    },
  };
}
