// Types of component.js for the TypeScript tests that run it in Node.
export interface ZonedTime {
  zone: string;
  local: string;
  offset: string;
  utc: string;
  weekday: string;
  daylightSaving: boolean;
}
export function zonedTime(zone: string, utcMs: number): ZonedTime;
export function currentTime(zone?: string | null): ZonedTime;
export function convertTime(time: string, fromZone: string | undefined | null, toZone: string): ZonedTime;
export function listTimeZones(): string[];
