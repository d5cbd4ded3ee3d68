// Argument validation against a tool's input schema (ajv, draft 2020-12), with messages naming the field.
// A first pass for clear messages; the value conversion in values.ts checks everything again.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ErrorCode, WassetteError, isWassetteError } from '../errors.js';
import type { ToolDef } from './tools.js';
import { argsToWit, normalizeArgs } from './values.js';

// Generated schemas use type unions and open tuples on purpose; strict mode targets hand-written ones.
const ajv = new Ajv2020({ strict: false, allErrors: false });
const compiled = new WeakMap<ToolDef, ValidateFunction>();

/** The compiled validator for a tool; compiled on first use and cached for the ToolDef object. */
export function compileTool(tool: ToolDef): ValidateFunction {
  let fn = compiled.get(tool);
  if (!fn) {
    fn = ajv.compile(tool.inputSchema);
    compiled.set(tool, fn);
  }
  return fn;
}

/** `/person/tags/2` -> `person.tags[2]` (WIT names never start with a digit, so digits are indices). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^[0-9]+$/.test(s) ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
}

/** One human-readable line for an ajv error. */
export function formatAjvError(e: ErrorObject): string {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return path === ''
        ? `missing required argument '${String(p.missingProperty)}'`
        : `argument '${path}' is missing required field '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return path === '' ? `unknown argument '${String(p.additionalProperty)}'` : `argument '${path}' has unknown field '${String(p.additionalProperty)}'`;
    case 'type': {
      const types = Array.isArray(p.type) ? p.type : [p.type];
      const what = types.map((t) => (t === 'null' ? 'null' : String(t))).join(' or ');
      return path === '' ? `arguments must be ${what}` : `argument '${path}' must be ${what}`;
    }
    case 'enum':
      return `argument '${path}' must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `argument '${path}' must be a decimal integer string`;
    default:
      return `argument '${path}' ${e.message ?? 'is invalid'}`;
  }
}

/**
 * Checks agent arguments for a tool and returns them keyed by WIT parameter names (snake_case and
 * camelCase spellings accepted). Throws WassetteError(InvalidArgument) naming the first bad field.
 */
export function validateArgs(tool: ToolDef, args: unknown): Record<string, unknown> {
  const named = normalizeArgs(tool.target.function, args);
  const validate = compileTool(tool);
  if (validate(named)) return named;
  const errors = validate.errors ?? [];
  // Inside oneOf/anyOf ajv reports every branch's failure; the converter knows which case was meant.
  if (errors.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    try {
      argsToWit(tool.target.function, named);
    } catch (e) {
      if (isWassetteError(e, ErrorCode.InvalidArgument)) throw e;
    }
  }
  const first = errors[0];
  const message = first ? formatAjvError(first) : 'arguments do not match the input schema';
  throw new WassetteError(ErrorCode.InvalidArgument, message, { data: { path: first ? pointerToPath(first.instancePath) : '' } });
}
