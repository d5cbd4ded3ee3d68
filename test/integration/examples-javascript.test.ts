// The JavaScript examples end to end: built (cached), published signed, crawled, found by a user's words with
// search_tools, loaded with load_tool after the user approves, every tool called; fetch is denied until granted, and
// weather until its API key variable and then its host are granted (a loopback stand-in answers as OpenWeather does).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, runCli, text } from '../helpers/cli.js';
import { EXAMPLES_ENV, examplesWorld, findExample, grantApproved, loadExample } from '../helpers/examples.js';
import { answerOpenWeather } from '../helpers/openweather.js';

const NAMES = ['time', 'fetch', 'weather'];
const ctx = examplesWorld(NAMES);
const API_KEY = 'test-key-5d1c0e';
/** The query strings the stand-in weather API received, in order. */
const weatherRequests: URLSearchParams[] = [];

let http: Server;
let port = 0;
beforeAll(async () => {
  http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith('/data/2.5/')) return answerOpenWeather(url, res, API_KEY, weatherRequests);
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
  it('publishes all three, signed, and the crawl describes them from their description layers', () => {
    const { examples, crawl } = ctx.world;
    for (const name of NAMES) {
      expect(examples[name], name).toMatchObject({ status: expect.stringMatching(/^(built|cached)$/), signed: true });
      expect(examples[name]!.reference).toMatch(new RegExp(`/examples/${name}@sha256:[0-9a-f]{64}$`));
      expect(examples[name]!.bytes).toBeGreaterThan(1_000_000);
    }
    expect(crawl).toMatchObject({ components: 3, added: 3 });
    expect(crawl.described).toMatchObject({ layer: 3, decoded: 0 });
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

  it('weather: found from "do I need an umbrella", refused until its key variable and then its host are granted', async () => {
    const w = ctx.world;
    const hit = await findExample(w, 'weather', 'do I need an umbrella in Lyon today?');
    expect(hit.signature).toMatchObject({ status: 'verified' });
    expect(hit.description).toContain('degrees Celsius');
    const { id, tools } = await loadExample(w, hit.ref, 'the user asked about the weather in Lyon');
    expect(tools.sort()).toEqual(['current_weather', 'forecast']);
    const base = `http://127.0.0.1:${port}`;
    const errorOf = async (tool: string, args: Record<string, unknown>) => {
      const r = await call(w.session, tool, args);
      expect(r.isError, text(r)).toBe(true);
      // The key travels in the request's query: no answer may show it.
      expect(JSON.stringify(r)).not.toContain(API_KEY);
      // The component's own message first (unescaped), then what the server added to the text content.
      return `${r.structuredContent?.error}\n${text(r)}`;
    };

    // Nothing granted: the component sees no key, says which grant and which secret, and sends nothing.
    const noKey = await errorOf('current_weather', { location: 'Lyon' });
    expect(noKey).toMatch(/OPENWEATHER_API_KEY is not visible to this component/);
    expect(noKey).toContain('grant_environment_variable_permission {"key": "OPENWEATHER_API_KEY"}');
    expect(noKey).toContain('wassette secret set <component-id> OPENWEATHER_API_KEY=<key>');
    // The user stores the key as a secret: still invisible without the environment grant.
    const secret = await runCli(['secret', 'set', id, `OPENWEATHER_API_KEY=${API_KEY}`, `WEATHER_API_BASE=${base}`], { home: w.home, env: EXAMPLES_ENV });
    expect(secret.code, secret.stderr).toBe(0);
    expect(secret.stderr).toContain(`wassette permission grant environment ${id} OPENWEATHER_API_KEY`);
    expect(await errorOf('forecast', { location: 'Lyon', days: 1 })).toMatch(/OPENWEATHER_API_KEY is not visible/);

    // The key granted, not the base override: the request heads for OpenWeather itself and the sandbox refuses it.
    await grantApproved(w, 'grant_environment_variable_permission', { key: 'OPENWEATHER_API_KEY' }, id);
    await vi.waitFor(
      async () => {
        const r = await call(w.session, 'current_weather', { location: 'Lyon' });
        expect(r.isError, text(r)).toBe(true);
        expect(JSON.stringify(r)).not.toContain(API_KEY);
        // The component's message and the sandbox's denial name the same grant, port included.
        expect(r.structuredContent?.error).toMatch(
          /^could not reach https:\/\/api\.openweathermap\.org\/data\/2\.5\/weather: .*ask for grant_network_permission \{"host": "api\.openweathermap\.org:443"\}\)$/s,
        );
        expect(r.structuredContent?.denials).toEqual([
          expect.objectContaining({
            capability: 'network',
            target: 'api.openweathermap.org:443',
            reason: expect.stringMatching(/^host api\.openweathermap\.org is not in the network allow list/),
            allow: { tool: 'grant_network_permission', arguments: { component_id: id, details: { host: 'api.openweathermap.org:443' } } },
          }),
        ]);
        expect(text(r)).toContain(`to allow it, call grant_network_permission {"component_id":"${id}","details":{"host":"api.openweathermap.org:443"}}`);
      },
      { timeout: 20_000, interval: 500 },
    );
    // With the override granted too it heads for the stand-in, still refused until that host is granted.
    await grantApproved(w, 'grant_environment_variable_permission', { key: 'WEATHER_API_BASE' }, id);
    await vi.waitFor(
      async () => {
        const denied = await errorOf('current_weather', { location: 'Lyon' });
        expect(denied).toMatch(new RegExp(`host 127\\.0\\.0\\.1 is not in the network allow list.*grant_network_permission.*127\\.0\\.0\\.1:${port}`, 's'));
      },
      { timeout: 20_000, interval: 500 },
    );
    expect(weatherRequests).toHaveLength(0);

    await grantApproved(w, 'grant_network_permission', { host: `127.0.0.1:${port}` }, id);
    let now: Record<string, unknown> | undefined;
    await vi.waitFor(
      async () => {
        const r = await call(w.session, 'current_weather', { location: 'Lyon' });
        expect(r.isError, text(r)).toBeFalsy();
        now = r.structuredContent?.result;
      },
      { timeout: 20_000, interval: 500 },
    );
    expect(now).toEqual({
      city: 'Lyon',
      country: 'FR',
      latitude: 45.7485,
      longitude: 4.8467,
      'observed-at': '2026-12-03T14:00:00Z',
      description: 'light rain',
      'temperature-celsius': 7.25,
      'feels-like-celsius': 4.9,
      'humidity-percent': 87,
      'pressure-hpa': 1012,
      'wind-speed-mps': 3.6,
      'wind-direction-degrees': 200,
      'cloud-cover-percent': 75,
    });
    const sent = weatherRequests.at(-1)!;
    expect(Object.fromEntries(sent)).toEqual({ q: 'Lyon', units: 'metric', appid: API_KEY });

    const coords = await call(w.session, 'current_weather', { location: '45.70, 4.89' });
    expect(coords.structuredContent?.result, text(coords)).toMatchObject({ city: 'Vénissieux', latitude: 45.7, longitude: 4.89 });
    expect(Object.fromEntries(weatherRequests.at(-1)!)).toMatchObject({ lat: '45.7', lon: '4.89' });

    const fc = await call(w.session, 'forecast', { location: 'Lyon', days: 1 });
    expect(fc.isError, text(fc)).toBeFalsy();
    const steps = fc.structuredContent?.result.steps as Array<Record<string, unknown>>;
    expect(steps).toHaveLength(8);
    expect(steps[0]).toEqual({
      time: '2026-12-03T15:00:00Z',
      description: 'moderate rain',
      'temperature-celsius': 6,
      'humidity-percent': 80,
      'wind-speed-mps': 4,
      'precipitation-chance-percent': 80,
    });
    expect(steps[7]).toMatchObject({ time: '2026-12-04T12:00:00Z', 'temperature-celsius': 9.5, 'precipitation-chance-percent': 10 });
    expect(weatherRequests.at(-1)!.get('cnt')).toBe('8');

    // The API's own 404 for an unknown city, as an error the agent can act on; bad arguments never reach the API.
    const count = weatherRequests.length;
    expect(await errorOf('current_weather', { location: 'Atlantis' })).toMatch(
      /^no place called "Atlantis" found \(the weather service answered HTTP 404: city not found\); check the spelling/,
    );
    expect(weatherRequests).toHaveLength(count + 1);
    expect(await errorOf('forecast', { location: 'Lyon', days: 9 })).toMatch(/days must be a whole number from 1 to 5, not 9/);
    expect(await errorOf('current_weather', { location: '95,10' })).toMatch(/latitude 95 is out of range/);
    expect(weatherRequests).toHaveLength(count + 1);

    // A wrong key is the API's 401, named as a key problem.
    const wrong = await runCli(['secret', 'set', id, 'OPENWEATHER_API_KEY=not-the-key'], { home: w.home, env: EXAMPLES_ENV });
    expect(wrong.code, wrong.stderr).toBe(0);
    await vi.waitFor(
      async () => {
        const r = await call(w.session, 'current_weather', { location: 'Lyon' });
        expect(r.isError, text(r)).toBe(true);
        expect(text(r)).toMatch(/refused the API key in OPENWEATHER_API_KEY \(HTTP 401: Invalid API key/);
      },
      { timeout: 20_000, interval: 500 },
    );
  }, 240_000);
});
