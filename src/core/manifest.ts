// The provisioning manifest of `wassette serve --manifest <file>` (pure): which components a headless server
// loads at start, each pinned to a digest, with an optional starting policy file beside the manifest.
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ErrorCode, WassetteError } from '../errors.js';

export interface ManifestEntry {
  /** What `load_component` takes: oci://…, https://…, file://… or a path (resolved against the manifest's folder). */
  ref: string;
  /** `sha256:<64 hex>` the component's bytes must hash to; absent only when the ref itself is pinned. */
  digest?: string;
  /** Starting policy file (absolute, resolved against the manifest's folder). */
  policy?: string;
}

export interface Manifest {
  components: ManifestEntry[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const KEYS = new Set(['ref', 'digest', 'policy']);

function fail(file: string, message: string): never {
  throw new WassetteError(ErrorCode.InvalidConfig, `manifest ${file}: ${message}`);
}

/** A ref whose content is fixed by the ref itself: an OCI reference by digest or an https URL with #sha256=. */
export function refIsPinned(ref: string): boolean {
  return (/^oci:\/\//.test(ref) && /@sha256:[0-9a-f]{64}$/.test(ref)) || (/^https:\/\//.test(ref) && /#sha256=[0-9a-f]{64}$/.test(ref));
}

function localRef(ref: string, dir: string): string {
  if (/^(oci|https|http|file):/.test(ref)) return ref;
  return isAbsolute(ref) ? ref : resolve(dir, ref);
}

/**
 * Parses a manifest: `components: [{ref, digest, policy}]` (YAML or JSON). Every entry must be pinned (a digest, or
 * a ref that pins itself); unknown keys and duplicate refs are refused, so a typo never loads something unpinned.
 */
export function parseManifest(text: string, file: string): Manifest {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    fail(file, `not valid YAML: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, 'expected a mapping with `components: [...]`');
  const extra = Object.keys(doc).filter((k) => k !== 'components' && k !== 'version');
  if (extra.length > 0) fail(file, `unknown key "${extra[0]}" (known: version, components)`);
  const { version, components } = doc as { version?: unknown; components?: unknown };
  if (version !== undefined && version !== 1 && version !== '1') fail(file, `version ${String(version)} is not supported (use 1)`);
  if (!Array.isArray(components)) fail(file, '`components` must be a list of {ref, digest, policy}');
  const dir = dirname(resolve(file));
  const seen = new Set<string>();
  const entries = components.map((raw, i): ManifestEntry => {
    const where = `components[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, `${where}: expected {ref, digest, policy}`);
    const unknown = Object.keys(raw).find((k) => !KEYS.has(k));
    if (unknown !== undefined) fail(file, `${where}: unknown key "${unknown}" (known: ref, digest, policy)`);
    const { ref, digest, policy } = raw as Record<string, unknown>;
    if (typeof ref !== 'string' || ref.trim() === '') fail(file, `${where}: \`ref\` must be a non-empty string`);
    if (digest !== undefined && (typeof digest !== 'string' || !DIGEST.test(digest))) fail(file, `${where}: \`digest\` must be sha256:<64 lower-case hex>`);
    if (digest === undefined && !refIsPinned(ref)) {
      fail(file, `${where} (${ref}): no \`digest\`; a provisioned component must be pinned (digest: sha256:…, or a ref @sha256:… / #sha256=…)`);
    }
    if (policy !== undefined && (typeof policy !== 'string' || policy === '')) fail(file, `${where}: \`policy\` must be a file path`);
    const resolved = localRef(ref, dir);
    if (seen.has(resolved)) fail(file, `${where}: ${ref} is listed twice`);
    seen.add(resolved);
    return {
      ref: resolved,
      ...(digest !== undefined ? { digest: digest as string } : {}),
      ...(policy !== undefined ? { policy: isAbsolute(policy as string) ? (policy as string) : resolve(dir, policy as string) } : {}),
    };
  });
  return { components: entries };
}
