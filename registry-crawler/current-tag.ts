// Pure: the one tag per repository the index describes: `latest` when present, else the highest version-looking
// tag, else the last in order. Indexing every version would fill search results with copies of one tool.
const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

function versionKey(tag: string): [number, number, number] | undefined {
  const m = VERSION.exec(tag);
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

export function currentTag(tags: readonly string[]): string | undefined {
  const usable = tags.filter((t) => !t.startsWith('sha256-')); // cosign / referrer fallback tags, not components
  if (usable.includes('latest')) return 'latest';
  let best: { tag: string; key: [number, number, number] } | undefined;
  for (const tag of usable) {
    const key = versionKey(tag);
    if (!key) continue;
    if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && (key[1] > best.key[1] || (key[1] === best.key[1] && key[2] > best.key[2]))))
      best = { tag, key };
  }
  return best?.tag ?? [...usable].sort().at(-1);
}
