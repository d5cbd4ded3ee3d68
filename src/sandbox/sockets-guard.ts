// wasi:sockets for one instance: TCP only to allowed addresses, name lookup only for allowed names, no UDP.
import { type ControlPlaneEndpoint, type Denial, networkHint } from './spec.js';
import { isHostAllowed, normalizeHost } from './host-match.js';
import { CONTROL_PLANE_REASON, isControlPlaneTarget } from './control-plane.js';

type DenialHook = (d: Denial) => void;
type Method = (...args: unknown[]) => unknown;
type Inner = Record<string | symbol, Method>;

/** wasi:sockets ip-socket-address as jco represents it. */
export type IpSocketAddress =
  | { tag: 'ipv4'; val: { port: number; address: number[] } }
  | { tag: 'ipv6'; val: { port: number; address: number[]; flowInfo?: number; scopeId?: number } };

const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/** `1.2.3.4` or canonical IPv6 text for a wasi address tuple. */
export function formatIp(addr: IpSocketAddress): string {
  if (addr.tag === 'ipv4') return addr.val.address.join('.');
  return normalizeHost(addr.val.address.map((n) => n.toString(16)).join(':'));
}

function hint(host: string): string {
  return `grant_network_permission {host: '${host}'} to allow`;
}

/** Per-instance memory of which addresses came from looking up an allowed name, so connecting to them is allowed too. */
class ResolvedNames {
  readonly #byIp = new Map<string, Set<string>>();
  add(ip: string, name: string): void {
    const names = this.#byIp.get(ip) ?? new Set<string>();
    names.add(name);
    this.#byIp.set(ip, names);
  }
  covers(allow: readonly string[], ip: string, port: number): boolean {
    for (const name of this.#byIp.get(ip) ?? []) if (isHostAllowed(allow, name, port)) return true;
    return false;
  }
}

interface Ctx {
  allow: readonly string[];
  resolved: ResolvedNames;
  onDenial: DenialHook;
  controlPlane: readonly ControlPlaneEndpoint[];
}

function delegate(proto: object, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(proto, name, {
      value(this: { inner: Inner }, ...args: unknown[]) {
        return this.inner[name]!.apply(this.inner, args);
      },
      writable: true,
      configurable: true,
    });
  }
}

/** Wraps the shim's TCP socket; connect and bind are checked, everything else passes through. */
export class GuardedTcpSocket {
  constructor(
    readonly inner: Inner,
    private readonly ctx: Ctx,
  ) {}

  #check(addr: IpSocketAddress, op: string): void {
    const ip = formatIp(addr);
    const port = addr.val.port;
    const { allow, resolved, onDenial } = this.ctx;
    // Whatever was granted, and whichever granted name resolved to it (DNS rebinding included: this is the address itself).
    if (op === 'connect' && isControlPlaneTarget(this.ctx.controlPlane, ip, port)) {
      const target = addr.tag === 'ipv6' ? `[${ip}]:${port}` : `${ip}:${port}`;
      onDenial({ capability: 'sockets', target, reason: `connect to ${target} refused: ${CONTROL_PLANE_REASON}` });
      throw 'access-denied';
    }
    if (isHostAllowed(allow, ip, port) || (op === 'connect' && resolved.covers(allow, ip, port))) return;
    const target = addr.tag === 'ipv6' ? `[${ip}]:${port}` : `${ip}:${port}`;
    // The hint names this port: an address-only grant would open every other port of the address too.
    const allowIt = networkHint(ip, port);
    onDenial({
      capability: 'sockets',
      target,
      reason: `${op} to ${target} refused: address ${ip} is not in the network allow list; ${hint(allowIt.details.host)}`,
      allow: allowIt,
    });
    throw 'access-denied';
  }

  startConnect(network: unknown, remote: IpSocketAddress): unknown {
    this.#check(remote, 'connect');
    return this.inner.startConnect!.call(this.inner, network, remote);
  }
  startBind(network: unknown, local: IpSocketAddress): unknown {
    this.#check(local, 'bind');
    return this.inner.startBind!.call(this.inner, network, local);
  }
  accept(): unknown {
    const [socket, input, output] = this.inner.accept!.call(this.inner) as [Inner, unknown, unknown];
    return [new GuardedTcpSocket(socket, this.ctx), input, output];
  }
  [symbolDispose](): void {
    this.inner[symbolDispose]?.call(this.inner);
  }
}
delegate(GuardedTcpSocket.prototype, [
  'finishBind',
  'finishConnect',
  'startListen',
  'finishListen',
  'localAddress',
  'remoteAddress',
  'isListening',
  'addressFamily',
  'setListenBacklogSize',
  'keepAliveEnabled',
  'setKeepAliveEnabled',
  'keepAliveIdleTime',
  'setKeepAliveIdleTime',
  'keepAliveInterval',
  'setKeepAliveInterval',
  'keepAliveCount',
  'setKeepAliveCount',
  'hopLimit',
  'setHopLimit',
  'receiveBufferSize',
  'setReceiveBufferSize',
  'sendBufferSize',
  'setSendBufferSize',
  'subscribe',
  'shutdown',
]);

/** Wraps the shim's lookup stream to remember which addresses an allowed name resolved to. */
export class GuardedResolveAddressStream {
  constructor(
    readonly inner: Inner,
    private readonly name: string,
    private readonly resolved: ResolvedNames,
  ) {}
  resolveNextAddress(): unknown {
    const addr = this.inner.resolveNextAddress!.call(this.inner) as { tag: 'ipv4' | 'ipv6'; val: number[] } | undefined;
    if (addr) this.resolved.add(formatIp({ tag: addr.tag, val: { port: 0, address: addr.val } } as IpSocketAddress), this.name);
    return addr;
  }
  subscribe(): unknown {
    return this.inner.subscribe!.call(this.inner);
  }
  [symbolDispose](): void {
    this.inner[symbolDispose]?.call(this.inner);
  }
}

/** Replaces the wasi:sockets entries of `base` (WASIShim's import object, unversioned keys) with guarded ones. */
export function guardSockets(
  base: Record<string, unknown>,
  allow: readonly string[],
  onDenial: DenialHook,
  controlPlane: readonly ControlPlaneEndpoint[] = [],
): Record<string, unknown> {
  const ctx: Ctx = { allow, resolved: new ResolvedNames(), onDenial, controlPlane };
  const tcpCreate = base['wasi:sockets/tcp-create-socket'] as { createTcpSocket: Method };
  const lookup = base['wasi:sockets/ip-name-lookup'] as { resolveAddresses: Method };
  return {
    'wasi:sockets/tcp': { TcpSocket: GuardedTcpSocket },
    'wasi:sockets/tcp-create-socket': {
      createTcpSocket(family: unknown): GuardedTcpSocket {
        if (allow.length === 0) {
          onDenial({
            capability: 'sockets',
            target: 'tcp',
            reason: 'no network access is granted to this component; grant_network_permission {host} to allow',
          });
          throw 'access-denied';
        }
        return new GuardedTcpSocket(tcpCreate.createTcpSocket(family) as Inner, ctx);
      },
    },
    'wasi:sockets/udp-create-socket': {
      createUdpSocket(): never {
        onDenial({ capability: 'sockets', target: 'udp', reason: 'UDP sockets are never available to components in wassette' });
        throw 'access-denied';
      },
    },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream: GuardedResolveAddressStream,
      resolveAddresses(network: unknown, name: string): GuardedResolveAddressStream {
        if (!isHostAllowed(allow, name, undefined)) {
          const host = normalizeHost(name);
          onDenial({
            capability: 'sockets',
            target: host,
            reason: `name lookup of ${host} refused: host ${host} is not in the network allow list; ${hint(host)}`,
            allow: networkHint(host),
          });
          throw 'access-denied';
        }
        return new GuardedResolveAddressStream(lookup.resolveAddresses(network, name) as Inner, normalizeHost(name), ctx.resolved);
      },
    },
  };
}
