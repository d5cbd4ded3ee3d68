// Memoised vectors for eval sweeps: the same vectors as the wrapped model, but a repeated text (a configuration run
// again over the same queries) does not pay for its embedding again. The query adapter, when the model has one, is
// kept: it is what search_tools uses.
import type { Embedder } from '../index/embedder.js';

export function cachedEmbedder(e: Embedder): Embedder {
  const memo = new Map<string, Float32Array>();
  const once = async (key: string, make: () => Promise<Float32Array>): Promise<Float32Array> => {
    let v = memo.get(key);
    if (v === undefined) {
      v = await make();
      memo.set(key, v);
    }
    return v;
  };
  const embedQuery = e.embedQuery?.bind(e);
  return {
    id: e.id,
    dim: e.dim,
    embed: (text) => once(`d:${text}`, () => e.embed(text)),
    ...(embedQuery === undefined ? {} : { embedQuery: (text: string) => once(`q:${text}`, () => embedQuery(text)) }),
  };
}
