// The fetch example's exports: HTTP GET of a URL, returning the body as text or as re-serialized JSON, size-capped.

/** Bodies larger than this are refused rather than handed to the agent (1 MiB). */
export const MAX_BYTES = 1024 * 1024;

function reason(e) {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'payload' in e) return String(e.payload);
  return e?.message ? String(e.message) : String(e);
}

function checkUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw `"${url}" is not an absolute URL; give one like https://example.com/page`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw `only http and https URLs can be fetched, not ${u.protocol}`;
  // Both would leave the component as a request naming no host (the sandbox then refuses it even when the host is
  // granted, with a reason that does not say why): refuse them here with the real one.
  if (u.username !== '' || u.password !== '') throw `"${url}" carries a user name or password; give the URL without them`;
  if (u.hostname.startsWith('[')) {
    throw `IPv6 address literals such as ${u.hostname} cannot be fetched by this tool; use a host name or an IPv4 address`;
  }
  return u.href;
}

/** Reads at most MAX_BYTES of the body, refusing anything longer. */
async function readCapped(res) {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > MAX_BYTES) throw `the response is ${declared} bytes, over the ${MAX_BYTES}-byte limit`;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_BYTES) {
      await reader.cancel();
      throw `the response is over the ${MAX_BYTES}-byte limit`;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function get(url, accept) {
  const href = checkUrl(url);
  let res;
  try {
    res = await fetch(href, { headers: { accept } });
  } catch (e) {
    throw `could not fetch ${href}: ${reason(e)} (if the host is not granted, ask for grant_network_permission on it)`;
  }
  const body = new TextDecoder().decode(await readCapped(res));
  if (!res.ok) throw `${href} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: ${body.slice(0, 200)}`;
  return body;
}

export async function getText(url) {
  return get(url, 'text/*, application/json;q=0.9, */*;q=0.5');
}

export async function getJson(url) {
  const body = await get(url, 'application/json');
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch (e) {
    throw `the response of ${url} is not valid JSON: ${reason(e)}`;
  }
}
