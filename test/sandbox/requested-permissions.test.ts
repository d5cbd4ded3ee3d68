import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/sandbox/policy.js';
import { limitAsk, permissionWithin, requestedPermissions } from '../../src/sandbox/requested-permissions.js';

describe('requestedPermissions', () => {
  it('lists grants in policy order, then raised limits', () => {
    const p = parsePolicy(`
version: "1.0"
permissions:
  storage: { allow: [{ uri: "fs:///data", access: [read] }] }
  network: { allow: [{ host: api.example.com }] }
  environment: { allow: [{ key: API_KEY }] }
  resources: { limits: { memory: 1Gi, timeout: 90s } }
`);
    expect(requestedPermissions(p)).toEqual([
      'storage fs:///data (read)',
      'network api.example.com',
      'environment API_KEY',
      'memory limit 1Gi',
      'call timeout 90s',
    ]);
    expect(requestedPermissions(parsePolicy('version: "1.0"\n'))).toEqual([]);
    expect(requestedPermissions(undefined)).toEqual([]);
  });
});

describe('limits as permissions', () => {
  it('reads limit lines back as amounts, and nothing else', () => {
    expect(limitAsk('memory limit 1Gi')).toEqual({ limit: 'memory', amount: 1024 ** 3 });
    expect(limitAsk('call timeout 2m')).toEqual({ limit: 'timeout', amount: 120_000 });
    expect(limitAsk('memory limit lots')).toBeUndefined();
    expect(limitAsk('network memory limit 1Gi')).toBeUndefined();
  });

  it('a limit is within a larger or equal one of its kind; other lines must match exactly', () => {
    expect(permissionWithin('memory limit 512Mi', ['memory limit 1Gi'])).toBe(true);
    expect(permissionWithin('memory limit 2Gi', ['memory limit 1Gi'])).toBe(false);
    expect(permissionWithin('memory limit 512Mi', ['call timeout 1h'])).toBe(false);
    expect(permissionWithin('call timeout 30s', ['call timeout 30000ms'])).toBe(true);
    expect(permissionWithin('network a.example', ['network a.example'])).toBe(true);
    expect(permissionWithin('network b.example', ['network a.example'])).toBe(false);
  });

  it('crafted amounts and lines never read as a smaller limit or widen a rule', () => {
    for (const amount of ['1e3Gi', '0x10', '-1Gi', '0', '1Gi; network evil.example', 'Infinity', '1,5Gi']) {
      expect(limitAsk(`memory limit ${amount}`), amount).toBeUndefined();
      expect(permissionWithin(`memory limit ${amount}`, ['memory limit 4Gi']), amount).toBe(false);
    }
    expect(limitAsk('call timeout 1e3h')).toBeUndefined();
    // An amount too large for a double is refused by the limits of the rule, not read as small.
    expect(permissionWithin(`memory limit ${'9'.repeat(400)}`, ['memory limit 4Gi'])).toBe(false);
    expect(permissionWithin(`call timeout ${'9'.repeat(400)}`, ['call timeout 10m'])).toBe(false);
    // A limit spelled inside another permission is that permission, compared exactly.
    expect(permissionWithin('environment memory limit 1Gi', ['environment memory limit 4Gi'])).toBe(false);
    expect(permissionWithin('memory limit 1Gi', ['environment memory limit 4Gi', 'network memory limit 4Gi'])).toBe(false);
    expect(permissionWithin('network api.example memory limit 1Gi', ['memory limit 4Gi'])).toBe(false);
  });
});
