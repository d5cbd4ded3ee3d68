// `npm run examples` over a temporary examples/ tree: the folder contract, the hash cache, failures and skips.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/build-examples.js';
import { exampleHash, listExamples, parseMeta } from '../../scripts/examples/catalog.js';

let root: string;
let stderr: string[];

function example(name: string, meta: Record<string, unknown>, buildSh: string): void {
  const dir = join(root, 'examples', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'example.json'), JSON.stringify({ name, language: 'shell', version: '1.0.0', description: `the ${name} example`, ...meta }));
  writeFileSync(join(dir, 'build.sh'), `#!/usr/bin/env bash\nset -e\n${buildSh}\n`);
  chmodSync(join(dir, 'build.sh'), 0o755);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wassette-examples-build-'));
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr.push(String(s));
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('example.json', () => {
  it('accepts the contract and refuses what breaks it', () => {
    expect(parseMeta({ name: 'time', language: 'javascript', version: '0.1.0', description: 'd', works: true }, 'f')).toMatchObject({
      name: 'time',
      works: true,
    });
    expect(() => parseMeta({ name: 'Time', language: 'js', version: '1', description: 'd', works: true }, 'f')).toThrow(/lowercase/);
    expect(() => parseMeta({ name: 'x', language: 'js', version: '1', description: 'd' }, 'f')).toThrow(/"works"/);
    expect(() => parseMeta({ name: 'x', language: 'js', version: '1', description: 'd', works: false }, 'f')).toThrow(/must say why/);
  });

  it('requires the folder name to be the example name', () => {
    example('one', { name: 'two', works: true }, 'true');
    expect(() => listExamples(root)).toThrow(/differs from its folder "one"/);
  });
});

describe('build-examples', () => {
  it('builds working examples, caches by hash, skips the ones that do not work, rebuilds on change or --force', async () => {
    example('ok', { works: true }, 'printf "\\0asm-ok" > "$1"; echo run >> "$(dirname "$0")/../runs.log"');
    example('broken', { works: false, why: 'no compiler for this language here' }, 'exit 1');
    const runs = () =>
      readFileSync(join(root, 'examples', 'runs.log'), 'utf8')
        .split('\n')
        .filter(Boolean).length;

    expect(await main([], root)).toBe(0);
    expect(readFileSync(join(root, 'examples', 'build', 'ok.wasm'), 'utf8')).toBe('\0asm-ok');
    expect(readFileSync(join(root, 'examples', 'build', 'ok.hash'), 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    const ok = listExamples(root).find((e) => e.name === 'ok')!;
    expect(exampleHash(ok)).not.toBe(exampleHash({ ...ok, dir: join(root, 'examples', 'broken') }));
    expect(existsSync(join(root, 'examples', 'build', 'broken.wasm'))).toBe(false);
    expect(stderr.join('')).toMatch(/skipped broken \(shell\): does not work here: no compiler/);

    expect(await main([], root)).toBe(0);
    expect(runs()).toBe(1);
    expect(stderr.join('')).toMatch(/cached ok/);

    writeFileSync(join(root, 'examples', 'ok', 'source.txt'), 'changed');
    expect(await main([], root)).toBe(0);
    expect(runs()).toBe(2);
    expect(await main(['--force', '--only', 'ok'], root)).toBe(0);
    expect(runs()).toBe(3);
  });

  it("runs the example's toolchain installer before a build, never on a cache hit, and a failing one fails the example", async () => {
    mkdirSync(join(root, 'scripts', 'example-toolchains'), { recursive: true });
    const toolchain = join(root, 'scripts', 'example-toolchains', 'shell.sh');
    const log = join(root, 'order.log');
    writeFileSync(toolchain, `echo toolchain >> "${log}"\n`);
    example('ok', { works: true }, `echo build >> "${log}"; printf "\\0asm" > "$1"`);
    expect(await main([], root)).toBe(0);
    expect(await main([], root)).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('toolchain\nbuild\n');

    // The toolchain is part of the cache key: changing it rebuilds, and when it fails build.sh never runs.
    writeFileSync(toolchain, 'echo "shellc 9 is not installed" >&2; exit 4\n');
    expect(await main([], root)).toBe(1);
    expect(stderr.join('')).toMatch(/FAILED ok \(shell\): toolchain example-toolchains\/shell.sh exited with 4:\n\s+shellc 9 is not installed/);
    expect(readFileSync(log, 'utf8')).toBe('toolchain\nbuild\n');
  });

  it('reports a failing build with its output and exits non-zero; asking for a non-working example by name fails too', async () => {
    example('bad', { works: true }, 'echo "error: missing toolchain xyz" >&2; exit 3');
    example('good', { works: true }, 'printf "\\0asm" > "$1"');
    example('never', { works: false, why: 'cannot link' }, 'exit 1');
    expect(await main([], root)).toBe(1);
    const out = stderr.join('');
    expect(out).toMatch(/FAILED bad \(shell\): build.sh exited with 3:\n\s+error: missing toolchain xyz/);
    expect(out).toMatch(/built good/);
    expect(out).toMatch(/1 example\(s\) failed: bad/);
    expect(existsSync(join(root, 'examples', 'build', 'bad.wasm'))).toBe(false);

    expect(await main(['--only', 'never'], root)).toBe(1);
    await expect(main(['--only', 'nope'], root)).rejects.toThrow(/no example named "nope"/);
    await expect(main(['--publish', 'http://x/y'], root)).rejects.toThrow(/oci:\/\/host/);
    await expect(main(['--key', 'k.pem'], root)).rejects.toThrow(/give --publish too/);
  });
});
