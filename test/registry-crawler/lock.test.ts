// One crawl per home: a live owner refuses a second crawl by name; a lock left by a killed crawl is taken over.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { takeCrawlLock } from '../../registry-crawler/lock.js';

const home = mkdtempSync(join(tmpdir(), 'wassette-lock-'));
afterEach(() => rmSync(join(home, 'crawl.lock'), { force: true }));

describe('takeCrawlLock', () => {
  it('refuses while another live process holds it, naming its pid', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(home, 'crawl.lock'), String(other.pid));
      expect(() => takeCrawlLock(home)).toThrow(new RegExp(`another wassette crawl \\(pid ${other.pid}\\) is running`));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock whose owner is gone, and releases it', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(join(home, 'crawl.lock'), String(dead.pid));
    const release = takeCrawlLock(home);
    expect(existsSync(join(home, 'crawl.lock'))).toBe(true);
    release();
    expect(existsSync(join(home, 'crawl.lock'))).toBe(false);
  });
});
