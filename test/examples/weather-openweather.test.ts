// The weather example's pure half, run in Node: settings from the granted environment, locations, and OpenWeather's
// JSON answers (samples in its documented shape) turned into the WIT records.
import { describe, expect, it } from 'vitest';
import {
  currentFromJson,
  DEFAULT_BASE,
  forecastFromJson,
  forecastSteps,
  grantHost,
  httpError,
  locationQuery,
  requestUrl,
  settings,
} from '../../examples/weather/src/openweather.js';

const CURRENT = {
  coord: { lon: 4.8467, lat: 45.7485 },
  weather: [{ id: 500, main: 'Rain', description: 'light rain', icon: '10d' }],
  main: { temp: 7.25, feels_like: 4.9, pressure: 1012, humidity: 87, sea_level: 1014 },
  wind: { speed: 3.6, deg: 200 },
  clouds: { all: 75 },
  dt: 1796306400,
  sys: { country: 'FR' },
  name: 'Lyon',
  cod: 200,
};

describe('settings', () => {
  it('names the grant and the secret when the key is not visible, or blank', () => {
    for (const env of [[], [['OPENWEATHER_API_KEY', '  ']]] as Array<Array<[string, string]>>) {
      expect(() => settings(env)).toThrow(/^OPENWEATHER_API_KEY is not visible to this component/);
      expect(() => settings(env)).toThrow(/grant_environment_variable_permission \{"key": "OPENWEATHER_API_KEY"\}/);
      expect(() => settings(env)).toThrow(/wassette secret set <component-id> OPENWEATHER_API_KEY=<key>/);
    }
  });

  it.each([
    [[['OPENWEATHER_API_KEY', 'k']], { key: 'k', base: DEFAULT_BASE }],
    [
      [
        ['OPENWEATHER_API_KEY', 'k'],
        ['WEATHER_API_BASE', 'http://127.0.0.1:9000/'],
      ],
      { key: 'k', base: 'http://127.0.0.1:9000' },
    ],
    [
      [
        ['OPENWEATHER_API_KEY', 'k'],
        ['WEATHER_API_BASE', 'https://proxy.example/ow//'],
      ],
      { key: 'k', base: 'https://proxy.example/ow' },
    ],
  ] as Array<[Array<[string, string]>, { key: string; base: string }]>)('reads %j', (env, want) => {
    expect(settings(env)).toEqual(want);
  });

  it('refuses a base that is not an http(s) URL', () => {
    expect(() =>
      settings([
        ['OPENWEATHER_API_KEY', 'k'],
        ['WEATHER_API_BASE', 'api.example'],
      ]),
    ).toThrow(/WEATHER_API_BASE is "api.example", not an absolute URL/);
    expect(() =>
      settings([
        ['OPENWEATHER_API_KEY', 'k'],
        ['WEATHER_API_BASE', 'file:///etc'],
      ]),
    ).toThrow(/must be an http or https URL, not file:/);
  });
});

describe('locations and steps', () => {
  it.each([
    ['Lyon', { q: 'Lyon' }],
    ['  Portland,US ', { q: 'Portland,US' }],
    ['45.76,4.84', { lat: '45.76', lon: '4.84' }],
    ['-33.87 , 151.21', { lat: '-33.87', lon: '151.21' }],
  ])('%j', (text, want) => {
    expect(locationQuery(text)).toEqual(want);
  });

  it('refuses empty locations and coordinates out of range', () => {
    expect(() => locationQuery(' ')).toThrow(/location is empty/);
    expect(() => locationQuery('91,0')).toThrow(/latitude 91 is out of range/);
    expect(() => locationQuery('0,-181')).toThrow(/longitude -181 is out of range/);
  });

  it('asks for 8 steps a day, 1 to 5 days', () => {
    expect(forecastSteps(1)).toBe(8);
    expect(forecastSteps(5)).toBe(40);
    for (const bad of [0, 6, 1.5]) expect(() => forecastSteps(bad)).toThrow(/days must be a whole number from 1 to 5/);
  });

  it.each([
    ['https://api.openweathermap.org/data/2.5/weather?appid=k', 'api.openweathermap.org:443'],
    ['http://127.0.0.1:9000/data/2.5/weather', '127.0.0.1:9000'],
    ['http://weather.example/x', 'weather.example:80'],
  ])('a network grant for %s names %s', (url, host) => {
    expect(grantHost(url)).toBe(host);
  });

  it('builds the URL with the key, and a shown form without the query', () => {
    const r = requestUrl('http://127.0.0.1:9000', '/data/2.5/weather', { q: 'São Paulo', appid: 'secret' });
    expect(r.url).toBe('http://127.0.0.1:9000/data/2.5/weather?q=S%C3%A3o+Paulo&appid=secret');
    expect(r.shown).toBe('http://127.0.0.1:9000/data/2.5/weather');
  });
});

describe('answers', () => {
  it('current weather in metric units becomes the record', () => {
    expect(currentFromJson(CURRENT)).toEqual({
      city: 'Lyon',
      country: 'FR',
      latitude: 45.7485,
      longitude: 4.8467,
      observedAt: '2026-12-03T14:00:00Z',
      description: 'light rain',
      temperatureCelsius: 7.25,
      feelsLikeCelsius: 4.9,
      humidityPercent: 87,
      pressureHpa: 1014,
      windSpeedMps: 3.6,
      windDirectionDegrees: 200,
      cloudCoverPercent: 75,
    });
    const sparse = currentFromJson({ ...CURRENT, main: { temp: 1, humidity: 140 }, wind: undefined, clouds: undefined, sys: {}, weather: [] });
    expect(sparse).toMatchObject({
      country: '',
      description: '',
      feelsLikeCelsius: 1,
      humidityPercent: 100,
      pressureHpa: 0,
      windSpeedMps: 0,
      cloudCoverPercent: 0,
    });
    expect(() => currentFromJson({ cod: 200 })).toThrow(/not current weather/);
    expect(() => currentFromJson({ ...CURRENT, main: { temp: 'warm' } })).toThrow(/no number for temperature/);
  });

  it('a forecast becomes its steps, the chance of rain in percent', () => {
    const doc = {
      cod: '200',
      cnt: 2,
      list: [
        { dt: 1796310000, main: { temp: 6.1, humidity: 90 }, weather: [{ description: 'moderate rain' }], wind: { speed: 4.2 }, pop: 0.86 },
        { dt: 1796320800, main: { temp: 5 }, weather: [{ description: 'overcast clouds' }], pop: 0 },
      ],
      city: { name: 'Lyon', country: 'FR' },
    };
    expect(forecastFromJson(doc)).toEqual({
      city: 'Lyon',
      country: 'FR',
      steps: [
        {
          time: '2026-12-03T15:00:00Z',
          description: 'moderate rain',
          temperatureCelsius: 6.1,
          humidityPercent: 90,
          windSpeedMps: 4.2,
          precipitationChancePercent: 86,
        },
        {
          time: '2026-12-03T18:00:00Z',
          description: 'overcast clouds',
          temperatureCelsius: 5,
          humidityPercent: 0,
          windSpeedMps: 0,
          precipitationChancePercent: 0,
        },
      ],
    });
    expect(() => forecastFromJson({ cod: '200' })).toThrow(/not a forecast/);
  });

  it.each([
    [404, '{"cod":"404","message":"city not found"}', /^no place called "Atlantis" found \(the weather service answered HTTP 404: city not found\)/],
    [401, '{"cod":401,"message":"Invalid API key."}', /refused the API key in OPENWEATHER_API_KEY \(HTTP 401: Invalid API key\.\)/],
    [429, '{"cod":429,"message":"too many"}', /too many calls \(HTTP 429: too many\)/],
    [502, 'Bad Gateway', /^http:\/\/h\/data\/2\.5\/weather answered HTTP 502: Bad Gateway$/],
  ])('HTTP %i is an error saying what to do', (status, body, want) => {
    expect(httpError(status, body, 'http://h/data/2.5/weather', 'Atlantis')).toMatch(want);
  });
});
