// Turns fetched bytes into a loaded component: decode WIT, check imports, build tools, validate the
// starting policy, transpile (cached by digest). Pure of registration: the facade decides what to keep.
import { decodeComponent } from '../component/decode-component.js';
import { componentTools } from '../component/tools.js';
import { ErrorCode, WassetteError, errorMessage, isWassetteError } from '../errors.js';
import type { ComponentRuntime } from '../runtime/component-runtime.js';
import { checkImports } from '../runtime/host-imports.js';
import { parsePolicy, type Policy } from '../sandbox/policy.js';
import type { LoadedComponent } from './catalog.js';
import type { FetchedComponent } from './fetch-component.js';

export interface PreparedComponent {
  component: LoadedComponent;
  policy?: Policy;
  warnings: string[];
}

/** Decodes and checks a component; throws InvalidComponent / UnsupportedImport / InvalidPolicy. */
export function describeFetched(id: string, fetched: FetchedComponent, now = Date.now()): PreparedComponent {
  const description = decodeComponent(fetched.bytes);
  checkImports(description.imports);
  const tools = componentTools(description);
  const skipped = (description.skipped ?? []).map((f) => `${f.name} (${f.reason})`);
  if (tools.length === 0) {
    const why = skipped.length > 0 ? `its exported functions use types without a JSON mapping: ${skipped.join(', ')}` : 'it exports no functions';
    throw new WassetteError(ErrorCode.InvalidComponent, `the component would offer no tools: ${why}`);
  }
  let policy: Policy | undefined;
  if (fetched.policyYaml !== undefined) policy = parsePolicy(fetched.policyYaml, fetched.policyOrigin ?? 'policy.yaml');
  const warnings = [...fetched.warnings];
  if (skipped.length > 0) warnings.push(`not offered as tools (types without a JSON mapping): ${skipped.join(', ')}`);
  if (fetched.verification?.status === 'failed') warnings.push(`signature check failed: ${fetched.verification.reason}`);
  return {
    component: {
      id,
      source: fetched.source,
      digest: fetched.digest,
      description,
      tools,
      ...(fetched.verification ? { verification: fetched.verification } : {}),
      loadedAt: now,
    },
    ...(policy ? { policy } : {}),
    warnings,
  };
}

/**
 * Transpiles once per digest; a component jco cannot translate is an invalid component, not a crash. `file`: where
 * the blob cache holds the same bytes (the transpile process reads them from there).
 */
export async function transpile(runtime: ComponentRuntime, digest: string, bytes: Uint8Array, file?: string): Promise<void> {
  try {
    await runtime.prepare(digest, bytes, file);
  } catch (e) {
    if (isWassetteError(e)) throw e;
    throw new WassetteError(ErrorCode.InvalidComponent, `cannot translate the component for the JS runtime: ${errorMessage(e)}`, { cause: e });
  }
}

/** A readable, unused id: the base, else base-2, base-3, ... */
export function chooseId(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}
