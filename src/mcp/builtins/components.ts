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
    handler: (core, args, ctx) => core.requestLoad(args.path, ctx.elicit, ctx.progress),
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
  defineBuiltin<{ ref: string; reason?: string }>({
    name: 'load_tool',
    description:
      "Add a tool you found with search_tools: `ref` is a result's ref (or any component ref). The user is shown the " +
      'source, signature, tools and the permissions it asks for, and decides; say in `reason` why you need it. ' +
      'Returns the new tool names, or a request_id to check with approval_status while the user decides.',
    inputSchema: {
      type: 'object',
      properties: {
        ref: { type: 'string', minLength: 1 },
        reason: { type: 'string', maxLength: 2000, nullable: true, description: 'Why the tool is needed, for the person deciding.' },
      },
      required: ['ref'],
      additionalProperties: false,
    },
    handler: (core, args, ctx) => core.requestTool(args.ref, args.reason, ctx),
  }),
  defineBuiltin<{ request_id: string }>({
    name: 'approval_status',
    description: 'Where an approval request you are waiting on stands: pending, approved (with the tools it added), denied or expired.',
    inputSchema: { type: 'object', properties: { request_id: { type: 'string', minLength: 1 } }, required: ['request_id'], additionalProperties: false },
    handler: (core, args) => core.approvalStatus(args.request_id),
  }),
];
