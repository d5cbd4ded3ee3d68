import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, probe } from './wasi-host-probe.js';

// Guest calls block this thread (the shim waits synchronously), so the server lives in its own worker thread.
const serverSource = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/redirect') {
    res.writeHead(302, { location: url.searchParams.get('to') });
    return res.end();
  }
  res.end('hello from ' + req.headers.host);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

let worker: Worker;
let port: number;

beforeAll(async () => {
  worker = new Worker(serverSource, { eval: true });
  port = await new Promise<number>((resolve) => worker.once('message', resolve));
});

afterAll(async () => {
  await worker.terminate();
});

describe('HTTP through wasi:http (escape-probe fetch)', () => {
  it('fetches a granted loopback host', async () => {
    const p = await probe({ networkAllow: [`localhost:${port}`] });
    expect(await attempt(p, 'fetchUrl', `http://localhost:${port}/ok`)).toEqual({ ok: `200 hello from localhost:${port}` });
    expect(p.denials).toEqual([]);
  });

  it('refuses an ungranted host with an actionable Denial', async () => {
    const p = await probe({ networkAllow: ['example.com'] });
    const r = await attempt(p, 'fetchUrl', `http://localhost:${port}/ok`);
    expect(r.err).toBeDefined();
    expect(p.denials).toEqual([
      {
        capability: 'network',
        target: `localhost:${port}`,
        reason: `host localhost is not in the network allow list; grant_network_permission {host: 'localhost:${port}'} to allow`,
        allow: { tool: 'grant_network_permission', details: { host: `localhost:${port}` } },
      },
    ]);
  });

  it('refuses everything when nothing is granted', async () => {
    const p = await probe();
    expect((await attempt(p, 'fetchUrl', `http://localhost:${port}/ok`)).err).toBeDefined();
    expect(p.denials.map((d) => d.capability)).toEqual(['network']);
  });

  it('refuses an IP literal unless that literal is granted', async () => {
    const byName = await probe({ networkAllow: ['localhost'] });
    expect((await attempt(byName, 'fetchUrl', `http://127.0.0.1:${port}/ok`)).err).toBeDefined();
    expect(byName.denials[0]).toMatchObject({ capability: 'network', target: `127.0.0.1:${port}` });

    const byIp = await probe({ networkAllow: ['127.0.0.1'] });
    expect(await attempt(byIp, 'fetchUrl', `http://127.0.0.1:${port}/ok`)).toEqual({ ok: `200 hello from 127.0.0.1:${port}` });
  });

  it('refuses a port the grant does not cover', async () => {
    const p = await probe({ networkAllow: ['localhost:1'] });
    expect((await attempt(p, 'fetchUrl', `http://localhost:${port}/ok`)).err).toBeDefined();
    expect(p.denials[0]!.reason).toContain(`port ${port} of host localhost`);
  });

  it('never follows a redirect on the host, so each hop the guest follows is checked again', async () => {
    const p = await probe({ networkAllow: [`localhost:${port}`] });
    const to = `http://127.0.0.1:${port}/ok`;
    // Neither preview2-shim nor StarlingMonkey's fetch follows redirects: the guest gets the 302 itself...
    expect(await attempt(p, 'fetchUrl', `http://localhost:${port}/redirect?to=${encodeURIComponent(to)}`)).toEqual({ ok: '302 ' });
    expect(p.denials).toEqual([]);
    // ...and following it is a new request through the same check.
    expect((await attempt(p, 'fetchUrl', to)).err).toBeDefined();
    expect(p.denials).toEqual([expect.objectContaining({ capability: 'network', target: `127.0.0.1:${port}` })]);
  });
});

describe('wasi:sockets (escape-probe tcp, lookup, udp)', () => {
  it('refuses creating a TCP socket when no network is granted', async () => {
    const p = await probe();
    expect(await attempt(p, 'tcpConnect', 127, 0, 0, 1, port)).toEqual({ err: 'access-denied' });
    expect(p.denials).toEqual([expect.objectContaining({ capability: 'sockets', target: 'tcp' })]);
  });

  it('refuses connecting to an address no grant covers', async () => {
    const p = await probe({ networkAllow: ['example.com'] });
    expect(await attempt(p, 'tcpConnect', 127, 0, 0, 1, port)).toEqual({ err: 'access-denied' });
    expect(p.denials).toEqual([
      {
        capability: 'sockets',
        target: `127.0.0.1:${port}`,
        reason: `connect to 127.0.0.1:${port} refused: address 127.0.0.1 is not in the network allow list; grant_network_permission {host: '127.0.0.1:${port}'} to allow`,
        allow: { tool: 'grant_network_permission', details: { host: `127.0.0.1:${port}` } },
      },
    ]);
  });

  it('connects to an exactly granted IP and port', async () => {
    const p = await probe({ networkAllow: [`127.0.0.1:${port}`] });
    expect(await attempt(p, 'tcpConnect', 127, 0, 0, 1, port)).toEqual({ ok: undefined });
    expect(p.denials).toEqual([]);
  });

  it('refuses looking up an ungranted name', async () => {
    const p = await probe({ networkAllow: ['example.com'] });
    expect(await attempt(p, 'lookup', 'localhost')).toEqual({ err: 'access-denied' });
    expect(p.denials).toEqual([expect.objectContaining({ capability: 'sockets', target: 'localhost' })]);
  });

  it('allows connecting to what a granted name resolved to', async () => {
    const p = await probe({ networkAllow: [`localhost:${port}`] });
    const r = await attempt(p, 'lookup', 'localhost');
    expect(r.ok).toContain('127.0.0.1');
    expect(await attempt(p, 'tcpConnect', 127, 0, 0, 1, port)).toEqual({ ok: undefined });
    expect(await attempt(p, 'tcpConnect', 127, 0, 0, 1, 1)).toEqual({ err: 'access-denied' });
  });

  it('never offers UDP', async () => {
    const p = await probe({ networkAllow: ['127.0.0.1'] });
    expect(await attempt(p, 'udpCreate')).toEqual({ err: 'access-denied' });
    expect(p.denials).toEqual([expect.objectContaining({ capability: 'sockets', target: 'udp' })]);
  });
});
