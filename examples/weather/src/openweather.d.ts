// Types of openweather.js for the TypeScript tests that run it in Node.
export interface CurrentWeather {
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  observedAt: string;
  description: string;
  temperatureCelsius: number;
  feelsLikeCelsius: number;
  humidityPercent: number;
  pressureHpa: number;
  windSpeedMps: number;
  windDirectionDegrees: number;
  cloudCoverPercent: number;
}
export interface ForecastStep {
  time: string;
  description: string;
  temperatureCelsius: number;
  humidityPercent: number;
  windSpeedMps: number;
  precipitationChancePercent: number;
}
export interface Forecast {
  city: string;
  country: string;
  steps: ForecastStep[];
}
export const KEY_VAR: string;
export const BASE_VAR: string;
export const DEFAULT_BASE: string;
export const MAX_DAYS: number;
export function settings(environment: Array<[string, string]>): { key: string; base: string };
export function locationQuery(location: string): { q: string } | { lat: string; lon: string };
export function forecastSteps(days: number): number;
export function requestUrl(base: string, path: string, params: Record<string, string>): { url: string; shown: string };
export function grantHost(url: string): string;
export function httpError(status: number, body: string, shown: string, location: string): string;
export function currentFromJson(doc: unknown): CurrentWeather;
export function forecastFromJson(doc: unknown): Forecast;
