import { describe, expect, it } from 'vitest';
import { createCliImports } from '../../src/sandbox/stdio-guard.js';
import { isWassetteError } from '../../src/errors.js';
import { io } from '@bytecodealliance/preview2-shim';

type AnyFn = (...a: unknown[]) => unknown;
const get = (o: Record<string, unknown>, key: string, fn: string): AnyFn => (o[key] as Record<string, AnyFn>)[fn]!;

describe('createCliImports', () => {
  const chunks: [string, string][] = [];
  const cli = createCliImports({ K: 'v' }, (s, c) => chunks.push([s, new TextDecoder().decode(c)]));

  it('sends stdout/stderr writes to the hook as copies', () => {
    const out = get(cli, 'wasi:cli/stdout', 'getStdout')() as Record<string, AnyFn>;
    const buf = new TextEncoder().encode('abc');
    out.blockingWriteAndFlush!(buf);
    buf[0] = 120;
    out.write!(new TextEncoder().encode('d'));
    (get(cli, 'wasi:cli/stderr', 'getStderr')() as Record<string, AnyFn>).write!(new TextEncoder().encode('e'));
    expect(chunks).toEqual([
      ['stdout', 'abc'],
      ['stdout', 'd'],
      ['stderr', 'e'],
    ]);
    expect(out.checkWrite!()).toBeGreaterThan(0n);
  });

  it("passes jco's instanceof checks for wasi:io streams", () => {
    const streams = (io as unknown as { streams: { InputStream: AnyFn; OutputStream: AnyFn } }).streams;
    expect(get(cli, 'wasi:cli/stdout', 'getStdout')()).toBeInstanceOf(streams.OutputStream);
    expect(get(cli, 'wasi:cli/stdin', 'getStdin')()).toBeInstanceOf(streams.InputStream);
  });

  it('gives an empty, closed stdin', () => {
    const stdin = get(cli, 'wasi:cli/stdin', 'getStdin')() as Record<string, AnyFn>;
    expect(() => stdin.blockingRead!(10n)).toThrow(expect.objectContaining({ tag: 'closed' }));
  });

  it('exposes exactly the given env, no arguments, no cwd, no terminal', () => {
    expect(get(cli, 'wasi:cli/environment', 'getEnvironment')()).toEqual([['K', 'v']]);
    expect(get(cli, 'wasi:cli/environment', 'getArguments')()).toEqual([]);
    expect(get(cli, 'wasi:cli/environment', 'initialCwd')()).toBeUndefined();
    expect(get(cli, 'wasi:cli/terminal-stdout', 'getTerminalStdout')()).toBeUndefined();
  });

  it('turns exit into a thrown error instead of ending the process', () => {
    let caught: unknown;
    try {
      get(cli, 'wasi:cli/exit', 'exit')({ tag: 'err' });
    } catch (e) {
      caught = e;
    }
    expect(isWassetteError(caught, 'trap')).toBe(true);
    expect((caught as { data: unknown }).data).toEqual({ exitCode: 1 });
    expect(() => get(cli, 'wasi:cli/exit', 'exitWithCode')(3)).toThrow(/status 3/);
  });
});
