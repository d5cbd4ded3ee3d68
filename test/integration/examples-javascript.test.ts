// The JavaScript examples end to end: built (cached), published signed, crawled, found by a user's words with
// search_tools, loaded with load_tool after the user approves, every tool called; fetch is denied until granted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, text } from '../helpers/cli.js';
import { examplesWorld, findExample, grantApproved, loadExample } from '../helpers/examples.js';

const ctx = examplesWorld(['time', 'fetch']);

let http: Server;
let port = 0;
beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === '/notes.txt') return res.end('buy milk\ncall the plumber\n');
    if (req.url === '/weather.json') {
      res.setHeader('content-type', 'application/json');
      return res.end('{"city":"Lyon","temperature":{"celsius":21.5},"rain":false}');
    }
    if (req.url === '/broken.json') return res.end('{"city": ');
    if (req.url === '/huge') {
      // No content-length: the cap has to hold while streaming.
      res.write('x'.repeat(600_000));
      return res.end('y'.repeat(600_000));
    }
    res.statusCode = 404;
    res.end('no such page');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  port = (http.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => http?.close(r));
});

describe('JavaScript examples through discovery', () => {
  it('publishes both, signed, and the crawl describes them from their description layers', () => {
    const { examples, crawl } = ctx.world;
    for (const name of ['time', 'fetch']) {
      expect(examples[name], name).toMatchObject({ status: expect.stringMatching(/^(built|cached)$/), signed: true });
      expect(examples[name]!.reference).toMatch(new RegExp(`/examples/${name}@sha256:[0-9a-f]{64}$`));
      expect(examples[name]!.bytes).toBeGreaterThan(1_000_000);
    }
    expect(crawl).toMatchObject({ components: 2, added: 2 });
    expect(crawl.described).toMatchObject({ layer: 2, decoded: 0 });
    expect(crawl.failed).toEqual([]);
  });

  it('time: found from "what time is it in Tokyo", loaded after approval, every tool answers correctly', async () => {
    const w = ctx.world;
    const hit = await findExample(w, 'time', 'what time is it right now in Tokyo?');
    expect(hit.name).toMatch(/current_time$/);
    // Signed at publish with the key the home trusts for this namespace.
    expect(hit.signature).toMatchObject({ status: 'verified', method: 'cosign' });
    // The description is the WIT doc comment (package-docs), not a sentence generated from names.
    expect(hit.description).toContain('IANA time zone');
    const { tools } = await loadExample(w, hit.ref, 'the user asked for the time in Tokyo');
    expect(tools.sort()).toEqual(['convert_time', 'current_time', 'list_time_zones']);

    const before = Date.now();
    const now = await call(w.session, 'current_time', { zone: 'Asia/Tokyo' });
    expect(now.isError, text(now)).toBeFalsy();
    const r = now.structuredContent?.result;
    expect(r).toMatchObject({ zone: 'Asia/Tokyo', offset: '+09:00', 'daylight-saving': false });
    // The component's clock is the host's wall clock.
    expect(Math.abs(Date.parse(r.utc) - before)).toBeLessThan(60_000);
    expect(Date.parse(`${r.local}Z`) - Date.parse(r.utc)).toBe(9 * 3600_000);
    expect((await call(w.session, 'current_time', {})).structuredContent?.result).toMatchObject({ zone: 'UTC', offset: '+00:00' });

    const converted = await call(w.session, 'convert_time', { time: '2026-07-01T09:30', from_zone: 'America/Chicago', to_zone: 'Europe/Berlin' });
    expect(converted.structuredContent).toEqual({
      result: {
        zone: 'Europe/Berlin',
        local: '2026-07-01T16:30:00',
        offset: '+02:00',
        utc: '2026-07-01T14:30:00Z',
        weekday: 'Wednesday',
        'daylight-saving': true,
      },
    });
    const winter = await call(w.session, 'convert_time', { time: '2026-01-15T12:00:00Z', 'to-zone': 'America/Sao_Paulo' });
    expect(winter.structuredContent?.result).toMatchObject({ local: '2026-01-15T09:00:00', offset: '-03:00' });
    const bad = await call(w.session, 'convert_time', { time: '2026-01-15T12:00', from_zone: 'Mars/Base', to_zone: 'UTC' });
    expect(bad.isError).toBe(true);
    expect(bad.structuredContent?.error).toMatch(/^unknown time zone "Mars\/Base"; use an IANA name/);

    // Zones with odd rules (Ramadan, half-hour DST) and old aliases answer from inside the component too.
    const ramadan = await call(w.session, 'convert_time', { time: '2026-03-01T12:00:00Z', to_zone: 'Africa/Casablanca' });
    expect(ramadan.structuredContent?.result).toMatchObject({ local: '2026-03-01T12:00:00', offset: '+00:00' });
    const howe = await call(w.session, 'convert_time', { time: '2026-01-15T00:00:00Z', to_zone: 'Australia/Lord_Howe' });
    expect(howe.structuredContent?.result).toMatchObject({ offset: '+11:00', 'daylight-saving': true });
    expect((await call(w.session, 'current_time', { zone: 'Asia/Calcutta' })).structuredContent?.result).toMatchObject({
      zone: 'Asia/Kolkata',
      offset: '+05:30',
    });
    // A time without a date is that time today in from_zone.
    const today = await call(w.session, 'convert_time', { time: '15:00', from_zone: 'Asia/Tokyo', to_zone: 'UTC' });
    expect(today.isError, text(today)).toBeFalsy();
    expect(today.structuredContent?.result.local).toMatch(/T06:00:00$/);

    const zones = (await call(w.session, 'list_time_zones')).structuredContent?.result as string[];
    expect(zones.length).toBeGreaterThanOrEqual(Intl.supportedValuesOf('timeZone').length);
    expect(zones).toContain('Australia/Sydney');
    expect(zones).toContain('Africa/Casablanca');
  }, 180_000);

  it('fetch: found from "download a web page", denied until the loopback host is granted, then text and JSON', async () => {
    const w = ctx.world;
    const hit = await findExample(w, 'fetch', 'download the contents of a web page for me');
    expect(hit.name).toMatch(/get_text$/);
    expect(hit.description).toContain('HTTP GET');
    expect(hit.signature).toMatchObject({ status: 'verified' });
    const { id, tools } = await loadExample(w, hit.ref, 'the user wants me to read a page');
    expect(tools.sort()).toEqual(['get_json', 'get_text']);
    const base = `http://127.0.0.1:${port}`;

    const denied = await call(w.session, 'get_text', { url: `${base}/notes.txt` });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/grant_network_permission|127\.0\.0\.1/);
    expect(JSON.stringify(denied.structuredContent)).toContain('network');

    await grantApproved(w, 'grant_network_permission', { host: `127.0.0.1:${port}` }, id);
    await vi.waitFor(
      async () => {
        const ok = await call(w.session, 'get_text', { url: `${base}/notes.txt` });
        expect(ok.structuredContent, text(ok)).toEqual({ result: 'buy milk\ncall the plumber\n' });
      },
      { timeout: 20_000, interval: 500 },
    );
    const json = await call(w.session, 'get_json', { url: `${base}/weather.json` });
    expect(json.isError, text(json)).toBeFalsy();
    expect(JSON.parse(json.structuredContent?.result)).toEqual({ city: 'Lyon', temperature: { celsius: 21.5 }, rain: false });

    const broken = await call(w.session, 'get_json', { url: `${base}/broken.json` });
    expect(broken.isError).toBe(true);
    expect(text(broken)).toMatch(/not valid JSON/);
    const missing = await call(w.session, 'get_text', { url: `${base}/nothing` });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/HTTP 404/);
    const huge = await call(w.session, 'get_text', { url: `${base}/huge` });
    expect(huge.isError).toBe(true);
    expect(text(huge)).toMatch(/1048576-byte limit/);
    // Only that host and port: another port on the same machine stays closed.
    const other = await call(w.session, 'get_text', { url: `http://127.0.0.1:${port + 1}/` });
    expect(other.isError).toBe(true);
    expect(text(other)).toMatch(/not in the network allow list|grant_network_permission/);
  }, 180_000);
});
