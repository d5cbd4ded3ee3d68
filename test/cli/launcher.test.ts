// The `wassette` bin starts as a shell script (main.ts's first two lines) that sets glibc's mmap threshold and execs
// node on the same file: one process throughout, so MCP over stdio, signals and exit codes are node's own.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, childEnv, startStdioSession, tempHome } from '../helpers/cli.js';

function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function startProgram(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcessWithoutNullStreams; done: Promise<{ code: number | null; stdout: string; stderr: string }>; stderr(): string } {
  const child = spawn('/bin/sh', [CLI, ...args], { env, cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

describe('the wassette bin as a program', () => {
  const t = tempHome();
  afterAll(() => t.cleanup());

  it.each([
    ['sets the mmap threshold', {}, '1048576'],
    ['keeps a threshold the user set', { MALLOC_MMAP_THRESHOLD_: '65536' }, '65536'],
  ])(
    'serve %s in the process it was started as (node, exec from sh) and exits 0 on SIGTERM',
    async (_what, extra, expected) => {
      const p = startProgram(['serve'], childEnv(t.home, extra));
      try {
        // SIGTERM goes out in the same tick the ready line arrives, as a supervisor would send it: the server must
        // already handle it then.
        const pid = p.child.pid!;
        let seen: { comm: string; threshold: string | undefined } | undefined;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ready line in 20 s: ${p.stderr()}`)), 20_000);
          p.child.stderr.on('data', () => {
            if (seen || !/serving MCP over stdio/.test(p.stderr())) return;
            seen = { comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), threshold: environOf(pid).MALLOC_MMAP_THRESHOLD_ };
            p.child.kill('SIGTERM');
            clearTimeout(timer);
            resolve();
          });
        });
        expect(seen).toEqual({ comm: 'node', threshold: expected });
        const r = await p.done;
        expect(r.code).toBe(0);
        expect(r.stdout).toBe('');
        expect(r.stderr).not.toMatch(/not found|Permission denied/);
      } finally {
        p.child.kill('SIGKILL');
      }
    },
    30_000,
  );

  it('answers MCP over stdio', async () => {
    const s = await startStdioSession({ home: t.home, asProgram: true });
    try {
      expect((await s.client.listTools()).tools.map((x) => x.name)).toContain('load_component');
    } finally {
      await s.close();
    }
  }, 30_000);

  it('passes arguments and exit codes through and prints nothing of its own', async () => {
    const env = childEnv(t.home);
    expect(await startProgram(['--version'], env).done).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    expect(await startProgram(['no such', 'command'], env).done).toEqual({
      code: 2,
      stdout: '',
      stderr: 'wassette: unknown command "no such" (see wassette --help)\n',
    });
  });
});
