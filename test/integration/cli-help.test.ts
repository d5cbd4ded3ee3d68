// `--help`/`-h` on every command and subcommand, a missing subcommand, and `serve --http <port>`, over the built CLI.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli.js';
import { spawnHttpServer } from '../helpers/http-serve.js';

const { home, cleanup } = tempHome();
afterAll(cleanup);

/** Every command with its subcommands (none: the command runs as is), as the contract lists them. */
const COMMANDS: [string, string[]][] = [
  ['serve', []],
  ['http-token', []],
  ['inspect', []],
  ['audit', []],
  ['publish', []],
  ['sign', []],
  ['component', ['load', 'list', 'unload']],
  ['policy', ['get']],
  ['permission', ['grant', 'revoke', 'reset']],
  ['secret', ['set', 'list', 'delete']],
  ['approvals', ['list', 'approve', 'deny']],
  ['cache', ['prune']],
];

const lines = (s: string): string[] => s.split('\n').filter((l) => l.startsWith('usage: ') || l.startsWith('       '));

describe('--help', () => {
  const cases = COMMANDS.flatMap(([c, subs]) => [[c, undefined, '--help'], [c, undefined, '-h'], ...subs.map((s) => [c, s, '--help'])]);
  it.each(cases as [string, string | undefined, string][])('wassette %s %s %s prints its usage and exits 0', async (command, sub, flag) => {
    const r = await runCli([command, ...(sub ? [sub] : []), flag], { home });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const usage = lines(r.stdout);
    expect(usage.length).toBeGreaterThan(0);
    const prefix = `wassette ${command}${sub ? ` ${sub}` : ''}`;
    if (sub) expect(usage).toEqual([expect.stringContaining(`usage: ${prefix}`)]);
    else expect(usage.every((l) => l.includes(`wassette ${command}`))).toBe(true);
  });

  it('--help wins over the other arguments and changes nothing', async () => {
    const r = await runCli(['component', 'unload', 'nothing-here', '--help'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: wassette component unload <id>');
    expect((await runCli(['help', 'component', 'unload'], { home })).stdout).toBe(r.stdout);
  });
});

describe('a command that needs a subcommand, given none', () => {
  it.each(COMMANDS.filter(([c, subs]) => subs.length > 0 && c !== 'approvals').map(([c, subs]) => [c, subs] as const))(
    'wassette %s prints its usage on stderr and exits 2',
    async (command, subs) => {
      const r = await runCli([command], { home });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`wassette ${command}: missing subcommand`);
      for (const s of subs) expect(r.stderr).toContain(`wassette ${command} ${s}`);
    },
  );
});

describe('serve --http', () => {
  it('takes a bare port as 127.0.0.1:<port>; host:port still works', async () => {
    for (const addr of ['0', '127.0.0.1:0']) {
      const srv = await spawnHttpServer(home, addr, [], 30_000);
      try {
        expect(srv.url.hostname).toBe('127.0.0.1');
        expect(Number(srv.url.port)).toBeGreaterThan(0);
      } finally {
        await srv.stop();
      }
    }
  });
});
