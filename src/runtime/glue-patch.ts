// Rewrites jco's generated glue: every export's core call passes its return value (and the memory the
// result is lifted from) through a host hook before the glue lifts it, and the debug logger stops
// reading `process.env` on every call. Pure text transform; each rewrite counts its matches.

/** Name of the global the patched glue calls as `hook(ret, memory)`; it returns `ret` or throws. */
export const LIFT_HOOK = '__wassetteLiftGuard';

/** The core call of an exported function: `ret =  _withGlobalCurrentTaskMeta({ ..., fn: () => CALL, });`. */
const CALL_SITE = /ret = +_withGlobalCurrentTaskMeta\(\{(\n[^\n]*\n[^\n]*\n\s*fn: \(\) => [^\n]*,\n\s*)\}\);/g;
const RETURN_MEMORY = /task\.setReturnMemory\(\(\(\) => ([A-Za-z_$][\w$]*)\)\(\)\);/g;

/**
 * jco's debug logger, called dozens of times per export call (task bookkeeping), reads
 * `globalThis.process.env.JCO_DEBUG` each time: a third of a trivial call's self time. Workers run
 * with `env: {}`, so the variable is never set there and the logger can only ever return.
 */
const DEBUG_LOG =
  /const _debugLog = \(\.\.\.args\) => \{\n\s*if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\) \{ return; \}\n\s*console\.debug\(\.\.\.args\);\n\s*\};/g;
const DEBUG_LOG_NOOP = 'const _debugLog = () => {}; // wassette glue-patch: debug output is never on in a component worker';

export interface PatchedGlue {
  source: string;
  /** Call sites rewritten; one per exported function with a result. */
  sites: number;
  /** Debug loggers made no-ops (one per generated module; 0 means jco changed the pattern). */
  debugLogs: number;
}

export function patchGlue(source: string): PatchedGlue {
  // The memory each call site lifts from is the one its function last declared as return memory.
  const memories: { at: number; name: string }[] = [];
  for (const m of source.matchAll(RETURN_MEMORY)) memories.push({ at: m.index, name: m[1]! });
  let sites = 0;
  let out = source.replace(CALL_SITE, (_whole, body: string, offset: number) => {
    sites++;
    let mem = 'null';
    for (const m of memories) if (m.at < offset) mem = m.name;
    return `ret = globalThis.${LIFT_HOOK}(_withGlobalCurrentTaskMeta({${body}}), ${mem});`;
  });
  let debugLogs = 0;
  out = out.replace(DEBUG_LOG, () => {
    debugLogs++;
    return DEBUG_LOG_NOOP;
  });
  return { source: out, sites, debugLogs };
}
