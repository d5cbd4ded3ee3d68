// Bearer-token check for the Streamable HTTP transport (pure): constant-time comparison, and which binds may go without a token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** The WWW-Authenticate value sent with every 401 (RFC 6750). */
export function bearerChallenge(presented: boolean): string {
  return presented ? 'Bearer realm="wassette", error="invalid_token"' : 'Bearer realm="wassette"';
}

/** The token from `Authorization: Bearer <token>` (scheme case-insensitive), or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Does the Authorization header carry `token`? Compares fixed-length digests, so timing reveals neither length nor prefix. */
export function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  const presented = bearerToken(header);
  // Always compare, so a missing header takes as long as a wrong one.
  const ok = timingSafeEqual(digest(presented ?? ''), digest(token));
  return ok && presented !== undefined && token.length > 0;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `localhost`, 127.0.0.0/8, ::1 (and their IPv4-mapped forms): the only binds `--no-auth` is accepted on. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const family = isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 4 ? 'ipv4' : 'ipv6');
}
