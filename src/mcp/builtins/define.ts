// What a built-in tool is: name, description, an input schema tied to the handler's argument type, and the handler.
// `defineBuiltin` checks arguments against the schema before the handler sees them, so handlers get typed values.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type JSONSchemaType } from 'ajv';
import type { CallContext } from '../../core/call-context.js';
import { exceptionResult, okResult } from '../../core/tool-result.js';
import type { Wassette } from '../../core/wassette.js';
import { ErrorCode, WassetteError } from '../../errors.js';

// The schemas are static and typed against their handlers (JSONSchemaType), and a test checks each against the JSON
// Schema meta-schema; not compiling the meta-schema in every server start saves ~40 ms of start-up.
const ajv = new Ajv({ allErrors: false, strict: false, validateSchema: false, meta: false });

export interface BuiltinSpec<A> {
  name: string;
  description: string;
  /** Ajv checks at compile time that the schema describes `A`. */
  inputSchema: JSONSchemaType<A>;
  handler(core: Wassette, args: A, ctx: CallContext): Promise<object>;
}

/** A built-in as the MCP layer lists and calls it. */
export interface Builtin {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown> & { type: 'object' };
  call(core: Wassette, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult>;
}

export function defineBuiltin<A>(spec: BuiltinSpec<A>): Builtin {
  const validate = ajv.compile<A>(spec.inputSchema);
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema as unknown as Builtin['inputSchema'],
    async call(core, args, ctx) {
      try {
        if (!validate(args)) {
          const e = validate.errors?.[0];
          const where = e?.instancePath ? `'${e.instancePath.slice(1).replace(/\//g, '.')}'` : 'arguments';
          throw new WassetteError(ErrorCode.InvalidArgument, `invalid arguments for ${spec.name}: ${where} ${e?.message ?? 'are invalid'}`);
        }
        return okResult({ ...(await spec.handler(core, args, ctx)) });
      } catch (e) {
        return exceptionResult(e);
      }
    },
  };
}

/** Schema pieces shared by several built-ins. */
export const componentIdSchema = { type: 'string', description: 'Id of a loaded component (see list_components).' } as const;

export const nonEmpty = { type: 'string', minLength: 1 } as const;
