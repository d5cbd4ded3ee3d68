// Module hooks (see fs-glob-preload.mjs): `fs` imported from inside @modelcontextprotocol/conformance resolves to a
// module re-exporting node:fs plus a globSync. The bundle only calls globSync in `tier-check` (reading checks.json
// files back), which the tests never run, so the stand-in refuses clearly instead of half-implementing globbing.
const SHIM = 'wassette-test:fs-with-glob';

const SOURCE = `
import fs from 'node:fs';
export * from 'node:fs';
export function globSync(pattern) {
  throw new Error('fs.globSync(' + JSON.stringify(pattern) + ') needs Node 22; this Node 20 stand-in only lets the conformance CLI load');
}
export default { ...fs, globSync };
`;

export async function resolve(specifier, context, next) {
  if ((specifier === 'fs' || specifier === 'node:fs') && context.parentURL?.includes('/@modelcontextprotocol/conformance/')) {
    return { url: SHIM, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url === SHIM) return { format: 'module', source: SOURCE, shortCircuit: true };
  return next(url, context);
}
