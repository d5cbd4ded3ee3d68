// Per-component secrets in <home>/secrets/<component>.json (dir 0700, files 0600, atomic writes); values never logged.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, WassetteError } from '../errors.js';
import { normalizeEnvKey } from './grants.js';

const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** File name for a component id: the id itself when it is a plain name, else a reversible base64url form. */
export function secretFileName(componentId: string): string {
  if (componentId.length === 0) throw new WassetteError(ErrorCode.InvalidArgument, 'component id must not be empty');
  const stem = SAFE_ID.test(componentId) && !componentId.startsWith('b64-') ? componentId : `b64-${Buffer.from(componentId).toString('base64url')}`;
  return `${stem}.json`;
}

/**
 * Secrets are environment values a component sees for its granted keys (they win over the server
 * env). A key without an environment grant stays invisible to the component. Error messages name
 * keys only, never values.
 */
export class SecretStore {
  readonly dir: string;

  constructor(home: string) {
    this.dir = join(home, 'secrets');
  }

  private file(componentId: string): string {
    return join(this.dir, secretFileName(componentId));
  }

  private read(componentId: string): Record<string, string> {
    const path = this.file(componentId);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new WassetteError(ErrorCode.Store, `cannot read secrets file ${path}: ${(e as Error).message}`, { cause: e });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new WassetteError(ErrorCode.Store, `secrets file ${path} is not valid JSON; fix or delete it`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || Object.values(doc).some((v) => typeof v !== 'string')) {
      throw new WassetteError(ErrorCode.Store, `secrets file ${path} must be a JSON object of strings`);
    }
    return doc as Record<string, string>;
  }

  /** Writes the whole map via a temp file + fsync + rename, so readers see the old or the new file, never half. */
  private write(componentId: string, secrets: Record<string, string>): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const path = this.file(componentId);
    if (Object.keys(secrets).length === 0) {
      rmSync(path, { force: true });
      return;
    }
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(secrets, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new WassetteError(ErrorCode.Store, `cannot write secrets file ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Sets (or replaces) one or more secrets of a component. */
  set(componentId: string, values: Record<string, string>): void {
    const current = this.read(componentId);
    for (const [key, value] of Object.entries(values)) {
      normalizeEnvKey(key);
      if (typeof value !== 'string') throw new WassetteError(ErrorCode.InvalidArgument, `secret ${key}: value must be a string`);
      current[key] = value;
    }
    this.write(componentId, current);
  }

  /** Secret keys, sorted; never the values. */
  list(componentId: string): string[] {
    return Object.keys(this.read(componentId)).sort();
  }

  /** Deletes the given keys (all keys when none are given); returns the keys that existed. */
  delete(componentId: string, keys?: readonly string[]): string[] {
    const current = this.read(componentId);
    const removed = (keys ?? Object.keys(current)).filter((k) => Object.hasOwn(current, k));
    for (const k of removed) delete current[k];
    if (removed.length > 0) this.write(componentId, current);
    return removed.sort();
  }

  /** Every secret of a component, for building its SandboxSpec. Keep the result out of logs. */
  getAll(componentId: string): Record<string, string> {
    return this.read(componentId);
  }
}
