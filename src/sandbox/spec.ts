// What one component instance may touch: the resolved, runtime-facing form of its effective policy.
// Built on the main thread from policy + grants + secrets, sent to the instance's worker, enforced there.

export interface FsPreopen {
  /** Absolute host path; the guest sees the same path. */
  path: string;
  read: boolean;
  write: boolean;
}

export interface SandboxSpec {
  preopens: FsPreopen[];
  /** Environment the guest sees: only granted keys, values already resolved (server env or secrets). */
  env: Record<string, string>;
  /** Allowed network hosts: `example.com`, `*.example.com`, `example.com:8443`, `10.0.0.1`. */
  networkAllow: string[];
  timeoutMs: number;
  memoryBytes: number;
  maxOutputBytes: number;
  /**
   * The server's own listening endpoints (its control plane, e.g. `serve --http`): never reachable by a
   * component, whatever it was granted. Absent when the server listens on nothing (stdio).
   */
  controlPlane?: ControlPlaneEndpoint[];
  /** Host paths no storage grant reaches, however broad: the server's own state (its home, its config file). */
  reserved?: string[];
}

/** One port the server listens on, with the names it answers to there; every address of this machine on that port is refused too. */
export interface ControlPlaneEndpoint {
  port: number;
  /** The bound address, `localhost`, and the Host names the server accepts (normalized by the guard). */
  names: string[];
}

/** The grant tool call that would allow what was refused (without the component id, which the caller adds). */
export type GrantHint =
  | { tool: 'grant_storage_permission'; details: { uri: string; access: Array<'read' | 'write'> } }
  | { tool: 'grant_network_permission'; details: { host: string } };
export type NetworkHint = Extract<GrantHint, { tool: 'grant_network_permission' }>;

/** A refusal observed by the host side of the sandbox; recorded in the audit log and told to the agent. */
export interface Denial {
  capability: 'storage' | 'network' | 'environment' | 'sockets';
  target: string;
  reason: string;
  /** The grant that would allow it; absent when no grant can (the control plane, UDP, a fenced path). */
  allow?: GrantHint;
}

export function storageHint(path: string, access: ReadonlyArray<'read' | 'write'>): GrantHint {
  return { tool: 'grant_storage_permission', details: { uri: `fs://${path}`, access: [...access] } };
}

/**
 * The network grant that allows `host` on `port` and no other port of it (a host-only grant would also open every other
 * service there). Without a port (a name lookup, where none is known yet) the host alone. IPv6 literals are bracketed.
 */
export function networkHint(host: string, port?: number): NetworkHint {
  if (port === undefined) return { tool: 'grant_network_permission', details: { host } };
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { tool: 'grant_network_permission', details: { host: `${name}:${port}` } };
}
