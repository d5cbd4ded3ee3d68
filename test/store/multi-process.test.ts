import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-mp-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const dbModule = resolve(import.meta.dirname, '../../src/store/db.ts');

function writer(name: string, rows: number): Promise<number> {
  const script = join(home, `${name}.ts`);
  writeFileSync(
    script,
    `
    import { openStore } from ${JSON.stringify(dbModule)};
    const s = openStore(${JSON.stringify(home)});
    for (let i = 0; i < ${rows}; i++) {
      s.db.transaction(() => s.audit.append({ outcome: 'ok', tool: ${JSON.stringify(name)}, detail: String(i) })).immediate();
    }
    s.close();
  `,
  );
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? -1));
  });
}

it('two processes (server + UI) open, migrate and write the same database concurrently', async () => {
  const codes = await Promise.all([writer('server', 300), writer('ui', 300)]);
  expect(codes).toEqual([0, 0]);
  const s = openStore(home);
  expect(s.audit.query({ limit: 10_000 })).toHaveLength(600);
  s.close();
}, 60_000);
