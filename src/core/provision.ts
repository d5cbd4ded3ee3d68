// Provisions a headless server from a manifest at start: each listed component loaded for the user with its
// policy, its bytes checked against the pinned digest first. The first failure stops the start.
import { readFile } from 'node:fs/promises';
import { ErrorCode, WassetteError, errorMessage, isWassetteError } from '../errors.js';
import { parseManifest } from './manifest.js';
import type { ComponentSummary } from './summary.js';
import type { Wassette } from './wassette.js';

export async function provisionFromManifest(core: Wassette, file: string): Promise<ComponentSummary[]> {
  const text = await readFile(file, 'utf8').catch((e: unknown) => {
    throw new WassetteError(ErrorCode.NotFound, `cannot read manifest ${file}: ${errorMessage(e)}`);
  });
  const manifest = parseManifest(text, file);
  const loaded: ComponentSummary[] = [];
  for (const entry of manifest.components) {
    try {
      loaded.push(
        await core.load(entry.ref, {
          ...(entry.policy !== undefined ? { policyFile: entry.policy } : {}),
          ...(entry.digest !== undefined ? { expectDigest: entry.digest } : {}),
        }),
      );
    } catch (e) {
      const code = isWassetteError(e) ? e.code : ErrorCode.Internal;
      throw new WassetteError(code, `manifest ${file}: ${entry.ref}: ${errorMessage(e)}`, { cause: e });
    }
  }
  return loaded;
}
