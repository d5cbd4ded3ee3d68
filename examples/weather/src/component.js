// The weather example's exports: current weather and a forecast from OpenWeather, the key read from a granted env var.
import { getEnvironment } from 'wasi:cli/environment@0.2.10';
import { currentFromJson, forecastFromJson, forecastSteps, grantHost, httpError, locationQuery, requestUrl, settings } from './openweather.js';

/** Answers larger than this are not read (OpenWeather's 5-day forecast is about 16 KB). */
const MAX_BYTES = 256 * 1024;

function reason(e) {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'payload' in e) return String(e.payload);
  return e?.message ? String(e.message) : String(e);
}

/** GETs an OpenWeather path and returns the parsed JSON; every error names the URL without its key-bearing query. */
async function call(path, location, extra) {
  const place = locationQuery(location);
  // Read on every call: a grant or a secret set since the last one takes effect without a reload.
  const { key, base } = settings(getEnvironment());
  const { url, shown } = requestUrl(base, path, { ...place, ...extra, units: 'metric', appid: key });
  let res;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (e) {
    const host = grantHost(url);
    throw `could not reach ${shown}: ${reason(e).trim()} (if ${host} is not granted, ask for grant_network_permission {"host": "${host}"})`;
  }
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > MAX_BYTES) throw `${shown} answered ${declared} bytes, over the ${MAX_BYTES}-byte limit`;
  const body = await res.text();
  if (body.length > MAX_BYTES) throw `${shown} answered over the ${MAX_BYTES}-byte limit`;
  if (!res.ok) throw httpError(res.status, body, shown, String(location).trim());
  try {
    return JSON.parse(body);
  } catch (e) {
    throw `${shown} did not answer with JSON: ${reason(e)}`;
  }
}

export async function currentWeather(location) {
  return currentFromJson(await call('/data/2.5/weather', location, {}));
}

export async function forecast(location, days) {
  const cnt = String(forecastSteps(days));
  return forecastFromJson(await call('/data/2.5/forecast', location, { cnt }));
}
