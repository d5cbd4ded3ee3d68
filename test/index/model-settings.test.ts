import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelSettingsError, poolingOf, queryPrefixOf, readModelSettings } from '../../index/model-settings.js';
import { tempDir } from './helpers.js';

// sentence-transformers' 1_Pooling/config.json as MiniLM, bge and a decoder embedder ship it.
const pooling = (mode: string): Record<string, unknown> => ({
  word_embedding_dimension: 384,
  pooling_mode_cls_token: mode === 'cls_token',
  pooling_mode_mean_tokens: mode === 'mean_tokens',
  pooling_mode_max_tokens: mode === 'max_tokens',
  pooling_mode_mean_sqrt_len_tokens: false,
  ...(mode === 'lasttoken' ? { pooling_mode_lasttoken: true } : {}),
});

describe('poolingOf', () => {
  it.each([
    ['no file (MiniLM as the project fetches it)', undefined, 'mean'],
    ['mean tokens (all-MiniLM-L6-v2, all-mpnet-base-v2)', pooling('mean_tokens'), 'mean'],
    ['CLS token (bge-small-en-v1.5)', pooling('cls_token'), 'cls'],
    ['last token', pooling('lasttoken'), 'last_token'],
  ])('%s', (_name, config, expected) => {
    expect(poolingOf(config)).toBe(expected);
  });

  it.each([
    ['max pooling', pooling('max_tokens')],
    ['two modes at once', { pooling_mode_cls_token: true, pooling_mode_mean_tokens: true }],
    ['no mode set', { pooling_mode_cls_token: false }],
  ])('refuses %s rather than pooling another way', (_name, config) => {
    expect(() => poolingOf(config)).toThrow(expect.objectContaining({ code: 'pooling-unsupported' }));
  });

  it('refuses a config that is not an object', () => {
    expect(() => poolingOf([1])).toThrow(ModelSettingsError);
  });
});

describe('queryPrefixOf', () => {
  it('reads the query prompt, and nothing else', () => {
    const bge = 'Represent this sentence for searching relevant passages: ';
    expect(queryPrefixOf({ prompts: { query: bge, document: 'passage: ' } })).toBe(bge);
    expect(queryPrefixOf({ prompts: { document: 'passage: ' } })).toBe('');
    expect(queryPrefixOf({ __version__: { sentence_transformers: '2.2.2' } })).toBe('');
    expect(queryPrefixOf(undefined)).toBe('');
    expect(queryPrefixOf({ prompts: { query: 3 } })).toBe('');
  });
});

describe('readModelSettings', () => {
  it("a bare transformers.js folder gets MiniLM's ways", () => {
    expect(readModelSettings(tempDir())).toEqual({ pooling: 'mean', queryPrefix: '' });
  });

  it('reads pooling and query prompt from the sentence-transformers files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify(pooling('cls_token')));
    writeFileSync(join(dir, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'query: ' } }));
    expect(readModelSettings(dir)).toEqual({ pooling: 'cls', queryPrefix: 'query: ' });
  });

  it('a damaged file is an error with a code, not a default', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(join(dir, '1_Pooling', 'config.json'), '{ not json');
    expect(() => readModelSettings(dir)).toThrow(expect.objectContaining({ code: 'settings-unreadable' }));
  });
});
