// A process that starts one transpile of a large component (text-tools with a 240 MiB custom section, 3-5 s of
// transpiling), prints the transpile process id, and waits; the test kills it with SIGKILL mid-transpile.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TranspileService } from '../../src/runtime/transpile-service.js';
import { fixturePath } from '../fixtures/load-fixture.js';

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const base = new Uint8Array(readFileSync(fixturePath('text-tools')));
const size = 240 * 2 ** 20;
const name = new TextEncoder().encode('padding');
const body = [...uleb(name.length), ...name];
const header = Uint8Array.from([0, ...uleb(body.length + size), ...body]);
const bytes = new Uint8Array(base.length + header.length + size);
bytes.set(base);
bytes.set(header, base.length);
bytes.fill(7, base.length + header.length);
const svc = new TranspileService(60_000, 600_000);
void svc.transpile(bytes, mkdtempSync(join(tmpdir(), 'wassette-orphan-')));
const wait = setInterval(() => {
  if (svc.pid === undefined) return;
  clearInterval(wait);
  process.stdout.write(`${svc.pid}\n`);
}, 20);
setInterval(() => undefined, 1000);
