// Types of tz.js for the TypeScript tests that check it against Node's ICU.
export interface Transition {
  month: number;
  day: string;
  at: number;
  basis: 'w' | 's' | 'u';
}
export interface Rule {
  start: Transition;
  end: Transition;
  save: number;
}
export const RULES: Record<string, Rule>;
export const ZONES: Record<string, [number, string?]>;
export const ALIASES: Record<string, string>;
export function resolveZone(name: string): string | undefined;
export function daysFromCivil(y: number, m: number, d: number): number;
export function civilFromDays(z: number): { year: number; month: number; day: number };
export function offsetAt(zone: string, ms: number): { offset: number; dst: boolean };
export function localToUtc(zone: string, localMs: number): number;
export function formatOffset(minutes: number): string;
