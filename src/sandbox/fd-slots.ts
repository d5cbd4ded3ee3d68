// Host file descriptors a worker holds for its guest, in a table shared with the main thread (a second, hard bound
// beside fs-context's count). Node closes a terminated worker's fds itself, so nothing closes them from outside.
import { closeSync } from 'node:fs';

/** Slots in the shared table: above fs-context's cap on open fds plus the grants' root fds. */
export const MAX_GUEST_DIR_FDS = 1024;

/** Shared memory for one worker's descriptor table (created on the main thread, passed in WorkerInit). */
export function createFdSlots(count = MAX_GUEST_DIR_FDS): SharedArrayBuffer {
  return new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
}

/** The worker's side: each slot holds fd + 1, or 0 when free. */
export class FdSlots {
  readonly #slots: Int32Array;

  constructor(buffer: SharedArrayBuffer = createFdSlots()) {
    this.#slots = new Int32Array(buffer);
  }

  /** Records `fd`; false when the budget is used up (the caller closes `fd` and refuses the open). */
  add(fd: number): boolean {
    for (let i = 0; i < this.#slots.length; i++) {
      if (Atomics.compareExchange(this.#slots, i, 0, fd + 1) === 0) return true;
    }
    return false;
  }

  /**
   * Forgets `fd` and closes it. The slot is cleared first: a worker terminated in between leaks one descriptor,
   * which is harmless, whereas the other order could make the main thread close a number already reused.
   */
  close(fd: number): void {
    for (let i = 0; i < this.#slots.length; i++) {
      if (Atomics.compareExchange(this.#slots, i, fd + 1, 0) === fd + 1) break;
    }
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}
