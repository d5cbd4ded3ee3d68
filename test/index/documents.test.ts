import { describe, expect, it } from 'vitest';
import { readableName, type SourceInput, sourceDocuments, splitIdentifier, splitText } from '../../index/documents.js';

describe('splitIdentifier', () => {
  it.each([
    ['getWeather', ['get', 'weather']],
    ['GetWeatherForecast', ['get', 'weather', 'forecast']],
    ['get_weather_forecast', ['get', 'weather', 'forecast']],
    ['get-weather-forecast', ['get', 'weather', 'forecast']],
    ['HTTPServer', ['http', 'server']],
    ['parseJSONToYAML', ['parse', 'json', 'to', 'yaml']],
    ['sha256sum', ['sha', '256', 'sum']],
    ['utf8-decode', ['utf', '8', 'decode']],
    ['v2Api', ['v', '2', 'api']],
    ['wasi:http/outgoing-handler', ['wasi', 'http', 'outgoing', 'handler']],
    ['ÜberWetter', ['über', 'wetter']],
    ['', []],
    ['___', []],
  ])('%s -> %j', (input, expected) => {
    expect(splitIdentifier(input)).toEqual(expected);
  });
});

describe('splitText', () => {
  it.each([
    ['Fetches the weather.', 'fetches the weather'],
    // A split identifier is also kept whole, so the exact name still matches one token.
    ['call get_weather now', 'call get weather getweather now'],
    ['FinanceTool', 'finance tool financetool'],
    ['plain words stay', 'plain words stay'],
    ['"quoted" (parens) NEAR*', 'quoted parens near'],
  ])('%j -> %j', (input, expected) => {
    expect(splitText(input)).toBe(expected);
  });

  it('readableName joins the words', () => {
    expect(readableName('getCurrentWeather')).toBe('get current weather');
  });
});

const weather: SourceInput = {
  source: 'oci://ghcr.io/acme/weather:1.0',
  kind: 'component',
  ref: 'oci://ghcr.io/acme/weather@sha256:abc',
  name: 'weather',
  package: 'acme:weather',
  description: 'Weather forecasts from public services',
  annotations: { 'org.opencontainers.image.title': 'Acme Weather', 'org.opencontainers.image.created': '2026-01-01' },
  permissions: { network: ['api.weather.example'] },
  signature: 'verified',
  tools: [
    {
      name: 'get-forecast',
      description: 'Forecast for a city',
      interface: 'acme:weather/forecast',
      params: [{ name: 'cityName', type: 'string', description: 'City' }],
    },
    { name: 'current_temp', params: [] },
  ],
};

describe('sourceDocuments', () => {
  const docs = sourceDocuments(weather);

  it('makes one document per tool and one for the component', () => {
    expect(docs.map((d) => [d.kind, d.key])).toEqual([
      ['tool', 'tool:acme:weather/forecast/get-forecast'],
      ['tool', 'tool:current_temp'],
      ['component', 'component'],
    ]);
  });

  it('splits identifiers per field', () => {
    const [forecast] = docs;
    expect(forecast?.fields.name).toBe('get forecast getforecast');
    expect(forecast?.fields.params).toBe('city name cityname string city');
    expect(forecast?.fields.description).toBe('forecast for a city');
  });

  it("puts the component's context into each tool's context, not siblings or unrelated annotations", () => {
    const ctx = docs[0]?.fields.context ?? '';
    expect(ctx).toContain('acme weather forecast');
    expect(ctx).toContain('weather forecasts from public services');
    expect(ctx).not.toContain('current temp');
    expect(ctx).not.toContain('2026');
  });

  it('writes a sentence for the embedder with the readable name and the component purpose', () => {
    expect(docs[0]?.embedText).toBe('get forecast: Forecast for a city. Inputs: city name. Part of weather: Weather forecasts from public services.');
    expect(docs[1]?.embedText).toBe('current temp. Part of weather: Weather forecasts from public services.');
  });

  it('carries ref, permissions and signature as given', () => {
    for (const d of docs) {
      expect(d.ref).toBe(weather.ref);
      expect(d.metadata).toEqual({ permissions: { network: ['api.weather.example'] }, signature: 'verified' });
    }
  });

  it('component document lists its tools', () => {
    const c = docs[2];
    expect(c?.name).toBe('weather');
    expect(c?.fields.params).toBe('get forecast current temp');
    expect(c?.embedText).toBe('weather: Weather forecasts from public services. Tools: get forecast, current temp.');
  });

  it('an MCP source has no component document and per-tool refs', () => {
    const mcp = sourceDocuments({ source: 'tools.json', kind: 'mcp', ref: 'mcp:tools.json', tools: [{ name: 'search_web', description: 'Search' }] });
    expect(mcp).toHaveLength(1);
    expect(mcp[0]?.ref).toBe('mcp:tools.json#search_web');
    expect(mcp[0]?.embedText).toBe('search web: Search.');
  });
});
