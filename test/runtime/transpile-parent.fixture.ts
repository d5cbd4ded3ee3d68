// A process that starts one transpile of a large component (text-tools with a 240 MiB custom section, 3-5 s of
// transpiling), prints the transpile process id, and waits; the test kills it with SIGKILL mid-transpile.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendCustomSection } from '../../scripts/examples/add-package-docs.js';
import { TranspileService } from '../../src/runtime/transpile-service.js';
import { fixturePath } from '../fixtures/load-fixture.js';

const base = new Uint8Array(readFileSync(fixturePath('text-tools')));
const bytes = appendCustomSection(base, 'padding', new Uint8Array(240 * 2 ** 20).fill(7));
const svc = new TranspileService(60_000, 600_000);
void svc.transpile(bytes, mkdtempSync(join(tmpdir(), 'wassette-orphan-')));
const wait = setInterval(() => {
  if (svc.pid === undefined) return;
  clearInterval(wait);
  process.stdout.write(`${svc.pid}\n`);
}, 20);
setInterval(() => undefined, 1000);
