import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseToolsList, readToolsList } from '../../index/import-tools-list.js';
import { tempDir } from './helpers.js';

describe('parseToolsList', () => {
  it('reads tools with their parameters and types; the source is the file name', () => {
    const src = parseToolsList(
      JSON.stringify({
        tools: [
          {
            name: 'search_issues',
            description: 'Search GitHub issues',
            inputSchema: {
              type: 'object',
              properties: {
                query: { type: 'string', description: 'Search text' },
                labels: { type: 'array', items: { type: 'string' } },
                state: { enum: ['open', 'closed'] },
                limit: { type: ['integer', 'null'] },
              },
            },
          },
          { name: 'ping' },
        ],
      }),
      '/tmp/some/github-mcp.json',
    );
    expect(src).toMatchObject({ source: 'github-mcp.json', kind: 'mcp', ref: 'mcp:github-mcp.json' });
    expect(src.tools[0]?.params).toEqual([
      { name: 'query', type: 'string', description: 'Search text' },
      { name: 'labels', type: 'array of string', description: undefined },
      { name: 'state', type: 'one of open, closed', description: undefined },
      { name: 'limit', type: 'integer | null', description: undefined },
    ]);
    expect(src.tools[1]).toEqual({ name: 'ping', description: undefined, params: [] });
  });

  it('accepts a saved JSON-RPC response ({result: {tools}})', () => {
    expect(parseToolsList('{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"a"}]}}', 'x.json').tools).toHaveLength(1);
  });

  it.each([
    ['{', /x\.json: not valid JSON/],
    ['[]', /x\.json: expected an object with a "tools" array/],
    ['{"tools": {}}', /x\.json: "tools" must be an array/],
    ['{"tools": [1]}', /x\.json: tools\[0\] must be an object/],
    ['{"tools": [{"name": "ok"}, {"description": "no name"}]}', /x\.json: tools\[1\]\.name must be a non-empty string/],
    ['{"tools": [{"name": "  "}]}', /tools\[0\]\.name must be a non-empty string/],
    ['{"tools": [{"name": "a"}, {"name": "a"}]}', /tools\[1\]\.name "a" appears twice/],
    ['{"tools": [{"name": "a", "description": 5}]}', /tools\[0\]\.description must be a string/],
    ['{"tools": [{"name": "a", "inputSchema": "object"}]}', /tools\[0\]\.inputSchema must be an object/],
    ['{"tools": [{"name": "a", "inputSchema": {"properties": []}}]}', /tools\[0\]\.inputSchema\.properties must be an object/],
  ])('%s -> %s', (text, error) => {
    expect(() => parseToolsList(text, 'x.json')).toThrow(error);
  });
});

describe('readToolsList', () => {
  it('names the file it cannot read', () => {
    expect(() => readToolsList('/no/such/tools.json')).toThrow(/\/no\/such\/tools\.json: cannot read/);
  });

  it('reads a file from disk', () => {
    const p = join(tempDir(), 'srv.json');
    writeFileSync(p, '{"tools":[{"name":"x","description":"y"}]}');
    expect(readToolsList(p).source).toBe('srv.json');
  });
});
