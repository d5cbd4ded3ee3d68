// Test helper: an HTTP proxy in front of a registry that flips one byte in blob responses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TamperProxy {
  port: number;
  /** `127.0.0.1:<port>`: use it as the registry in `oci://` references. */
  registry: string;
  /** Number of responses altered so far. */
  tampered(): number;
  stop(): Promise<void>;
}

export interface TamperOptions {
  /** Which requests to alter; default: GET of any blob. */
  shouldTamper?: (method: string, path: string) => boolean;
}

const isBlobGet = (method: string, path: string): boolean => method === 'GET' && /\/blobs\/sha256:[a-f0-9]{64}$/.test(path.split('?')[0] ?? '');

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Forwards every request to `upstream` (e.g. `http://127.0.0.1:5000`), altering matching response bodies. */
export async function startTamperProxy(upstream: string, options: TamperOptions = {}): Promise<TamperProxy> {
  const should = options.shouldTamper ?? isBlobGet;
  let count = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readAll(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (k === 'host' || k === 'connection' || k === 'content-length' || v === undefined) continue;
        headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      const method = req.method ?? 'GET';
      const up = await fetch(`${upstream}${req.url ?? '/'}`, {
        method,
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
        redirect: 'manual',
      });
      const out = Buffer.from(await up.arrayBuffer());
      if (up.ok && out.length > 0 && should(method, req.url ?? '')) {
        const i = Math.floor(out.length / 2);
        out[i] = (out[i] ?? 0) ^ 0xff;
        count++;
      }
      const h: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') h[k] = v;
      });
      h['content-length'] = String(method === 'HEAD' ? Number(up.headers.get('content-length') ?? 0) : out.length);
      res.writeHead(up.status, h);
      res.end(method === 'HEAD' ? undefined : out);
    })().catch((e: unknown) => {
      res.writeHead(502);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    registry: `127.0.0.1:${port}`,
    tampered: () => count,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
