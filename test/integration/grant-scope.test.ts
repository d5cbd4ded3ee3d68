// Grant scope end to end: a grant approved "for this session" holds in the server that asked, not in another
// server on the same home, and vanishes when that server stops, cleanly or by kill -9 (the next server drops it).
// A grant approved "always" survives restarts.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const ENV = { WASSETTE_APPROVAL: 'prompt', PROBE_VAR: 'visible' };

async function hasEnv(s: McpSession): Promise<boolean> {
  const r = await call(s, 'has_env', { key: 'PROBE_VAR' });
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent?.result === true;
}

async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(200);
  }
  return false;
}

/** Asks for PROBE_VAR from `s` and approves it from the CLI with `flags`. */
async function grantFrom(s: McpSession, home: string, flags: string[]): Promise<void> {
  const asked = await call(s, 'grant_environment_variable_permission', { component_id: 'wasi-env', details: { key: 'PROBE_VAR' } });
  expect(asked.structuredContent?.status, text(asked)).toBe('pending');
  const ok = await runCli(['approvals', 'approve', asked.structuredContent?.request_id as string, ...flags], { home, env: ENV });
  expect(ok.code, ok.stderr).toBe(0);
}

function sessionGrants(home: string): number {
  const store = openStore(home);
  try {
    return store.grants.listAll().filter((g) => g.session !== '').length;
  } finally {
    store.close();
  }
}

describe('grant scope', () => {
  const t = tempHome('wassette-scope-');
  beforeAll(async () => {
    const r = await runCli(['component', 'load', fixture('wasi-env')], { home: t.home, env: ENV });
    expect(r.code, r.stderr).toBe(0);
  }, 30_000);
  afterAll(() => t.cleanup());

  it('a session grant holds in the asking server only and ends with it', async () => {
    const a = await startStdioSession({ home: t.home, env: ENV });
    const b = await startStdioSession({ home: t.home, env: ENV });
    try {
      expect(await hasEnv(a)).toBe(false);
      await grantFrom(a, t.home, ['--session']);
      expect(await eventually(() => hasEnv(a))).toBe(true);
      expect(await hasEnv(b)).toBe(false);
      const list = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: t.home, env: ENV })).stdout);
      expect(list.requests.at(-1)).toMatchObject({ status: 'approved', scope: 'session' });
    } finally {
      await a.close();
      await b.close();
    }
    expect(sessionGrants(t.home)).toBe(0);
    const again = await startStdioSession({ home: t.home, env: ENV });
    try {
      expect(await hasEnv(again)).toBe(false);
    } finally {
      await again.close();
    }
  }, 90_000);

  it('a killed server leaves its session grants behind only until the next server starts', async () => {
    const a = await startStdioSession({ home: t.home, env: ENV });
    await grantFrom(a, t.home, ['--session']);
    expect(await eventually(() => hasEnv(a))).toBe(true);
    const pid = a.pid?.();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, 'SIGKILL');
    await eventually(async () => {
      try {
        process.kill(pid as number, 0);
        return false;
      } catch {
        return true;
      }
    });
    await a.close().catch(() => undefined);
    expect(sessionGrants(t.home)).toBe(1);
    const next = await startStdioSession({ home: t.home, env: ENV });
    try {
      expect(sessionGrants(t.home)).toBe(0);
      expect(await hasEnv(next)).toBe(false);
    } finally {
      await next.close();
    }
  }, 90_000);

  it('an "always" grant survives a restart', async () => {
    const a = await startStdioSession({ home: t.home, env: ENV });
    try {
      await grantFrom(a, t.home, []);
      expect(await eventually(() => hasEnv(a))).toBe(true);
    } finally {
      await a.close();
    }
    const b = await startStdioSession({ home: t.home, env: ENV });
    try {
      expect(await hasEnv(b)).toBe(true);
    } finally {
      await b.close();
    }
  }, 90_000);
});
