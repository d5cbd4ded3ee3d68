// A value read at most once per stretch of synchronous code and microtasks: the memo is dropped by an
// immediate, which runs before any I/O, timer or worker message of a later turn can be handled.

/**
 * Wraps `read` so calls within one stretch share its result. For SQLite's external change counter
 * (~3-8 µs a read: a WAL read transaction) a component call used to read it three times in one stretch
 * (policy watch, restorer, sandbox spec); nothing another process commits can be told apart between
 * reads that no I/O separates, so one read answers all three.
 */
export function perStretch<T>(read: () => T): () => T {
  let held = false;
  let value: T;
  const drop = (): void => {
    held = false;
  };
  return () => {
    if (!held) {
      value = read();
      held = true;
      setImmediate(drop);
    }
    return value;
  };
}
