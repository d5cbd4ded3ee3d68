// Synchronous name resolution for host-side guards that run inside a synchronous WASI call: a helper
// thread does dns.lookup (the resolver the shim's own requests use) while the caller waits on a shared flag.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

export type Resolution = { addresses: string[] } | { error: string };
export type SyncResolver = (name: string) => Resolution;

const HELPER = `
const { parentPort } = require('node:worker_threads');
const dns = require('node:dns');
parentPort.on('message', ({ name, port, flag }) => {
  const done = (msg) => { port.postMessage(msg); port.close(); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
  try {
    dns.lookup(name, { all: true, verbatim: true }, (err, addrs) =>
      done(err ? { error: String(err.code || err.message) } : { addresses: addrs.map((a) => a.address) }));
  } catch (e) {
    done({ error: String(e && e.message ? e.message : e) });
  }
});`;

let helper: Worker | undefined;

/** Resolves `name` to every address it has right now; fails (never throws) on error or after `timeoutMs`. */
export function resolveHostSync(name: string, timeoutMs = 5000): Resolution {
  if (!helper) {
    helper = new Worker(HELPER, { eval: true });
    helper.unref();
    helper.on('error', () => {
      helper = undefined;
    });
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  helper.postMessage({ name, port: port2, flag }, [port2]);
  const waited = Atomics.wait(flag, 0, 0, timeoutMs);
  const msg = receiveMessageOnPort(port1);
  port1.close();
  if (waited === 'timed-out' || !msg) return { error: `lookup took longer than ${timeoutMs} ms` };
  return msg.message as Resolution;
}
