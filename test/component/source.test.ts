import { describe, expect, it } from 'vitest';
import { baseIdFor, parseSource } from '../../src/component/source.js';

describe('parseSource', () => {
  it.each([
    ['/abs/x.wasm', { kind: 'file', path: '/abs/x.wasm' }],
    ['rel/x.wasm', { kind: 'file', path: '/cwd/rel/x.wasm' }],
    ['file:///abs/y.wasm', { kind: 'file', path: '/abs/y.wasm' }],
    ['oci://127.0.0.1:5000/team/tool:1.0', { kind: 'oci', ref: 'oci://127.0.0.1:5000/team/tool:1.0' }],
    ['https://example.com/t.wasm', { kind: 'https', url: 'https://example.com/t.wasm' }],
    [`https://example.com/t.wasm#sha256=${'a'.repeat(64)}`, { kind: 'https', url: 'https://example.com/t.wasm', sha256: `sha256:${'a'.repeat(64)}` }],
    [`https://example.com/t.wasm#sha256=${'A'.repeat(64)}`, { kind: 'https', url: 'https://example.com/t.wasm', sha256: `sha256:${'a'.repeat(64)}` }],
  ])('%s', (input, expected) => {
    expect(parseSource(input, '/cwd')).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['ftp://host/x.wasm', /unsupported scheme "ftp:\/\/"/],
    ['https://e.com/x.wasm#md5=abc', /not a digest pin/],
    [`https://e.com/x.wasm#sha256:${'a'.repeat(64)}`, /not a digest pin/],
    ['https://', /not a URL/],
    ['file://relative/x', /not a valid file:\/\/ URI/],
  ])('rejects %j', (input, message) => {
    expect(() => parseSource(input, '/cwd')).toThrow(message);
  });
});

describe('baseIdFor', () => {
  it.each([
    [{ kind: 'file', path: '/a/b/All Types.wasm' }, 'all-types'],
    [{ kind: 'oci', ref: 'oci://localhost:5000/org/fetch-rs:1.2' }, 'fetch-rs'],
    [{ kind: 'oci', ref: `oci://localhost:5000/org/time@sha256:${'b'.repeat(64)}` }, 'time'],
    [{ kind: 'https', url: 'https://x.org/dl/weather.wasm' }, 'weather'],
  ] as const)('%j -> %s', (src, id) => {
    expect(baseIdFor(src)).toBe(id);
  });
});
