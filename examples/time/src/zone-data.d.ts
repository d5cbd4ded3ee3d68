// Types of the generated zone-data.js (see scripts/examples/time-zone-data.ts).
export const TZ_VERSION: string;
export const TABLE_END: number;
export const TABLES: string[];
export const ZONES: Record<string, number>;
export const ALIASES: Record<string, string>;
