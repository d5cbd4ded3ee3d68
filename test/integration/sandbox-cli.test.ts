// The user's sandbox commands as a script would run them: policy get, permission grant/revoke/reset,
// secret set/list/delete (values never printed), audit filters, and the errors a person can act on.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, fixture, runCli, tempHome, type CliResult } from '../helpers/cli.js';

const t = tempHome();
const run = (args: string[], env?: Record<string, string>): Promise<CliResult> => runCli(args, { home: t.home, ...(env ? { env } : {}) });
async function ok(args: string[], env?: Record<string, string>): Promise<string> {
  const r = await run(args, env);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  await ok(['component', 'load', fixture('spin'), '--policy', join(ROOT, 'fixtures', 'policies', 'full.yaml')]);
}, 30_000);
afterAll(() => t.cleanup());

describe('wassette policy get', () => {
  it('prints the starting policy as YAML and warns on stderr about rules it cannot enforce', async () => {
    const yaml = await run(['policy', 'get', 'spin', '--yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain('uri: fs:///tmp/wassette-data');
    const human = await run(['policy', 'get', 'spin']);
    expect(human.stdout).toContain('# no grants beyond the starting policy');
    expect(human.stderr).toMatch(/warning: storage deny rule not enforced: \/tmp\/wassette-data\/private lies inside/);
    expect(human.stderr).toMatch(/warning: network allow rule not enforced: CIDR range 10\.0\.0\.0\/8/);
    const json = JSON.parse(await ok(['policy', 'get', 'spin', '--json']));
    expect(json.component_id).toBe('spin');
    expect(json.unenforced.length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [['policy', 'get', 'nope'], 1, 'no loaded component with id "nope"'],
    [['policy', 'get'], 2, 'missing component id'],
    [['policy', 'show', 'spin'], 2, 'unknown subcommand'],
    [['policy', 'get', 'spin', '--json', '--yaml'], 2, 'exclude each other'],
  ])('%j exits %i with a clear message', async (args, code, message) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('wassette permission', () => {
  it('grants, widens, revokes and resets; the effective policy follows', async () => {
    await ok(['permission', 'grant', 'storage', 'spin', 'fs:///srv/data', '--access', 'read']);
    expect(await ok(['permission', 'grant', 'storage', 'spin', '/srv/data', '--access', 'write'])).toContain('read+write access to /srv/data');
    expect(JSON.parse(await ok(['permission', 'grant', 'network', 'spin', 'API.Example.net', '--json'])).grant).toEqual({
      kind: 'network',
      host: 'api.example.net',
    });
    await ok(['permission', 'grant', 'environment', 'spin', 'TOKEN']);
    await ok(['permission', 'grant', 'memory', 'spin', '128Mi']);
    const grants = JSON.parse(await ok(['policy', 'get', 'spin', '--json'])).grants;
    expect(grants).toEqual([
      { kind: 'storage', uri: 'fs:///srv/data', access: ['read', 'write'] },
      { kind: 'network', host: 'api.example.net' },
      { kind: 'environment', key: 'TOKEN' },
      { kind: 'memory', limit: '128Mi' },
    ]);
    expect(await ok(['permission', 'revoke', 'network', 'spin', 'api.example.net'])).toContain('revoked network access to api.example.net');
    expect(await ok(['permission', 'revoke', 'network', 'spin', 'api.example.net'])).toContain('had no grant');
    expect(await ok(['permission', 'revoke', 'storage', 'spin', '/srv/data'])).toContain('revoked access to /srv/data');
    expect(JSON.parse(await ok(['permission', 'reset', 'spin', '--json']))).toEqual({ status: 'reset', component_id: 'spin', removed: 2 });
    expect(JSON.parse(await ok(['policy', 'get', 'spin', '--json'])).grants).toEqual([]);
  }, 30_000);

  it('resolves a plain path against the current directory', async () => {
    const out = JSON.parse(await ok(['permission', 'grant', 'storage', 'spin', 'fixtures', '--access', 'read', '--json']));
    expect(out.grant.uri).toBe(`fs://${join(ROOT, 'fixtures')}`);
    await ok(['permission', 'reset', 'spin']);
  });

  it.each([
    [['permission', 'grant', 'storage', 'spin', '/srv'], 2, 'needs --access'],
    [['permission', 'grant', 'storage', 'spin', '/srv', '--access', 'exec'], 1, "'exec' is not one of read, write"],
    [['permission', 'grant', 'network', 'spin', '*'], 1, 'would allow every host'],
    [['permission', 'grant', 'network', 'spin', 'https://x.com/'], 1, 'bare host name'],
    [['permission', 'grant', 'environment', 'spin', 'A=B'], 1, 'must not contain "="'],
    [['permission', 'grant', 'memory', 'spin', 'lots'], 1, 'not a memory quantity'],
    [['permission', 'grant', 'network', 'ghost', 'x.com'], 1, 'no loaded component with id "ghost"'],
    [['permission', 'grant', 'cpu', 'spin', '1'], 2, 'unknown permission kind "cpu"'],
    [['permission', 'grant', 'network', 'spin', 'x.com', '--access', 'read'], 2, 'storage grants only'],
    [['permission', 'fly', 'spin'], 2, 'unknown subcommand'],
  ])('%j exits %i: %s', async (args, code, message) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
  });
});

describe('wassette secret', () => {
  it('stores values privately, lists keys only, and never prints a value', async () => {
    const set = await run(['secret', 'set', 'spin', 'API_KEY=abc=def', 'FROM_SHELL'], { FROM_SHELL: 'shell-value-123' });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('set API_KEY, FROM_SHELL for spin\n');
    // full.yaml already allows API_KEY; only the other key needs a grant before the component sees it.
    expect(set.stderr).toBe('note: spin sees FROM_SHELL only after: wassette permission grant environment spin FROM_SHELL\n');
    const file = join(t.home, 'secrets', 'spin.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.home, 'secrets')).mode & 0o777).toBe(0o700);
    const list = await ok(['secret', 'list', 'spin']);
    expect(list).toBe('API_KEY\nFROM_SHELL\n');
    const audit = await ok(['audit', '--json', '--outcome', 'secret-set']);
    expect(JSON.parse(audit).entries[0]).toMatchObject({ componentId: 'spin', target: 'API_KEY,FROM_SHELL', capability: 'environment' });
    const everything = list + audit + (await ok(['audit'])) + (await ok(['policy', 'get', 'spin', '--json']));
    for (const value of ['abc=def', 'shell-value-123']) expect(everything).not.toContain(value);
    expect(JSON.parse(await ok(['secret', 'delete', 'spin', 'API_KEY', 'NOPE', '--json']))).toEqual({
      status: 'deleted',
      component_id: 'spin',
      keys: ['API_KEY'],
      missing: ['NOPE'],
    });
    expect(await ok(['secret', 'list', 'spin'])).toBe('FROM_SHELL\n');
  });

  it.each([
    [['secret', 'set', 'spin', 'UNSET_IN_SHELL'], 2, 'export UNSET_IN_SHELL'],
    [['secret', 'set', 'spin', 'BAD KEY=1'], 1, 'must not contain'],
    [['secret', 'set', 'ghost', 'K=v'], 1, 'no loaded component with id "ghost"'],
    [['secret', 'set', 'spin'], 2, 'missing KEY=VALUE'],
    [['secret', 'delete', 'spin'], 2, 'name the keys'],
  ])('%j exits %i: %s', async (args, code, message) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('v\n');
  });
});

describe('wassette audit', () => {
  it('filters by component and outcome, newest first, and limits', async () => {
    const all = JSON.parse(await ok(['audit', '--json', '--component', 'spin'])).entries as Array<{ ts: number; outcome: string }>;
    expect(all.length).toBeGreaterThan(5);
    expect(all.map((e) => e.ts)).toEqual([...all.map((e) => e.ts)].sort((a, b) => b - a));
    const granted = JSON.parse(await ok(['audit', '--json', '--outcome', 'granted', '--limit', '2'])).entries;
    expect(granted).toHaveLength(2);
    expect(granted.every((e: { outcome: string }) => e.outcome === 'granted')).toBe(true);
    expect(JSON.parse(await ok(['audit', '--json', '--component', 'ghost'])).entries).toEqual([]);
    expect(await ok(['audit', '--component', 'ghost'])).toBe('no audit entries\n');
    const table = await ok(['audit', '--limit', '3']);
    expect(table.split('\n')[0]).toMatch(/^TIME\s+COMPONENT\s+TOOL\s+OUTCOME/);
  });

  it.each([['0'], ['x'], ['10001']])('refuses --limit %s', async (limit) => {
    const r = await run(['audit', '--limit', limit]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--limit must be a whole number');
  });
});

describe('wassette approvals without requests', () => {
  it('lists nothing and refuses unknown ids', async () => {
    expect(await ok(['approvals'])).toBe('no pending approval requests\n');
    expect(JSON.parse(await ok(['approvals', 'list', '--all', '--json']))).toEqual({ requests: [] });
    const r = await run(['approvals', 'approve', 'no-such-id']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no approval request with id no-such-id');
  });
});
