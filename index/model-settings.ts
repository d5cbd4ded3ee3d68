// How a model folder says to turn token vectors into one sentence vector, and what to put before a query, in
// sentence-transformers' own files: 1_Pooling/config.json (mean for MiniLM/mpnet, CLS for bge) and the `query`
// prompt of config_sentence_transformers.json (e5/gte/bge-style instructions). Absent files mean MiniLM's ways.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export class ModelSettingsError extends Error {
  constructor(
    readonly code: 'pooling-unsupported' | 'settings-unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'ModelSettingsError';
  }
}

/** The feature-extraction pooling modes of @huggingface/transformers that sentence-transformers also has. */
export type Pooling = 'mean' | 'cls' | 'last_token';

export interface ModelSettings {
  readonly pooling: Pooling;
  /** Put before every search request (never before documents); '' for none. */
  readonly queryPrefix: string;
}

export const DEFAULT_SETTINGS: ModelSettings = Object.freeze({ pooling: 'mean', queryPrefix: '' });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Pure: the pooling a 1_Pooling/config.json asks for; undefined config (no file) means mean, as for MiniLM.
 * A mode this runtime cannot do (max, weighted mean, several at once) is an error rather than a silent mean:
 * vectors pooled the wrong way still look like vectors, and only the ranking shows it.
 */
export function poolingOf(config: unknown): Pooling {
  if (config === undefined) return 'mean';
  if (!isRecord(config)) throw new ModelSettingsError('settings-unreadable', '1_Pooling/config.json is not a JSON object');
  const on = Object.entries(config)
    .filter(([k, v]) => k.startsWith('pooling_mode_') && v === true)
    .map(([k]) => k.slice('pooling_mode_'.length));
  const byMode: Record<string, Pooling> = { mean_tokens: 'mean', cls_token: 'cls', lasttoken: 'last_token' };
  const only = on.length === 1 && on[0] !== undefined ? byMode[on[0]] : undefined;
  if (only === undefined) {
    throw new ModelSettingsError('pooling-unsupported', `pooling ${on.length === 0 ? '(none set)' : on.join('+')} is not supported (mean, cls or last token)`);
  }
  return only;
}

/** Pure: the `query` prompt of a config_sentence_transformers.json, '' when there is none. */
export function queryPrefixOf(config: unknown): string {
  if (!isRecord(config) || !isRecord(config.prompts)) return '';
  const query = config.prompts.query;
  return typeof query === 'string' ? query : '';
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new ModelSettingsError('settings-unreadable', `${path}: ${(e as Error).message}`);
  }
}

/** The settings of the model in `dir`; a folder without sentence-transformers files gets MiniLM's (mean, no prefix). */
export function readModelSettings(dir: string): ModelSettings {
  return Object.freeze({
    pooling: poolingOf(readJson(join(dir, '1_Pooling', 'config.json'))),
    queryPrefix: queryPrefixOf(readJson(join(dir, 'config_sentence_transformers.json'))),
  });
}
