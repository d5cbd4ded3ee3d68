// The fetch example's URL checks, run in Node: URLs the component cannot send are refused with a reason an agent can act on.
import { describe, expect, it } from 'vitest';
import { getJson, getText } from '../../examples/fetch/src/component.js';

describe('fetch example URL checks', () => {
  // In the component the request for an IPv6 literal leaves with no authority, so even a granted [::1] is refused
  // as "the request names no host"; say what is wrong instead.
  it.each(['http://[::1]:8000/notes.txt', 'https://[2001:db8::1]/'])('refuses the IPv6 literal in %s', async (url) => {
    await expect(getText(url)).rejects.toMatch(/IPv6 address literals .* cannot be fetched by this tool; use a host name or an IPv4 address/);
  });

  // With user:password@ in it the component's request also loses its authority, and the credentials would go nowhere.
  it.each(['http://user:secret@127.0.0.1:8000/', 'http://127.0.0.1:8000@evil.example/', 'https://user@example.com/'])(
    'refuses the credentials in %s',
    async (url) => {
      await expect(getJson(url)).rejects.toMatch(/carries a user name or password; give the URL without them/);
    },
  );

  it('keeps the scheme and absolute-URL checks', async () => {
    await expect(getText('file:///etc/passwd')).rejects.toBe('only http and https URLs can be fetched, not file:');
    await expect(getText('example.com/page')).rejects.toMatch(/is not an absolute URL/);
  });
});
