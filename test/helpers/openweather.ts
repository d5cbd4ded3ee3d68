// A loopback stand-in for OpenWeather's API (no internet here): the weather example's tests and its benchmark call it
// through the real sandbox after granting the API key, base URL and host.
import type { ServerResponse } from 'node:http';

/**
 * OpenWeather's /data/2.5/weather and /forecast (units=metric), for Lyon and for coordinates; any other city is 404, a
 * key other than `apiKey` 401. Each query string is pushed to `seen` when given.
 */
export function answerOpenWeather(url: URL, res: ServerResponse, apiKey: string, seen?: URLSearchParams[]) {
  const q = url.searchParams;
  seen?.push(q);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  const reply = (status: number, doc: unknown) => {
    res.statusCode = status;
    res.end(JSON.stringify(doc));
  };
  if (q.get('appid') !== apiKey) return reply(401, { cod: 401, message: 'Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.' });
  if (q.get('units') !== 'metric') return reply(400, { cod: '400', message: 'this stand-in only answers units=metric' });
  const byCoords = q.has('lat') && q.has('lon');
  if (!byCoords && q.get('q') !== 'Lyon') return reply(404, { cod: '404', message: 'city not found' });
  const coord = byCoords ? { lat: Number(q.get('lat')), lon: Number(q.get('lon')) } : { lat: 45.7485, lon: 4.8467 };
  const name = byCoords ? 'Vénissieux' : 'Lyon';
  if (url.pathname === '/data/2.5/weather') {
    return reply(200, {
      coord: { lon: coord.lon, lat: coord.lat },
      weather: [{ id: 500, main: 'Rain', description: 'light rain', icon: '10d' }],
      base: 'stations',
      main: { temp: 7.25, feels_like: 4.9, temp_min: 6.1, temp_max: 8.3, pressure: 1012, humidity: 87, sea_level: 1012, grnd_level: 990 },
      visibility: 10000,
      wind: { speed: 3.6, deg: 200 },
      clouds: { all: 75 },
      dt: 1796306400,
      sys: { country: 'FR', sunrise: 1796281200, sunset: 1796313600 },
      timezone: 3600,
      id: 2996944,
      name,
      cod: 200,
    });
  }
  if (url.pathname === '/data/2.5/forecast') {
    const cnt = Number(q.get('cnt') ?? 40);
    const list = Array.from({ length: cnt }, (_, i) => ({
      dt: 1796310000 + i * 10800,
      main: { temp: 6 + i / 2, humidity: 80 + (i % 3) },
      weather: [{ description: i % 2 === 0 ? 'moderate rain' : 'overcast clouds' }],
      wind: { speed: 4 },
      pop: i % 2 === 0 ? 0.8 : 0.1,
      dt_txt: new Date((1796310000 + i * 10800) * 1000).toISOString().slice(0, 19).replace('T', ' '),
    }));
    return reply(200, { cod: '200', message: 0, cnt, list, city: { id: 2996944, name, coord, country: 'FR', timezone: 3600 } });
  }
  reply(404, { cod: '404', message: 'Internal error' });
}
