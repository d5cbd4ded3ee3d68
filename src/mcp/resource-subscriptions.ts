// One session's `resources/subscribe` set: the subscribed URIs with a digest of the content last seen, so after any
// change (a grant, a revoke, a reload, an unload, here or in another process) exactly the resources whose text
// differs get `notifications/resources/updated`. No I/O here: the caller reads the current text.
import { createHash } from 'node:crypto';
import { McpError, ErrorCode as McpErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { notOurs, parseResourceUri } from './resources.js';

/** Subscriptions one session may hold; each costs a URI and a digest, and each change re-reads every one. */
export const MAX_SUBSCRIPTIONS = 1000;

/** Digest of a resource's text; null while it does not exist (its component is not loaded). */
type Seen = string | null;

const digest = (text: string | undefined): Seen => (text === undefined ? null : createHash('sha256').update(text, 'utf8').digest('base64'));

export class ResourceSubscriptions {
  readonly #seen = new Map<string, Seen>();
  readonly #max: number;

  /** `read` gives the current text of one of our URIs, undefined while its component is not loaded. */
  constructor(
    private readonly read: (uri: string) => string | undefined,
    max = MAX_SUBSCRIPTIONS,
  ) {
    this.#max = max;
  }

  /**
   * Subscribes to one of our URIs, loaded or not yet (a component loaded later counts as an update). A URI that can
   * never be ours is resource-not-found (-32002), as for resources/read; past the cap, invalid params.
   */
  subscribe(uri: string): void {
    if (!parseResourceUri(uri)) throw notOurs(uri);
    if (!this.#seen.has(uri) && this.#seen.size >= this.#max) {
      throw new McpError(McpErrorCode.InvalidParams, `at most ${this.#max} resource subscriptions per session; unsubscribe from some first`);
    }
    this.#seen.set(uri, digest(this.read(uri)));
  }

  /** Idempotent: unsubscribing from a URI not subscribed to is not an error. */
  unsubscribe(uri: string): void {
    this.#seen.delete(uri);
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * After a change: the subscribed URIs whose content differs from what was last seen (appeared, changed or gone).
   * With `componentIds` (the change touched only those components' policies) only their URIs are re-read, so a
   * grant costs each session a read or two however many resources it watches.
   */
  changed(componentIds?: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const [uri, before] of this.#seen) {
      if (componentIds !== undefined) {
        const id = parseResourceUri(uri)?.id;
        if (id === undefined || !componentIds.has(id)) continue;
      }
      const now = digest(this.read(uri));
      if (now === before) continue;
      this.#seen.set(uri, now);
      out.push(uri);
    }
    return out;
  }
}
