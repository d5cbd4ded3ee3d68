// Table tests for OCI reference parsing, formatting and loopback detection.
import { describe, expect, it } from 'vitest';
import { formatReference, isLoopback, parseReference, tagKey } from '../../src/oci/reference.js';

const D = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it.each([
    ['oci://ghcr.io/org/tool:1.0', { registry: 'ghcr.io', host: 'ghcr.io', port: undefined, repository: 'org/tool', tag: '1.0', digest: undefined }],
    ['oci://127.0.0.1:5000/a/b/c', { registry: '127.0.0.1:5000', host: '127.0.0.1', port: 5000, repository: 'a/b/c', tag: 'latest', digest: undefined }],
    [`localhost:5000/x@${D}`, { registry: 'localhost:5000', host: 'localhost', port: 5000, repository: 'x', tag: undefined, digest: D }],
    [`oci://r.io/x:v2@${D}`, { registry: 'r.io', host: 'r.io', port: undefined, repository: 'x', tag: 'v2', digest: D }],
    ['oci://R.IO/my-org/my_tool.x:v1', { registry: 'r.io', host: 'R.IO', port: undefined, repository: 'my-org/my_tool.x', tag: 'v1', digest: undefined }],
  ])('%s', (input, expected) => {
    const { host, ...rest } = expected;
    expect(parseReference(input)).toMatchObject({ ...rest, host: host.toLowerCase() });
  });

  it.each([
    ['', 'is empty'],
    ['oci://ghcr.io', 'repository'],
    ['https://ghcr.io/a:b', 'scheme'],
    ['oci://ghcr.io/Org/tool', 'repository segment "Org"'],
    ['oci://ghcr.io/a//b', 'repository segment ""'],
    ['oci://ghcr.io/a:bad!tag', 'tag "bad!tag"'],
    ['oci://ghcr.io/a@sha256:1234', 'digest "sha256:1234"'],
    ['oci://ghcr.io/a@md5:abcd', 'digest'],
    ['oci://gh_cr.io/a', 'host "gh_cr.io"'],
    ['oci://ghcr.io:99999/a', 'port "99999"'],
  ])('rejects %j naming %s', (input, part) => {
    expect(() => parseReference(input)).toThrowError(expect.objectContaining({ code: 'invalid-reference', message: expect.stringContaining(part) }));
  });

  it('formats back to the canonical form', () => {
    expect(formatReference(parseReference(`127.0.0.1:5000/a:v1@${D}`))).toBe(`oci://127.0.0.1:5000/a:v1@${D}`);
    expect(tagKey(parseReference('oci://h.io/a'))).toBe('h.io/a:latest');
  });
});

describe('isLoopback', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['::1', true],
    ['[::1]', true],
    ['api.localhost', true],
    ['127.0.0.256', false],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['0.0.0.0', false],
    ['ghcr.io', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
