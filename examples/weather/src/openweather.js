// The pure half of the weather example: settings from the environment, locations, request URLs, and OpenWeather's
// JSON answers turned into the WIT records (no I/O here, so Node tests run it as is).

/** The variable holding the OpenWeather API key; the component sees it only when the user grants it. */
export const KEY_VAR = 'OPENWEATHER_API_KEY';
/** Optional override of the API's address (a test server, a proxy); also visible only when granted. */
export const BASE_VAR = 'WEATHER_API_BASE';
export const DEFAULT_BASE = 'https://api.openweathermap.org';
export const MAX_DAYS = 5;
const STEPS_PER_DAY = 8;
const COORDS = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;

/** `{key, base}` from the environment the sandbox exposes (a list of [name, value] pairs); throws what to grant. */
export function settings(environment) {
  const env = new Map(environment);
  const key = (env.get(KEY_VAR) ?? '').trim();
  if (key === '') {
    throw (
      `${KEY_VAR} is not visible to this component, so it has no OpenWeather API key. Ask for ` +
      `grant_environment_variable_permission {"key": "${KEY_VAR}"}, and have the user give it a value: ` +
      `\`wassette secret set <component-id> ${KEY_VAR}=<key>\` (or export it where the server runs). ` +
      'A free key comes from https://openweathermap.org/api'
    );
  }
  const rawBase = (env.get(BASE_VAR) ?? '').trim() || DEFAULT_BASE;
  let base;
  try {
    base = new URL(rawBase);
  } catch {
    throw `${BASE_VAR} is "${rawBase}", not an absolute URL; set it to one like ${DEFAULT_BASE}, or unset it`;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw `${BASE_VAR} must be an http or https URL, not ${base.protocol}`;
  return { key, base: base.href.replace(/\/+$/, '') };
}

/** Query parameters naming a place: `{q}` for a city, `{lat, lon}` for "latitude,longitude". */
export function locationQuery(location) {
  const text = String(location ?? '').trim();
  if (text === '') throw 'location is empty; give a city such as "Lyon" or "Portland,US", or "latitude,longitude" such as "45.76,4.84"';
  const m = COORDS.exec(text);
  if (!m) return { q: text };
  const [lat, lon] = [Number(m[1]), Number(m[2])];
  if (Math.abs(lat) > 90) throw `latitude ${lat} is out of range; it must be between -90 and 90`;
  if (Math.abs(lon) > 180) throw `longitude ${lon} is out of range; it must be between -180 and 180`;
  return { lat: String(lat), lon: String(lon) };
}

/** How many 3-hour steps `days` asks for; throws unless 1..MAX_DAYS. */
export function forecastSteps(days) {
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DAYS) throw `days must be a whole number from 1 to ${MAX_DAYS}, not ${days}`;
  return n * STEPS_PER_DAY;
}

/** The request URL (it carries the key: never put it in a message) and the same URL without its query, to show. */
export function requestUrl(base, path, params) {
  const url = new URL(`${base}${path}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url: url.href, shown: `${url.origin}${url.pathname}` };
}

/** The host:port a network grant for `url` names (the port written out, as the sandbox's own hint does). */
export function grantHost(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

/** The error for a non-2xx answer: OpenWeather's own message plus what to do about the usual ones. */
export function httpError(status, body, shown, location) {
  let message = '';
  try {
    const doc = JSON.parse(body);
    if (doc && typeof doc.message === 'string') message = doc.message;
  } catch {
    message = String(body).slice(0, 200);
  }
  const said = message ? `: ${message}` : '';
  if (status === 404)
    return `no place called "${location}" found (the weather service answered HTTP 404${said}); check the spelling, add a country code ("Paris,FR"), or give "latitude,longitude"`;
  if (status === 401)
    return `the weather service refused the API key in ${KEY_VAR} (HTTP 401${said}); check the key, or wait: a new key takes up to 2 hours to start working`;
  if (status === 429) return `the weather service says the API key has made too many calls (HTTP 429${said}); wait and try again`;
  return `${shown} answered HTTP ${status}${said}`;
}

const num = (v, what) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw `the weather service's answer has no number for ${what}`;
  return v;
};
const percent = (v) => Math.max(0, Math.min(100, Math.round(Number(v) || 0)));
const iso = (seconds) => new Date(num(seconds, 'the time') * 1000).toISOString().replace('.000Z', 'Z');
const describe = (weather) => (Array.isArray(weather) ? weather.map((w) => w?.description).filter((d) => typeof d === 'string') : []).join(', ');

/** OpenWeather's /data/2.5/weather answer (units=metric) as the conditions record. */
export function currentFromJson(doc) {
  if (!doc || typeof doc !== 'object' || !doc.main) throw 'the weather service answered with something that is not current weather';
  return {
    city: String(doc.name ?? ''),
    country: String(doc.sys?.country ?? ''),
    latitude: num(doc.coord?.lat, 'latitude'),
    longitude: num(doc.coord?.lon, 'longitude'),
    observedAt: iso(doc.dt),
    description: describe(doc.weather),
    temperatureCelsius: num(doc.main.temp, 'temperature'),
    feelsLikeCelsius: num(doc.main.feels_like ?? doc.main.temp, 'feels-like temperature'),
    humidityPercent: percent(doc.main.humidity),
    pressureHpa: Number(doc.main.sea_level ?? doc.main.pressure ?? 0),
    windSpeedMps: Number(doc.wind?.speed ?? 0),
    windDirectionDegrees: Math.round(Number(doc.wind?.deg ?? 0)) % 360,
    cloudCoverPercent: percent(doc.clouds?.all),
  };
}

/** OpenWeather's /data/2.5/forecast answer (units=metric) as the outlook record. */
export function forecastFromJson(doc) {
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.list)) throw 'the weather service answered with something that is not a forecast';
  return {
    city: String(doc.city?.name ?? ''),
    country: String(doc.city?.country ?? ''),
    steps: doc.list.map((s) => ({
      time: iso(s.dt),
      description: describe(s.weather),
      temperatureCelsius: num(s.main?.temp, 'temperature'),
      humidityPercent: percent(s.main?.humidity),
      windSpeedMps: Number(s.wind?.speed ?? 0),
      precipitationChancePercent: percent(Number(s.pop ?? 0) * 100),
    })),
  };
}
