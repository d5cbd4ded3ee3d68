// Types of tz.js for the TypeScript tests that check it against Node's ICU.
export const TABLE_END: number;
export const ZONES: Record<string, number>;
export const ALIASES: Record<string, string>;
export function resolveZone(name: string): string | undefined;
export function daysFromCivil(y: number, m: number, d: number): number;
export function civilFromDays(z: number): { year: number; month: number; day: number };
export function daysInMonth(y: number, m: number): number;
export function ruleDay(y: number, m: number, spec: string): number;
export function ruleTransition(y: number, month: number, spec: string, at: number, before: number): number;
/** Offset in seconds east of UTC. */
export function offsetAt(zone: string, ms: number): { offset: number; dst: boolean };
export function localToUtc(zone: string, localMs: number): number;
export function formatOffset(seconds: number): string;
