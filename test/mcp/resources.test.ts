import { describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { listResources, parseResourceUri, readResource, resourceUri, RESOURCE_NOT_FOUND, type ResourceSource } from '../../src/mcp/resources.js';

const src: ResourceSource = {
  componentIds: () => ['alpha', 'beta-2'],
  wit: (id) => (id === 'alpha' || id === 'beta-2' ? `world ${id} {}` : undefined),
  policyYaml: (id) => {
    if (id === 'alpha') return 'version: "1.0"\n';
    throw new Error('unknown component');
  },
};

describe('resource URIs', () => {
  it.each([
    ['wassette://components/alpha/wit', { id: 'alpha', kind: 'wit' }],
    ['wassette://components/beta-2/policy', { id: 'beta-2', kind: 'policy' }],
    ['wassette://components/a%2Fb/wit', { id: 'a/b', kind: 'wit' }],
    ['wassette://components/alpha/secrets', undefined],
    ['wassette://components/alpha/wit/extra', undefined],
    ['wassette://components//wit', undefined],
    ['wassette://other/alpha/wit', undefined],
    ['file:///etc/passwd', undefined],
    ['wassette://components/%E0%A4%A/wit', undefined],
  ])('%s', (uri, expected) => {
    expect(parseResourceUri(uri)).toEqual(expected);
  });

  it('resourceUri and parseResourceUri invert each other', () => {
    for (const id of ['alpha', 'a b', 'ü/x']) expect(parseResourceUri(resourceUri(id, 'policy'))).toEqual({ id, kind: 'policy' });
  });
});

describe('listing and reading', () => {
  it('lists a WIT and a policy resource per component, in component order', () => {
    expect(listResources(src).map((r) => [r.uri, r.mimeType])).toEqual([
      ['wassette://components/alpha/wit', 'text/x-wit'],
      ['wassette://components/alpha/policy', 'application/yaml'],
      ['wassette://components/beta-2/wit', 'text/x-wit'],
      ['wassette://components/beta-2/policy', 'application/yaml'],
    ]);
  });

  it('reads text contents', () => {
    expect(readResource(src, 'wassette://components/alpha/wit')).toEqual({
      uri: 'wassette://components/alpha/wit',
      mimeType: 'text/x-wit',
      text: 'world alpha {}',
    });
    expect(readResource(src, 'wassette://components/alpha/policy').text).toBe('version: "1.0"\n');
  });

  it.each(['wassette://components/gamma/wit', 'wassette://components/beta-2/policy', 'https://example.com/x'])('%s is resource-not-found', (uri) => {
    let err: unknown;
    try {
      readResource(src, uri);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(RESOURCE_NOT_FOUND);
    expect((err as McpError).message).toContain(uri);
  });
});
