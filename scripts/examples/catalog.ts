// The examples folder contract: example.json metadata, the files an example's build depends on, and its cache key.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ExampleMeta {
  name: string;
  language: string;
  version: string;
  description: string;
  works: boolean;
  /** What fails, when `works` is false. */
  why?: string;
}

export interface Example extends ExampleMeta {
  dir: string;
  buildScript: string;
  policy?: string;
  /** scripts/example-toolchains/<language>.sh when present. */
  toolchain?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Validates one example.json; throws with the file and field at fault. */
export function parseMeta(json: unknown, file: string): ExampleMeta {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const str = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || v.trim() === '') throw new Error(`${file}: "${k}" must be a non-empty string`);
    return v;
  };
  const name = str('name');
  if (!NAME.test(name)) throw new Error(`${file}: "name" must be lowercase letters, digits and dashes (it becomes the OCI repository)`);
  if (typeof o.works !== 'boolean') throw new Error(`${file}: "works" must be true or false`);
  const meta: ExampleMeta = { name, language: str('language'), version: str('version'), description: str('description'), works: o.works };
  if (o.why !== undefined) meta.why = str('why');
  if (!meta.works && meta.why === undefined) throw new Error(`${file}: an example that does not work must say why ("why")`);
  return meta;
}

/** Every examples/<name>/ holding an example.json, sorted by name; the folder name must equal `name`. */
export function listExamples(root: string): Example[] {
  const examplesDir = join(root, 'examples');
  if (!existsSync(examplesDir)) return [];
  const out: Example[] = [];
  for (const entry of readdirSync(examplesDir).sort()) {
    const dir = join(examplesDir, entry);
    const metaFile = join(dir, 'example.json');
    if (!statSync(dir).isDirectory() || !existsSync(metaFile)) continue;
    const meta = parseMeta(JSON.parse(readFileSync(metaFile, 'utf8')), relative(root, metaFile));
    if (meta.name !== entry) throw new Error(`${relative(root, metaFile)}: name "${meta.name}" differs from its folder "${entry}"`);
    const toolchain = join(root, 'scripts', 'example-toolchains', `${meta.language}.sh`);
    const policy = join(dir, 'policy.yaml');
    out.push({
      ...meta,
      dir,
      buildScript: join(dir, 'build.sh'),
      ...(existsSync(policy) ? { policy } : {}),
      ...(existsSync(toolchain) ? { toolchain } : {}),
    });
  }
  return out;
}

/** Files under `dir`, skipping build outputs and caches that do not change what gets built. */
export function sourceFiles(dir: string): string[] {
  const skip = new Set(['node_modules', 'target', 'build', '__pycache__', '.venv']);
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (skip.has(name)) return [];
      const p = join(dir, name);
      return statSync(p).isDirectory() ? sourceFiles(p) : [p];
    });
}

/**
 * The cache key of an example: its own files (by path relative to the example) plus its toolchain script and the
 * shared build scripts given, so a change to any of them rebuilds it.
 */
export function exampleHash(example: Example, shared: string[] = []): string {
  const h = createHash('sha256');
  for (const f of sourceFiles(example.dir)) h.update(`example:${relative(example.dir, f)}\0`).update(readFileSync(f));
  for (const f of [...(example.toolchain ? [example.toolchain] : []), ...shared].filter((p) => existsSync(p))) {
    h.update(`shared:${f.split('/').slice(-2).join('/')}\0`).update(readFileSync(f));
  }
  return h.digest('hex');
}
