// The built-in MCP tools: names, descriptions and argument schemas (Wassette-compatible shapes).

export interface BuiltinToolDef {
  name: string;
  description: string;
  inputSchema: Record<string, unknown> & { type: 'object' };
}

const componentId = { type: 'string', description: 'Id of a loaded component (see list_components).' } as const;

function obj(properties: Record<string, unknown>, required: string[]): BuiltinToolDef['inputSchema'] {
  return { type: 'object', properties, required, additionalProperties: false };
}

function details(properties: Record<string, unknown>, required: string[]): BuiltinToolDef["inputSchema"] {
  return obj({ component_id: componentId, details: obj(properties, required) }, ['component_id', 'details']);
}

const storageDetails = {
  uri: { type: 'string', pattern: '^fs://', description: 'fs://<absolute path> of a file or directory.' },
  access: { type: 'array', items: { enum: ['read', 'write'] }, minItems: 1, uniqueItems: true },
};

export const BUILTIN_TOOLS: readonly BuiltinToolDef[] = [
  {
    name: 'load_component',
    description:
      'Load a WebAssembly component and expose its exported functions as tools. `path` is oci://host/repo:tag, ' +
      'oci://host/repo@sha256:..., https://.../x.wasm[#sha256=<hex>], file:///abs/path.wasm or a local path. ' +
      'The component runs sandboxed with no file, network or environment access until granted.',
    inputSchema: obj({ path: { type: 'string', minLength: 1 } }, ['path']),
  },
  {
    name: 'unload_component',
    description: 'Unload a component; its tools disappear.',
    inputSchema: obj({ id: componentId }, ['id']),
  },
  {
    name: 'list_components',
    description: 'List loaded components with their source, digest, signature status and tool names.',
    inputSchema: obj({}, []),
  },
  {
    name: 'get_policy',
    description: "Show a component's effective policy: what files, hosts and environment variables it may use, and its limits.",
    inputSchema: obj({ component_id: componentId }, ['component_id']),
  },
  {
    name: 'grant_storage_permission',
    description: 'Allow a component to read and/or write a host path (the user may be asked to approve).',
    inputSchema: details(storageDetails, ['uri', 'access']),
  },
  {
    name: 'grant_network_permission',
    description: 'Allow a component to reach a host (example.com, *.example.com, host:port); the user may be asked to approve.',
    inputSchema: details({ host: { type: 'string', minLength: 1 } }, ['host']),
  },
  {
    name: 'grant_environment_variable_permission',
    description: 'Allow a component to read an environment variable (the user may be asked to approve).',
    inputSchema: details({ key: { type: 'string', minLength: 1 } }, ['key']),
  },
  {
    name: 'revoke_storage_permission',
    description: 'Remove a storage grant from a component.',
    inputSchema: details({ uri: storageDetails.uri }, ['uri']),
  },
  {
    name: 'revoke_network_permission',
    description: 'Remove a network grant from a component.',
    inputSchema: details({ host: { type: 'string', minLength: 1 } }, ['host']),
  },
  {
    name: 'revoke_environment_variable_permission',
    description: 'Remove an environment-variable grant from a component.',
    inputSchema: details({ key: { type: 'string', minLength: 1 } }, ['key']),
  },
  {
    name: 'reset_permission',
    description: 'Remove every grant of a component, back to its starting policy.',
    inputSchema: obj({ component_id: componentId }, ['component_id']),
  },
];

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTIN_TOOLS.map((t) => t.name));
