// Which imported interfaces the per-instance WASI host can provide; checked at load time and again
// in the worker, so a component needing anything else fails early with `unsupported-import`.
import { ErrorCode, WassetteError } from '../errors.js';

/** WASI 0.2 interfaces the host provides (unversioned), each one policy-bound or denying. */
export const SUPPORTED_INTERFACES: ReadonlySet<string> = new Set([
  'wasi:cli/environment',
  'wasi:cli/exit',
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/stderr',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr',
  'wasi:clocks/monotonic-clock',
  'wasi:clocks/wall-clock',
  'wasi:filesystem/types',
  'wasi:filesystem/preopens',
  'wasi:io/error',
  'wasi:io/poll',
  'wasi:io/streams',
  'wasi:random/random',
  'wasi:random/insecure',
  'wasi:random/insecure-seed',
  'wasi:sockets/instance-network',
  'wasi:sockets/ip-name-lookup',
  'wasi:sockets/network',
  'wasi:sockets/tcp',
  'wasi:sockets/tcp-create-socket',
  'wasi:sockets/udp',
  'wasi:sockets/udp-create-socket',
  'wasi:http/types',
  'wasi:http/outgoing-handler',
]);

/** `wasi:cli/environment@0.2.3` -> `wasi:cli/environment`; jco's generated code uses unversioned keys. */
export function unversioned(name: string): string {
  const at = name.lastIndexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

/** The import names (versioned or not) the host cannot provide; empty when all are supported. */
export function unsupportedImports(importNames: readonly string[], provided: ReadonlySet<string> = SUPPORTED_INTERFACES): string[] {
  return importNames.filter((name) => {
    if (!provided.has(unversioned(name))) return true;
    const version = name.includes('@') ? name.slice(name.lastIndexOf('@') + 1) : undefined;
    return version !== undefined && !version.startsWith('0.2.');
  });
}

/**
 * Throws `unsupported-import` naming every import the host cannot provide. Call it when a
 * component is loaded, with the decoded import names (e.g. `ComponentDescription.imports`).
 */
export function checkImports(importNames: readonly string[], provided: ReadonlySet<string> = SUPPORTED_INTERFACES): void {
  const missing = unsupportedImports(importNames, provided);
  if (missing.length === 0) return;
  throw new WassetteError(
    ErrorCode.UnsupportedImport,
    `component imports ${missing.map((m) => `"${m}"`).join(', ')}, which this host cannot provide ` +
      '(supported: WASI 0.2 cli, clocks, filesystem, io, random, sockets, http outgoing-handler)',
    { data: { imports: missing } },
  );
}
