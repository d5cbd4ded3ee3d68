// Rewrites jco's generated glue so every export's core call passes its return value (and the memory
// the result is lifted from) through a host hook before the glue lifts it. Pure text transform.

/** Name of the global the patched glue calls as `hook(ret, memory)`; it returns `ret` or throws. */
export const LIFT_HOOK = '__wassetteLiftGuard';

/** The core call of an exported function: `ret =  _withGlobalCurrentTaskMeta({ ..., fn: () => CALL, });`. */
const CALL_SITE = /ret = +_withGlobalCurrentTaskMeta\(\{(\n[^\n]*\n[^\n]*\n\s*fn: \(\) => [^\n]*,\n\s*)\}\);/g;
const RETURN_MEMORY = /task\.setReturnMemory\(\(\(\) => ([A-Za-z_$][\w$]*)\)\(\)\);/g;

export interface PatchedGlue {
  source: string;
  /** Call sites rewritten; one per exported function with a result. */
  sites: number;
}

export function patchGlue(source: string): PatchedGlue {
  // The memory each call site lifts from is the one its function last declared as return memory.
  const memories: { at: number; name: string }[] = [];
  for (const m of source.matchAll(RETURN_MEMORY)) memories.push({ at: m.index, name: m[1]! });
  let sites = 0;
  const out = source.replace(CALL_SITE, (_whole, body: string, offset: number) => {
    sites++;
    let mem = 'null';
    for (const m of memories) if (m.at < offset) mem = m.name;
    return `ret = globalThis.${LIFT_HOOK}(_withGlobalCurrentTaskMeta({${body}}), ${mem});`;
  });
  return { source: out, sites };
}
