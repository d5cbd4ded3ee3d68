// Components over http(s) with a `#sha256=` pin: right pin loads, wrong pin is refused and nothing is kept.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

describe('http(s) source with a sha256 pin (served on loopback)', () => {
  const bytes = readFileSync(fixture('all-types'));
  const hex = createHash('sha256').update(bytes).digest('hex');
  const home = tempHome();
  let server: Server;
  let base = '';
  let requests = 0;
  let session: McpSession;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url === '/c/all-types.wasm') {
        res.writeHead(200, { 'content-type': 'application/wasm', 'content-length': String(bytes.length) });
        res.end(bytes);
      } else {
        res.writeHead(404);
        res.end('no such file');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    session = await startStdioSession({ home: home.home });
  });
  afterAll(async () => {
    await session.close();
    await new Promise((r) => server.close(r));
    home.cleanup();
  });

  it('refuses a wrong pin with both digests in the message, registering and caching nothing', async () => {
    const wrong = 'ab'.repeat(32);
    const r = await call(session, 'load_component', { path: `${base}/c/all-types.wasm#sha256=${wrong}` });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(`sha256:${wrong}`);
    expect(text(r)).toContain(`sha256:${hex}`);
    expect(text(r)).toMatch(/mismatch/i);
    expect((await call(session, 'list_components')).structuredContent?.components).toEqual([]);
    const blobs = join(home.home, 'blobs', 'sha256');
    expect(existsSync(blobs) ? readdirSync(blobs) : []).toEqual([]);
  });

  it('reports a missing file with its HTTP status', async () => {
    const r = await call(session, 'load_component', { path: `${base}/c/nope.wasm` });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/404/);
  });

  it('loads with the right pin, records the pinned source, and serves a later load from the cache', async () => {
    const r = await call(session, 'load_component', { path: `${base}/c/all-types.wasm#sha256=${hex}` });
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent?.digest).toBe(`sha256:${hex}`);
    expect(r.structuredContent?.source).toBe(`${base}/c/all-types.wasm#sha256=${hex}`);
    expect((await call(session, 'add', { a: 2, b: 3 })).structuredContent).toEqual({ result: 5 });
    const before = requests;
    const again = await call(session, 'load_component', { path: `${base}/c/all-types.wasm#sha256=${hex}` });
    expect(again.isError, text(again)).toBeFalsy();
    expect(requests).toBe(before);
  });

  it('refuses plain http to a non-loopback host', async () => {
    const r = await call(session, 'load_component', { path: `http://example.com/all-types.wasm#sha256=${hex}` });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/loopback|https/);
  });
});
