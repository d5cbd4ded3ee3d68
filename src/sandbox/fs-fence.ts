// Places no grant reaches, however broad: the server's own state (WASSETTE_HOME, the config file) and the
// per-process directories of procfs (a process's memory, environment and fds). Checked on every directory a
// resolution enters and on every final object, by identity (rename-proof) and, for names not yet created, by path.
import { fstatSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { at, currentPath } from './beneath.js';
import { isWithin } from './path-guard.js';

interface Identity {
  dev: number;
  ino: number;
}

interface Reserved {
  /** The path as given and as resolved on the host (both compared, since a grant may spell either). */
  paths: string[];
  id?: Identity;
}

/** The reason shown to the agent; the caller adds the path. */
export const RESERVED_REASON = "it is wassette's own state, which no grant reaches";
export const PROCFS_REASON = 'per-process directories of /proc (memory, environment, open files of running processes) are never reachable';

const PROC_ENTRY = /^(\d+|self|thread-self)$/;

function identityOf(path: string): Identity | undefined {
  try {
    const st = statSync(path);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export class Fence {
  readonly #reserved: Reserved[];
  readonly #procDev: number | undefined;

  /** `reserved`: absolute host paths (directories or files) outside every grant. */
  constructor(reserved: readonly string[]) {
    this.#reserved = reserved.map((p) => {
      const id = identityOf(p);
      return { paths: [...new Set([posix.normalize(p), realOrSame(p)])], ...(id ? { id } : {}) };
    });
    this.#procDev = identityOf('/proc/self')?.dev;
  }

  #isReserved(dev: number, ino: number): boolean {
    return this.#reserved.some((r) => r.id !== undefined && r.id.dev === dev && r.id.ino === ino);
  }

  /** Why a host path (where a descriptor is now, or a name about to be created) is fenced off, or undefined. */
  pathReason(path: string): string | undefined {
    return this.#reserved.some((r) => r.paths.some((p) => isWithin(p, path))) ? RESERVED_REASON : undefined;
  }

  /** Why the directory just opened as `fd` (entry `name` of its parent) may not be entered, or undefined. */
  enterReason(fd: number, name: string): string | undefined {
    const st = fstatSync(fd);
    if (this.#isReserved(st.dev, st.ino)) return RESERVED_REASON;
    if (st.dev === this.#procDev && PROC_ENTRY.test(name)) return PROCFS_REASON;
    return undefined;
  }

  /** Why the final object `name` of directory `dir` may not be touched, or undefined. */
  finalReason(dir: number, name: string): string | undefined {
    if (name === '.') return undefined; // `dir` itself was checked when it was entered or opened
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(at(dir, name));
    } catch {
      // Not there yet: creating it is refused when its path is reserved (a config file that does not exist yet).
      return this.#reserved.length > 0 ? this.pathReason(posix.join(currentPath(dir).path, name)) : undefined;
    }
    if (this.#isReserved(st.dev, st.ino)) return RESERVED_REASON;
    if (st.dev === this.#procDev && PROC_ENTRY.test(name)) return PROCFS_REASON;
    return undefined;
  }
}
