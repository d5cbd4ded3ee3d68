// Test helper: an HTTP proxy in front of a real registry that injects the faults a real registry cannot produce on
// request: an endless body, a 5xx, a delay. A stand-in only for those faults; everything else is the registry's answer.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'endless' | 'error-500' | { delayMs: number };

export interface FaultProxy {
  /** `127.0.0.1:<port>`: use it as the registry host. */
  registry: string;
  /** Requests answered with a fault so far, by fault name. */
  injected: Record<string, number>;
  setFaults(choose: (method: string, path: string) => Fault): void;
  stop(): Promise<void>;
}

function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk)) {
      /* keep writing until the socket pushes back */
    }
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

export async function startFaultProxy(upstream: { host: string; port: number }): Promise<FaultProxy> {
  let choose: (method: string, path: string) => Fault = () => 'pass';
  const injected: Record<string, number> = {};
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const up = request(
      { host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${upstream.host}:${upstream.port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  };
  const server = createServer((req, res) => {
    const fault = choose(req.method ?? 'GET', req.url ?? '/');
    const name = typeof fault === 'string' ? fault : 'delay';
    if (fault !== 'pass') injected[name] = (injected[name] ?? 0) + 1;
    if (fault === 'endless') return endless(res);
    if (fault === 'error-500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('injected failure');
    if (typeof fault === 'object') return void setTimeout(() => forward(req, res), fault.delayMs);
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    registry: `127.0.0.1:${port}`,
    injected,
    setFaults: (f) => {
      choose = f;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
