// JSON column helper shared by the table modules: a corrupt cell becomes a Store error naming the column.
import { ErrorCode, WassetteError } from '../errors.js';

export function parseJsonColumn(text: string | null, fallback: unknown, column = 'json column'): unknown {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new WassetteError(ErrorCode.Store, `corrupt ${column} in the state database: ${(e as Error).message}`, { cause: e });
  }
}
