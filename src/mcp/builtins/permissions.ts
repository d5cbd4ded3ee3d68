// Built-ins that show and change what a component may touch. Agent grants pass the one approval flow; revokes and
// resets are always allowed (they only remove rights).
import type { JSONSchemaType } from 'ajv';
import type { GrantKind } from '../../sandbox/grants.js';
import { componentIdSchema, defineBuiltin, nonEmpty, type Builtin } from './define.js';

type Access = 'read' | 'write';
interface Target<D> {
  component_id: string;
  details: D;
}

const uri = { type: 'string', pattern: '^fs://', description: 'fs://<absolute path> of a file or directory.' } as const;
const access = { type: 'array', items: { type: 'string', enum: ['read', 'write'] }, minItems: 1, uniqueItems: true } as const;

/** `{component_id, details}` around a details schema (checked against `D` where it is written). */
function target<D>(details: JSONSchemaType<D>): JSONSchemaType<Target<D>> {
  return {
    type: 'object',
    properties: { component_id: componentIdSchema, details },
    required: ['component_id', 'details'],
    additionalProperties: false,
  } as unknown as JSONSchemaType<Target<D>>;
}

function details<D>(properties: JSONSchemaType<D>['properties'], required: (keyof D & string)[]): JSONSchemaType<D> {
  return { type: 'object', properties, required, additionalProperties: false } as JSONSchemaType<D>;
}

const onlyId = { type: 'object', properties: { component_id: componentIdSchema }, required: ['component_id'], additionalProperties: false } as const;

function grant<D>(kind: GrantKind, name: string, description: string, schema: JSONSchemaType<Target<D>>): Builtin {
  return defineBuiltin<Target<D>>({
    name,
    description,
    inputSchema: schema,
    handler: (core, args, ctx) => core.permissions.request(args.component_id, kind, args.details, ctx.elicit),
  });
}

function revoke<D>(kind: GrantKind, name: string, description: string, schema: JSONSchemaType<Target<D>>): Builtin {
  return defineBuiltin<Target<D>>({
    name,
    description,
    inputSchema: schema,
    handler: async (core, args) => {
      const { revoked } = core.permissions.revoke('agent', args.component_id, kind, args.details);
      return { status: revoked ? 'revoked' : 'not-granted', component_id: args.component_id };
    },
  });
}

export const permissionBuiltins: readonly Builtin[] = [
  defineBuiltin<{ component_id: string }>({
    name: 'get_policy',
    description: "Show a component's effective policy: what files, hosts and environment variables it may use, and its limits.",
    inputSchema: onlyId,
    handler: async (core, args) => core.permissions.view(args.component_id),
  }),
  grant<{ uri: string; access: Access[] }>(
    'storage',
    'grant_storage_permission',
    'Allow a component to read and/or write a host path (the user may be asked to approve).',
    target(details<{ uri: string; access: Access[] }>({ uri, access }, ['uri', 'access'])),
  ),
  grant<{ host: string }>(
    'network',
    'grant_network_permission',
    'Allow a component to reach a host (example.com, *.example.com, host:port); the user may be asked to approve.',
    target(details<{ host: string }>({ host: nonEmpty }, ['host'])),
  ),
  grant<{ key: string }>(
    'environment',
    'grant_environment_variable_permission',
    'Allow a component to read an environment variable (the user may be asked to approve).',
    target(details<{ key: string }>({ key: nonEmpty }, ['key'])),
  ),
  revoke<{ uri: string }>(
    'storage',
    'revoke_storage_permission',
    'Remove a storage grant from a component.',
    target(details<{ uri: string }>({ uri }, ['uri'])),
  ),
  revoke<{ host: string }>(
    'network',
    'revoke_network_permission',
    'Remove a network grant from a component.',
    target(details<{ host: string }>({ host: nonEmpty }, ['host'])),
  ),
  revoke<{ key: string }>(
    'environment',
    'revoke_environment_variable_permission',
    'Remove an environment-variable grant from a component.',
    target(details<{ key: string }>({ key: nonEmpty }, ['key'])),
  ),
  defineBuiltin<{ component_id: string }>({
    name: 'reset_permission',
    description: 'Remove every grant of a component, back to its starting policy.',
    inputSchema: onlyId,
    handler: async (core, args) => {
      const { removed } = core.permissions.reset('agent', args.component_id);
      return { status: 'reset', component_id: args.component_id, removed };
    },
  }),
];
