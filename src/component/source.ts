// Where a component comes from: parses the `path` of load_component into a typed source reference.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, WassetteError } from '../errors.js';

export type SourceRef = { kind: 'file'; path: string } | { kind: 'oci'; ref: string } | { kind: 'https'; url: string; sha256?: string };

const SHA256_PIN = /^sha256=([0-9a-f]{64})$/;

/**
 * Parses `oci://…`, `https://…[#sha256=<hex>]`, `http://…` (loopback only, checked when fetched),
 * `file://…` or a plain path (relative to `cwd`).
 */
export function parseSource(input: string, cwd: string = process.cwd()): SourceRef {
  const text = input.trim();
  if (text.length === 0) throw new WassetteError(ErrorCode.InvalidReference, 'component path is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', path: isAbsolute(text) ? text : resolve(cwd, text) };
  switch (scheme) {
    case 'file':
      try {
        return { kind: 'file', path: fileURLToPath(text) };
      } catch (e) {
        throw new WassetteError(ErrorCode.InvalidReference, `"${text}" is not a valid file:// URI (use file:///absolute/path)`, { cause: e });
      }
    case 'oci':
      return { kind: 'oci', ref: text };
    case 'https':
    case 'http': {
      const url = new URL(text);
      const pin = url.hash.length > 1 ? SHA256_PIN.exec(url.hash.slice(1)) : null;
      if (url.hash.length > 1 && !pin) {
        throw new WassetteError(ErrorCode.InvalidReference, `"${url.hash}" is not a digest pin; use #sha256=<64 hex digits>`);
      }
      url.hash = '';
      return pin?.[1] ? { kind: 'https', url: url.toString(), sha256: pin[1] } : { kind: 'https', url: url.toString() };
    }
    default:
      throw new WassetteError(ErrorCode.InvalidReference, `unsupported scheme "${scheme}://" in "${text}"; use oci://, https://, file:// or a path`);
  }
}

/** A readable id for a component from its source: the file stem or the last repository segment. */
export function baseIdFor(source: SourceRef): string {
  const raw =
    source.kind === 'file'
      ? (source.path.split('/').pop() ?? 'component')
      : source.kind === 'https'
        ? (new URL(source.url).pathname.split('/').pop() ?? 'component')
        : source.ref
            .replace(/^oci:\/\//, '')
            .split('@')[0]!
            .split('/')
            .pop()!
            .split(':')[0]!;
  const stem = raw
    .replace(/\.wasm$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stem.length > 0 ? stem.slice(0, 40) : 'component';
}
