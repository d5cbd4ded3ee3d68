// A `fetch` for the SDK's HTTP client transport built on node:http with a keep-alive agent: what a Node client
// can choose instead of the global fetch (undici), to show how much of an HTTP round trip is the client's.
import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';

export function nodeHttpFetch(): { fetch: (url: string | URL, init?: RequestInit) => Promise<Response>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const fetchImpl = (url: string | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const headers = new Headers(init.headers);
      const req = request(String(url), { method: init.method ?? 'GET', agent, headers: Object.fromEntries(headers.entries()) }, (res) => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 0;
        const noBody = status === 202 || status === 204 || init.method === 'HEAD';
        if (noBody || !String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: out })));
          res.on('error', reject);
          return;
        }
        resolve(new Response(Readable.toWeb(res) as ReadableStream, { status, headers: out }));
      });
      req.on('error', reject);
      init.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
  return { fetch: fetchImpl, close: () => agent.destroy() };
}
