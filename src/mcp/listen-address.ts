// Pure: the `--http [host:]port` argument, checked before anything is opened.
import { ErrorCode, WassetteError } from '../errors.js';

export function parseListenAddress(value: string | undefined): { host: string; port: number } {
  if (value === undefined || value === '') return { host: '127.0.0.1', port: 9001 };
  // A bare port keeps the loopback default: `--http 9003` must not become a host named "9003".
  const m = /^(?:\[([^\]]+)\]|([^:]+))?(?::(\d+))?$/.exec(/^\d+$/.test(value) ? `:${value}` : value);
  const port = Number(m?.[3] ?? 9001);
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WassetteError(ErrorCode.InvalidArgument, `"${value}" is not a listen address (use host:port, e.g. 127.0.0.1:9001)`);
  }
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}
