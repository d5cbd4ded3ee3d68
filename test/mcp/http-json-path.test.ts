import { describe, expect, it } from 'vitest';
import { jsonEligible, protocolVersionError } from '../../src/mcp/http-json-path.js';

const ACCEPT = 'application/json, text/event-stream';
const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } };

describe('jsonEligible', () => {
  it.each([
    ['a plain call', call, ACCEPT, true],
    ['a string id', { ...call, id: 'a' }, ACCEPT, true],
    ['no params', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, ACCEPT, true],
    ['JSON not accepted', call, 'text/event-stream', false],
    ['no Accept', call, undefined, false],
    ['a progress token', { ...call, params: { ...call.params, _meta: { progressToken: 't' } } }, ACCEPT, false],
    ['a zero progress token', { ...call, params: { ...call.params, _meta: { progressToken: 0 } } }, ACCEPT, false],
    ['initialize', { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, ACCEPT, false],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/cancelled', params: {} }, ACCEPT, false],
    ['a batch', [call], ACCEPT, false],
    ['a response', { jsonrpc: '2.0', id: 1, result: {} }, ACCEPT, false],
    ['a fractional id', { ...call, id: 1.5 }, ACCEPT, false],
    ['array params', { ...call, params: [] }, ACCEPT, false],
    ['wrong version', { ...call, jsonrpc: '1.0' }, ACCEPT, false],
    ['null', null, ACCEPT, false],
  ])('%s', (_label, body, accept, expected) => {
    expect(jsonEligible(body, accept)).toBe(expected);
  });
});

describe('protocolVersionError', () => {
  it('accepts no header and supported versions, refuses others', () => {
    expect(protocolVersionError(undefined)).toBeUndefined();
    expect(protocolVersionError('2025-06-18')).toBeUndefined();
    expect(protocolVersionError('1999-01-01')).toMatch(/Unsupported protocol version: 1999-01-01/);
  });
});
