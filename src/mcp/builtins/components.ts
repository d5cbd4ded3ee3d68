// Built-ins that load, unload and list components (Wassette-compatible names and shapes).
import { defineBuiltin, componentIdSchema, type Builtin } from './define.js';

export const componentBuiltins: readonly Builtin[] = [
  defineBuiltin<{ path: string }>({
    name: 'load_component',
    description:
      'Load a WebAssembly component and expose its exported functions as tools. `path` is oci://host/repo:tag, ' +
      'oci://host/repo@sha256:..., https://.../x.wasm[#sha256=<hex>], file:///abs/path.wasm or a local path. ' +
      'The component runs sandboxed with no file, network or environment access until granted.',
    inputSchema: { type: 'object', properties: { path: { type: 'string', minLength: 1 } }, required: ['path'], additionalProperties: false },
    // Fetched and verified before asking, so the user decides on the digest, signer, tools and policy.
    handler: (core, args, ctx) => core.requestLoad(args.path, ctx.elicit),
  }),
  defineBuiltin<{ id: string }>({
    name: 'unload_component',
    description: 'Unload a component; its tools disappear.',
    inputSchema: { type: 'object', properties: { id: componentIdSchema }, required: ['id'], additionalProperties: false },
    handler: async (core, args) => {
      await core.unload(args.id);
      return { status: 'unloaded', id: args.id };
    },
  }),
  defineBuiltin<Record<string, never>>({
    name: 'list_components',
    description: 'List loaded components with their source, digest, signature status and tool names.',
    inputSchema: { type: 'object', properties: {}, required: [], additionalProperties: false } as never,
    handler: async (core) => ({ components: core.list() }),
  }),
];
