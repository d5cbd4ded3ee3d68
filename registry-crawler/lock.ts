// One crawl per home at a time: an exclusive lock file holding the owner's pid; a lock whose owner died
// (kill -9) is taken over, a live one refuses with a message naming it.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, WassetteError } from '../src/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Takes `<home>/crawl.lock`; returns the release function. */
export function takeCrawlLock(home: string): () => void {
  const path = join(home, 'crawl.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new WassetteError(ErrorCode.Busy, `another wassette crawl (pid ${owner}) is running on ${home}; wait for it to finish`);
      }
      rmSync(path, { force: true }); // left by a crawl that died
    }
  }
  throw new WassetteError(ErrorCode.Busy, `cannot take the crawl lock ${path}`);
}
