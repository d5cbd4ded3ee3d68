// wasi:http/outgoing-handler for one instance: only requests to hosts on the network allow list leave the sandbox.
import type { Denial } from './spec.js';
import { isHostAllowed, parseAuthority } from './host-match.js';

type DenialHook = (d: Denial) => void;
interface OutgoingRequestLike {
  scheme(): { tag: string; val?: string } | undefined;
  authority(): string | undefined;
}
type Handle = (request: unknown, options: unknown) => unknown;

/** The verdict for one request: where it goes, or why it may not go anywhere. */
export type HttpVerdict = { ok: true; host: string; port: number } | { ok: false; target: string; reason: string };

function grantHint(host: string): string {
  return `grant_network_permission {host: '${host}'} to allow`;
}

/** Pure decision for an outgoing request's scheme and authority. */
export function checkHttpRequest(allow: readonly string[], scheme: string, authority: string | undefined): HttpVerdict {
  if (scheme !== 'http' && scheme !== 'https') {
    return { ok: false, target: `${scheme}://${authority ?? ''}`, reason: `scheme ${scheme} is not supported; only http and https requests can be granted` };
  }
  if (authority === undefined || authority === '') {
    return { ok: false, target: '(no authority)', reason: 'the request names no host; only requests to a granted host are sent' };
  }
  const parsed = parseAuthority(authority, scheme);
  if (!parsed) return { ok: false, target: authority, reason: `the authority ${authority} is malformed` };
  const { host, port } = parsed;
  if (isHostAllowed(allow, host, port)) return { ok: true, host, port };
  const target = `${host}:${port}`;
  if (isHostAllowed(allow, host, undefined)) {
    return { ok: false, target, reason: `port ${port} of host ${host} is not in the network allow list; ${grantHint(`${host}:${port}`)}` };
  }
  return { ok: false, target, reason: `host ${host} is not in the network allow list; ${grantHint(host)}` };
}

function schemeName(scheme: { tag: string; val?: string } | undefined): string {
  if (!scheme) return 'https'; // preview2-shim's default when the guest sets none
  if (scheme.tag === 'HTTP') return 'http';
  if (scheme.tag === 'HTTPS') return 'https';
  return (scheme.val ?? '').toLowerCase();
}

/**
 * Wraps the shim's handler. A refused request fails with the wasi-http error `HTTP-request-denied` and is
 * reported through `onDenial`; the guest only sees the generic error, so the Denial is what explains it to the agent.
 * preview2-shim sends each request once and never follows redirects, so every redirect hop the guest follows
 * is a new request that passes through this same check.
 */
export function guardOutgoingHandler(shimHandler: unknown, allow: readonly string[], onDenial: DenialHook): { handle: Handle } {
  const inner = (shimHandler as { handle: Handle }).handle;
  return {
    handle(request: unknown, options: unknown): unknown {
      const req = request as OutgoingRequestLike;
      const verdict = checkHttpRequest(allow, schemeName(req.scheme()), req.authority());
      if (!verdict.ok) {
        onDenial({ capability: 'network', target: verdict.target, reason: verdict.reason });
        throw { tag: 'HTTP-request-denied' };
      }
      return inner(request, options);
    },
  };
}
