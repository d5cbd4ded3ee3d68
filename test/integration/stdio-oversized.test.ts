import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, childEnv, tempHome } from '../helpers/cli.js';

const LIMIT = 1024 * 1024;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function serve(): { child: ChildProcessWithoutNullStreams; replies: () => Array<Record<string, unknown>>; stderr: () => string } {
  const h = tempHome();
  const child = spawn(process.execPath, [CLI, 'serve'], { env: childEnv(h.home, { WASSETTE_MAX_MESSAGE_BYTES: String(LIMIT) }), cwd: ROOT, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  cleanups.push(() => {
    child.kill();
    h.cleanup();
  });
  return {
    child,
    replies: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => err,
  };
}

const msg = (o: object) => `${JSON.stringify({ jsonrpc: '2.0', ...o })}\n`;
const init = msg({ id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });

describe('stdio: messages over the size limit', () => {
  it('answers a far-oversized message with one error and keeps serving', async () => {
    const s = serve();
    s.child.stdin.write(init);
    await expect.poll(() => s.replies().length, { timeout: 15_000 }).toBe(1);
    const huge = msg({ id: 1, method: 'ping', params: { pad: 'x'.repeat(24 * 1024 * 1024) } });
    s.child.stdin.write(huge);
    s.child.stdin.write(msg({ id: 2, method: 'ping' }));
    await expect.poll(() => s.replies().length, { timeout: 15_000 }).toBe(3);
    const [, dropped, pong] = s.replies();
    expect(dropped).toMatchObject({ id: null, error: { code: -32600 } });
    expect(pong).toMatchObject({ id: 2, result: {} });
    expect(s.stderr()).toMatch(/dropped a stdio message/);
  });

  it('accepts a message exactly at the limit and a burst of mid-size ones', async () => {
    const s = serve();
    s.child.stdin.write(init);
    await expect.poll(() => s.replies().length, { timeout: 15_000 }).toBe(1);
    const base = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: '' } });
    const exact = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'y'.repeat(LIMIT - base.length) } });
    expect(Buffer.byteLength(exact)).toBe(LIMIT);
    s.child.stdin.write(`${exact}\n`);
    for (let i = 0; i < 20; i++) s.child.stdin.write(msg({ id: 10 + i, method: 'ping', params: { pad: 'z'.repeat(LIMIT / 2) } }));
    await expect.poll(() => s.replies().length, { timeout: 20_000 }).toBe(22);
    expect(s.replies().every((r) => r.error === undefined)).toBe(true);
  });

  it('handles a last message without a newline before EOF, and invalid UTF-8, without exiting silently', async () => {
    const s = serve();
    s.child.stdin.write(init);
    await expect.poll(() => s.replies().length, { timeout: 15_000 }).toBe(1);
    s.child.stdin.write(Buffer.from([0xff, 0xfe, 0x7b, 0x0a]));
    s.child.stdin.write(msg({ id: 5, method: 'ping' }));
    await expect.poll(() => s.replies().some((r) => r.id === 5), { timeout: 15_000 }).toBe(true);
    s.child.stdin.end(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'ping' }));
    const code = await new Promise<number | null>((r) => s.child.on('exit', r));
    expect(code).toBe(0);
  });
});
