import { describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ResourceSubscriptions } from '../../src/mcp/resource-subscriptions.js';
import { RESOURCE_NOT_FOUND } from '../../src/mcp/resources.js';

const POLICY = 'wassette://components/alpha/policy';
const WIT = 'wassette://components/alpha/wit';
const LATER = 'wassette://components/later/wit';

function fixture() {
  const texts = new Map<string, string>([
    [POLICY, 'version: "1.0"\n'],
    [WIT, 'world alpha {}'],
  ]);
  let reads = 0;
  const subs = new ResourceSubscriptions((uri) => {
    reads++;
    return texts.get(uri);
  }, 3);
  return { texts, subs, reads: () => reads };
}

describe('ResourceSubscriptions', () => {
  it('reports only the subscribed resources whose text changed, once per change', () => {
    const { texts, subs } = fixture();
    subs.subscribe(POLICY);
    subs.subscribe(WIT);
    expect(subs.changed()).toEqual([]);
    texts.set(POLICY, 'version: "1.0"\nnetwork: [api.example.com]\n');
    expect(subs.changed()).toEqual([POLICY]);
    expect(subs.changed()).toEqual([]);
  });

  it('a resource that appears (component loaded later) or disappears (unloaded) counts as updated', () => {
    const { texts, subs } = fixture();
    subs.subscribe(LATER);
    subs.subscribe(WIT);
    texts.set(LATER, 'world later {}');
    texts.delete(WIT);
    expect(subs.changed().sort()).toEqual([LATER, WIT].sort());
  });

  it('unsubscribing stops the reports and is idempotent', () => {
    const { texts, subs } = fixture();
    subs.subscribe(POLICY);
    subs.unsubscribe(POLICY);
    subs.unsubscribe(POLICY);
    subs.unsubscribe('test://never-subscribed');
    texts.set(POLICY, 'changed');
    expect(subs.changed()).toEqual([]);
    expect(subs.size).toBe(0);
  });

  it.each(['test://watched-resource', 'file:///etc/passwd', 'wassette://components/alpha/secrets'])('%s is resource-not-found', (uri) => {
    const { subs } = fixture();
    let err: unknown;
    try {
      subs.subscribe(uri);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(RESOURCE_NOT_FOUND);
    expect(subs.size).toBe(0);
  });

  it('caps the subscriptions a session holds (re-subscribing does not count twice)', () => {
    const { subs } = fixture();
    for (const id of ['a', 'b', 'c']) subs.subscribe(`wassette://components/${id}/wit`);
    subs.subscribe('wassette://components/a/wit');
    expect(() => subs.subscribe('wassette://components/d/wit')).toThrow(/at most 3 resource subscriptions/);
    expect(subs.size).toBe(3);
  });

  it('refuses a URI longer than any component id makes, so a session cannot hold 1000 message-sized strings', () => {
    const { subs } = fixture();
    const huge = `wassette://components/${'a'.repeat(1024 * 1024)}/wit`;
    expect(() => subs.subscribe(huge)).toThrow(McpError);
    expect(subs.size).toBe(0);
    // The longest id a load makes (40 characters and a -N suffix) is still ours.
    subs.subscribe(`wassette://components/${'a'.repeat(40)}-12345/policy`);
    expect(subs.size).toBe(1);
  });

  it("after a change to one component re-reads only that component's resources", () => {
    const { texts, subs, reads } = fixture();
    subs.subscribe(POLICY);
    subs.subscribe(WIT);
    subs.subscribe(LATER);
    const before = reads();
    texts.set(POLICY, 'changed');
    expect(subs.changed(new Set(['alpha']))).toEqual([POLICY]);
    expect(reads() - before).toBe(2);
    expect(subs.changed(new Set(['nobody']))).toEqual([]);
    expect(reads() - before).toBe(2);
  });

  it('no subscriptions, no reads', () => {
    const { subs, reads } = fixture();
    subs.changed();
    expect(reads()).toBe(0);
  });
});
