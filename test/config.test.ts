import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'wassette-config-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({ WASSETTE_HOME: home, ...extra });

describe('require_signatures', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('WASSETTE_REQUIRE_SIGNATURES=%s is %s', (value, expected) => {
    expect(loadConfig(env({ WASSETTE_REQUIRE_SIGNATURES: value })).requireSignatures).toBe(expected);
  });

  it.each(['on', 'ture', 'enabled'])('refuses %s instead of silently turning the check off', (value) => {
    expect(() => loadConfig(env({ WASSETTE_REQUIRE_SIGNATURES: value }))).toThrow(/require_signatures: .* must be true or false/);
  });

  it('takes a YAML boolean from the config file', () => {
    writeFileSync(join(home, 'config.yaml'), 'require_signatures: true\n');
    expect(loadConfig(env()).requireSignatures).toBe(true);
  });
});

describe('call_timeout_ms', () => {
  it('refuses limits a timer cannot hold (they would fire at once)', () => {
    expect(() => loadConfig(env({ WASSETTE_CALL_TIMEOUT_MS: '3000000000' }))).toThrow(/call_timeout_ms: .*largest supported/);
    const longest = String(2 ** 31 - 1);
    expect(loadConfig(env({ WASSETTE_CALL_TIMEOUT_MS: longest, WASSETTE_MAX_CALL_TIMEOUT_MS: longest })).callTimeoutMs).toBe(2 ** 31 - 1);
  });
});

describe('limit ceilings', () => {
  it('default to 4Gi and ten minutes, and a default limit above its ceiling is a config error naming both', () => {
    const c = loadConfig(env());
    expect({ memory: c.maxMemoryLimitBytes, timeout: c.maxCallTimeoutMs }).toEqual({ memory: 4 * 1024 ** 3, timeout: 600_000 });
    expect(loadConfig(env({ WASSETTE_MAX_MEMORY_LIMIT: '1Gi' })).maxMemoryLimitBytes).toBe(1024 ** 3);
    expect(() => loadConfig(env({ WASSETTE_MEMORY_LIMIT: '8Gi' }))).toThrow(/memory_limit .* is above max_memory_limit/);
    expect(() => loadConfig(env({ WASSETTE_CALL_TIMEOUT_MS: '700000' }))).toThrow(/call_timeout_ms \(700000\) is above max_call_timeout_ms \(600000\)/);
    expect(() => loadConfig(env({ WASSETTE_MAX_MEMORY_LIMIT: 'huge' }))).toThrow(/max_memory_limit: "huge" is not a memory quantity/);
  });

  it('are read from the config file too (the error telling the operator to raise them names the file keys)', () => {
    writeFileSync(join(home, 'config.yaml'), 'max_memory_limit: 1Gi\nmax_call_timeout_ms: 120000\nmemory_limit: 256Mi\ncall_timeout_ms: 60000\n');
    const c = loadConfig(env());
    expect({ memory: c.maxMemoryLimitBytes, timeout: c.maxCallTimeoutMs }).toEqual({ memory: 1024 ** 3, timeout: 120_000 });
    writeFileSync(join(home, 'config.yaml'), 'max_memory_limit: 128Mi\n');
    expect(() => loadConfig(env())).toThrow(/memory_limit .* is above max_memory_limit/);
  });
});

describe('transpile_timeout_ms', () => {
  it('defaults to two minutes, is read from the environment or the file, and must be a positive delay', () => {
    expect(loadConfig(env()).transpileTimeoutMs).toBe(120_000);
    expect(loadConfig(env({ WASSETTE_TRANSPILE_TIMEOUT_MS: '5000' })).transpileTimeoutMs).toBe(5000);
    writeFileSync(join(home, 'config.yaml'), 'transpile_timeout_ms: 7000\n');
    expect(loadConfig(env()).transpileTimeoutMs).toBe(7000);
    expect(() => loadConfig(env({ WASSETTE_TRANSPILE_TIMEOUT_MS: '0' }))).toThrow(/transpile_timeout_ms: "0" is not a positive integer/);
  });
});

describe('idle_stop_ms', () => {
  it('defaults to ten minutes, takes 0 for never, and refuses what is not a delay', () => {
    expect(loadConfig(env()).idleStopMs).toBe(600_000);
    expect(loadConfig(env({ WASSETTE_IDLE_STOP_MS: '0' })).idleStopMs).toBe(0);
    expect(loadConfig(env({ WASSETTE_IDLE_STOP_MS: '2500' })).idleStopMs).toBe(2500);
    expect(() => loadConfig(env({ WASSETTE_IDLE_STOP_MS: '-1' }))).toThrow(/idle_stop_ms: "-1" is not a positive integer/);
    expect(() => loadConfig(env({ WASSETTE_IDLE_STOP_MS: '3000000000' }))).toThrow(/idle_stop_ms: .*largest supported/);
  });
});

describe('config file', () => {
  it.each([
    ['approval: [1\n', /^config file .*config\.yaml: [^\n]+$/],
    ['aproval: auto\n', /unknown setting "aproval"/],
    ['trust:\n  scope: "*"\n', /trust must be a list/],
    ['audit:\n  max_row: 5\n', /audit: unknown setting "max_row"/],
    ['audit: 5\n', /audit: expected a mapping/],
  ])('%j is refused with one line', (yaml, message) => {
    writeFileSync(join(home, 'config.yaml'), yaml);
    let err: Error | undefined;
    try {
      loadConfig(env());
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain('\n');
  });

  it('reads every documented setting', () => {
    writeFileSync(
      join(home, 'config.yaml'),
      [
        'approval: auto',
        'call_timeout_ms: 5000',
        'idle_stop_ms: 0',
        'memory_limit: 64Mi',
        'max_output_bytes: 1000',
        'insecure_registries: [reg:5000]',
        'require_signatures: false',
        'trust: []',
        'disabled_builtins: [load_component]',
        'log_level: warn',
        'max_message_bytes: 2048',
        'audit:',
        '  max_rows: 500',
        '  max_age_days: 7',
      ].join('\n'),
    );
    expect(loadConfig(env())).toMatchObject({
      approval: 'auto',
      callTimeoutMs: 5000,
      idleStopMs: 0,
      memoryLimitBytes: 64 * 1024 ** 2,
      maxOutputBytes: 1000,
      insecureRegistries: ['reg:5000'],
      requireSignatures: false,
      trust: [],
      disabledBuiltins: ['load_component'],
      logLevel: 'warn',
      maxMessageBytes: 2048,
      auditMaxRows: 500,
      auditMaxAgeDays: 7,
    });
  });
});

describe('stdio and audit bounds', () => {
  it('come from the environment, with generous defaults', () => {
    expect(loadConfig(env())).toMatchObject({ maxMessageBytes: 16 * 1024 * 1024, auditMaxRows: 100_000, auditMaxAgeDays: 30 });
    expect(loadConfig(env({ WASSETTE_MAX_MESSAGE_BYTES: '1024', WASSETTE_AUDIT_MAX_ROWS: '10', WASSETTE_AUDIT_MAX_AGE_DAYS: '2' }))).toMatchObject({
      maxMessageBytes: 1024,
      auditMaxRows: 10,
      auditMaxAgeDays: 2,
    });
    expect(() => loadConfig(env({ WASSETTE_AUDIT_MAX_ROWS: '0' }))).toThrow(/audit.max_rows/);
  });
});

describe('http_session_idle_ms', () => {
  it('defaults to 30 minutes and takes the env over the file', () => {
    expect(loadConfig(env()).httpSessionIdleMs).toBe(1_800_000);
    writeFileSync(join(home, 'config.yaml'), 'http_session_idle_ms: 60000\n');
    expect(loadConfig(env()).httpSessionIdleMs).toBe(60_000);
    expect(loadConfig(env({ WASSETTE_HTTP_SESSION_IDLE_MS: '1500' })).httpSessionIdleMs).toBe(1500);
  });

  it.each(['0', '999', '86400001', '-5', '1.5', 'never'])('refuses %s (1 s to 24 h, no "never")', (value) => {
    expect(() => loadConfig(env({ WASSETTE_HTTP_SESSION_IDLE_MS: value }))).toThrow(/http_session_idle_ms/);
  });
});

describe('http_event_store_bytes', () => {
  const MiB = 1024 * 1024;
  it('defaults to 3x max_output_bytes + 1 MiB (one largest result as sent) and keeps the 64 MiB total', () => {
    expect(loadConfig(env())).toMatchObject({ maxOutputBytes: 4 * MiB, httpEventStoreBytes: 13 * MiB, httpEventStoreTotalBytes: 64 * MiB });
    expect(loadConfig(env({ WASSETTE_MAX_OUTPUT_BYTES: String(8 * MiB) }))).toMatchObject({
      httpEventStoreBytes: 25 * MiB,
      httpEventStoreTotalBytes: 64 * MiB,
    });
    // The total grows only when one result would not fit in 64 MiB.
    expect(loadConfig(env({ WASSETTE_MAX_OUTPUT_BYTES: String(32 * MiB) }))).toMatchObject({
      httpEventStoreBytes: 97 * MiB,
      httpEventStoreTotalBytes: 97 * MiB,
    });
  });

  it('takes explicit caps as given', () => {
    expect(loadConfig(env({ WASSETTE_HTTP_EVENT_STORE_BYTES: '2Mi', WASSETTE_HTTP_EVENT_STORE_TOTAL_BYTES: '32Mi' }))).toMatchObject({
      httpEventStoreBytes: 2 * MiB,
      httpEventStoreTotalBytes: 32 * MiB,
    });
  });
});
