// Test helper: a TCP proxy in front of a local server whose open connections the test can cut and whose new
// connections it can refuse for a while, standing for a network that drops and comes back. It records the
// request lines and headers that pass, so a test can see what a client sent when it reconnected.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CutProxy {
  port: number;
  /** The head (request line and headers) of every HTTP request that went through, lower-cased. */
  heads: string[];
  setUpstream(port: number): void;
  /** Destroys every open connection, both sides. */
  cut(): void;
  /** While on, new connections are closed at once (the client's fetch fails). */
  refuse(on: boolean): void;
  stop(): Promise<void>;
}

export async function startCutProxy(): Promise<CutProxy> {
  let upstream = 0;
  let refusing = false;
  const open = new Set<Socket>();
  const heads: string[] = [];
  const server = createServer((client) => {
    if (refusing || upstream === 0) return void client.destroy();
    const up = connect(upstream, '127.0.0.1');
    open.add(client);
    open.add(up);
    const done = (): void => {
      client.destroy();
      up.destroy();
      open.delete(client);
      open.delete(up);
    };
    client.on('data', (d: Buffer) => {
      const text = d.toString('latin1');
      if (/^(GET|POST|DELETE) /.test(text)) heads.push(text.slice(0, Math.max(0, text.indexOf('\r\n\r\n'))).toLowerCase());
    });
    client.pipe(up);
    up.pipe(client);
    client.on('error', done).on('close', done);
    up.on('error', done).on('close', done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    heads,
    setUpstream: (p) => {
      upstream = p;
    },
    cut: () => {
      for (const s of open) s.destroy();
      open.clear();
    },
    refuse: (on) => {
      refusing = on;
    },
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
