// wasi:http/outgoing-handler for one instance: only requests to hosts on the network allow list leave the sandbox.
import { isIP } from 'node:net';
import { type ControlPlaneEndpoint, type Denial, type GrantHint, type NetworkHint, networkHint } from './spec.js';
import { isHostAllowed, normalizeHost, parseAuthority } from './host-match.js';
import { CONTROL_PLANE_REASON, isControlPlanePort, isControlPlaneTarget, resolvesToControlPlane } from './control-plane.js';
import { resolveHostSync, type SyncResolver } from './resolve-sync.js';

type DenialHook = (d: Denial) => void;
interface OutgoingRequestLike {
  scheme(): { tag: string; val?: string } | undefined;
  authority(): string | undefined;
}
type Handle = (request: unknown, options: unknown) => unknown;

/** The verdict for one request: where it goes, or why it may not go anywhere. */
export type HttpVerdict = { ok: true; host: string; port: number } | { ok: false; target: string; reason: string; allow?: GrantHint };

function grantHint(hint: NetworkHint): string {
  return `${hint.tool} {host: '${hint.details.host}'} to allow`;
}

/** The server's own endpoints, and how to resolve a granted name headed for one of their ports. */
export interface ControlPlaneCheck {
  endpoints: readonly ControlPlaneEndpoint[];
  resolve: SyncResolver;
}

/** preview2-shim connects to `authority.split(':')[0]` on port `authority.split(':')[1]`: the names it will really look up. */
function namesTheShimResolves(authority: string, host: string): string[] {
  const shimHost = authority.split(':')[0] ?? '';
  return [...new Set([shimHost, host])].filter((n) => n !== '' && isIP(normalizeHost(n)) === 0);
}

/**
 * The control-plane part of the decision, for a request the allow list already accepted: a granted name on a
 * control-plane port is resolved now and refused if any address is this machine's (a name that fails to resolve
 * is refused too). What remains is a DNS answer that changes between this lookup and the shim's own; such a
 * request still carries the granted name as Host, which the server's Host allowlist refuses.
 */
function controlPlaneVerdict(cp: ControlPlaneCheck, authority: string, host: string, port: number): string | undefined {
  if (!isControlPlanePort(cp.endpoints, port)) return undefined;
  for (const name of namesTheShimResolves(authority, host)) {
    const r = cp.resolve(name);
    if ('error' in r) return `${name} could not be resolved (${r.error}) to make sure it is not the server's own control plane`;
    if (resolvesToControlPlane(r.addresses)) return `${name} resolves to ${r.addresses.join(', ')}: ${CONTROL_PLANE_REASON}`;
  }
  return undefined;
}

/** Pure decision for an outgoing request's scheme and authority (DNS only through `cp.resolve`, only for a control-plane port). */
export function checkHttpRequest(allow: readonly string[], scheme: string, authority: string | undefined, cp?: ControlPlaneCheck): HttpVerdict {
  if (scheme !== 'http' && scheme !== 'https') {
    return { ok: false, target: `${scheme}://${authority ?? ''}`, reason: `scheme ${scheme} is not supported; only http and https requests can be granted` };
  }
  if (authority === undefined || authority === '') {
    return { ok: false, target: '(no authority)', reason: 'the request names no host; only requests to a granted host are sent' };
  }
  const parsed = parseAuthority(authority, scheme);
  if (!parsed) return { ok: false, target: authority, reason: `the authority ${authority} is malformed` };
  const { host, port } = parsed;
  const target = `${host}:${port}`;
  if (cp && isControlPlaneTarget(cp.endpoints, host, port)) return { ok: false, target, reason: `${target} refused: ${CONTROL_PLANE_REASON}` };
  if (isHostAllowed(allow, host, port)) {
    const refused = cp ? controlPlaneVerdict(cp, authority, host, port) : undefined;
    return refused === undefined ? { ok: true, host, port } : { ok: false, target, reason: `${target} refused: ${refused}` };
  }
  // The hint names this port: a host-only grant would open every other port of the host too.
  const hint = networkHint(host, port);
  if (isHostAllowed(allow, host, undefined)) {
    return { ok: false, target, reason: `port ${port} of host ${host} is not in the network allow list; ${grantHint(hint)}`, allow: hint };
  }
  return { ok: false, target, reason: `host ${host} is not in the network allow list; ${grantHint(hint)}`, allow: hint };
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
export function guardOutgoingHandler(
  shimHandler: unknown,
  allow: readonly string[],
  onDenial: DenialHook,
  controlPlane: readonly ControlPlaneEndpoint[] = [],
  resolve: SyncResolver = resolveHostSync,
): { handle: Handle } {
  const inner = (shimHandler as { handle: Handle }).handle;
  const cp: ControlPlaneCheck | undefined = controlPlane.length > 0 ? { endpoints: controlPlane, resolve } : undefined;
  return {
    handle(request: unknown, options: unknown): unknown {
      const req = request as OutgoingRequestLike;
      const verdict = checkHttpRequest(allow, schemeName(req.scheme()), req.authority(), cp);
      if (!verdict.ok) {
        onDenial({ capability: 'network', target: verdict.target, reason: verdict.reason, ...(verdict.allow ? { allow: verdict.allow } : {}) });
        throw { tag: 'HTTP-request-denied' };
      }
      return inner(request, options);
    },
  };
}
