// Test helper: transpiles the escape-probe fixture once and instantiates it in-process with createWasiImports.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { createWasiImports } from '../../src/sandbox/wasi-host.js';
import type { Denial, SandboxSpec } from '../../src/sandbox/spec.js';
import { denyAllSpec } from '../helpers/deny-all-spec.js';

export const probeWasm = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'fixtures', 'build', 'escape-probe.wasm');

type Fn = (...args: unknown[]) => unknown;
export interface Probe {
  exports: Record<string, Fn>;
  denials: Denial[];
  output: { stdout: string; stderr: string };
}

let transpiled: Promise<{ instantiate: Fn; getCoreModule(p: string): Promise<WebAssembly.Module> }> | undefined;

async function transpileOnce(): Promise<{ instantiate: Fn; getCoreModule(p: string): Promise<WebAssembly.Module> }> {
  const out = await transpileBytes(readFileSync(probeWasm), { name: 'probe', instantiation: { tag: 'async' } } as never);
  const dir = mkdtempSync(join(tmpdir(), 'wassette-probe-'));
  const files = (out as unknown as { files: Record<string, Uint8Array> | Map<string, Uint8Array> }).files;
  for (const [name, bytes] of files instanceof Map ? files : Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const mod = (await import(pathToFileURL(join(dir, 'probe.js')).href)) as { instantiate: Fn };
  const cache = new Map<string, Promise<WebAssembly.Module>>();
  const getCoreModule = (p: string): Promise<WebAssembly.Module> => {
    let m = cache.get(p);
    if (!m) cache.set(p, (m = WebAssembly.compile(readFileSync(join(dir, p)))));
    return m;
  };
  return { instantiate: mod.instantiate, getCoreModule };
}

/** A fresh probe instance sandboxed by `spec` (defaults: deny all). */
export async function probe(spec: Partial<SandboxSpec> = {}): Promise<Probe> {
  transpiled ??= transpileOnce();
  const { instantiate, getCoreModule } = await transpiled;
  const full: SandboxSpec = { ...denyAllSpec({ timeoutMs: 10_000, memoryBytes: 256 << 20, maxOutputBytes: 1 << 20 }), ...spec };
  const denials: Denial[] = [];
  const output = { stdout: '', stderr: '' };
  const decoder = new TextDecoder();
  const imports = createWasiImports(full, {
    onDenial: (d) => denials.push(d),
    onOutput: (stream, chunk) => {
      output[stream] += decoder.decode(chunk);
    },
  });
  const exports = (await instantiate(getCoreModule, imports)) as Record<string, Fn>;
  return { exports, denials, output };
}

/** Runs a probe export that returns result<T, string>: `{ok}` or `{err}` with the guest's error code. */
export async function attempt(p: Probe, name: string, ...args: unknown[]): Promise<{ ok?: unknown; err?: string }> {
  const fn = p.exports[name];
  if (!fn) throw new Error(`probe has no export ${name}`);
  try {
    return { ok: await fn(...args) };
  } catch (e) {
    const payload = (e as { payload?: unknown }).payload;
    return { err: String(payload ?? (e as Error).message ?? e) };
  }
}
