// Entry point of the pure WIT decoder: component binary bytes -> ComponentDescription (types, docs, WIT text).
import { ErrorCode, WassetteError, isWassetteError } from '../errors.js';
import { describeScope } from './decode/describe.js';
import { Scope } from './decode/model.js';
import { ByteReader } from './decode/reader.js';
import { type CustomSection, readComponent, readPreamble } from './decode/sections.js';
import { PACKAGE_DOCS_SECTION, applyPackageDocs, parsePackageDocs } from './package-docs.js';
import { printWit } from './wit-print.js';
import type { ComponentDescription } from './wit-types.js';

/**
 * Decodes the exported functions (world level and inside exported interfaces, with full WIT types), the
 * imported interface names, and doc comments from a `package-docs` custom section.
 *
 * Only the component's own sections are parsed; embedded core modules are skipped by their section length,
 * so cost grows with the number of type definitions, not with the size of the code.
 *
 * Throws `WassetteError(ErrorCode.InvalidComponent)` for anything that is not a well-formed component.
 * Functions whose types use `stream`, `future`, `error-context` or `map` are left out (the shared model
 * cannot express them).
 */
export function decodeComponent(bytes: Uint8Array): ComponentDescription {
  try {
    const r = new ByteReader(bytes);
    readPreamble(r);
    const customs: CustomSection[] = [];
    const scope = readComponent(r, new Scope(), customs);
    let desc = describeScope(scope);
    const docsSection = customs.find((c) => c.name === PACKAGE_DOCS_SECTION);
    const docs = docsSection ? parsePackageDocs(docsSection.data) : undefined;
    if (docs) desc = applyPackageDocs(desc, docs);
    return { ...desc, wit: printWit(desc) };
  } catch (e) {
    if (isWassetteError(e)) throw e;
    // A decoder bug must still surface as a clear, typed error rather than a raw RangeError/TypeError.
    throw new WassetteError(ErrorCode.InvalidComponent, `invalid component: ${(e as Error).message}`, { cause: e });
  }
}
