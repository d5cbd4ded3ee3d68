// Read-only MCP resources: each loaded component's WIT and effective policy, so a client can show what a tool
// is and what it may touch. URIs: wassette://components/<id>/wit and wassette://components/<id>/policy.
import type { Resource, ResourceTemplate, TextResourceContents } from '@modelcontextprotocol/sdk/types.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC code MCP gives an unknown resource (spec: server/resources, "Error Handling"). */
export const RESOURCE_NOT_FOUND = -32002;

const PREFIX = 'wassette://components/';
export const WIT_MIME = 'text/x-wit';
export const POLICY_MIME = 'application/yaml';

export type ResourceKind = 'wit' | 'policy';

export interface ResourceSource {
  /** Ids of the components loaded here, in the catalog's stable order. */
  componentIds(): readonly string[];
  wit(id: string): string | undefined;
  /** The effective policy as YAML; undefined (or a throw) when the component is not loaded. */
  policyYaml(id: string): string | undefined;
}

export function resourceUri(id: string, kind: ResourceKind): string {
  return `${PREFIX}${encodeURIComponent(id)}/${kind}`;
}

/**
 * Longer URIs are never ours: a load makes ids of at most 40 characters plus a `-N` suffix. Without a bound a client
 * could make each of its subscriptions hold a message-sized (16 MiB) string.
 */
export const MAX_RESOURCE_URI_CHARS = 256;

/** The component id and kind a URI names, or undefined when it is not one of ours. */
export function parseResourceUri(uri: string): { id: string; kind: ResourceKind } | undefined {
  if (uri.length > MAX_RESOURCE_URI_CHARS || !uri.startsWith(PREFIX)) return undefined;
  const m = /^([^/]+)\/(wit|policy)$/.exec(uri.slice(PREFIX.length));
  if (!m) return undefined;
  try {
    return { id: decodeURIComponent(m[1]!), kind: m[2] as ResourceKind };
  } catch {
    return undefined;
  }
}

export function listResources(src: ResourceSource): Resource[] {
  return src.componentIds().flatMap((id): Resource[] => [
    {
      uri: resourceUri(id, 'wit'),
      name: `${id}/wit`,
      title: `${id}: WIT interface`,
      description: `The WIT world of component ${id}: its imports and the exported functions its tools call.`,
      mimeType: WIT_MIME,
    },
    {
      uri: resourceUri(id, 'policy'),
      name: `${id}/policy`,
      title: `${id}: effective policy`,
      description: `What component ${id} may touch now (starting policy plus grants): files, hosts, environment variables, limits.`,
      mimeType: POLICY_MIME,
    },
  ]);
}

export const RESOURCE_TEMPLATES: ResourceTemplate[] = [
  {
    uriTemplate: `${PREFIX}{id}/wit`,
    name: 'component-wit',
    title: 'Component WIT interface',
    description: 'The WIT world of a loaded component (ids from list_components).',
    mimeType: WIT_MIME,
  },
  {
    uriTemplate: `${PREFIX}{id}/policy`,
    name: 'component-policy',
    title: 'Component effective policy',
    description: 'The effective policy (starting policy plus grants) of a loaded component, as YAML.',
    mimeType: POLICY_MIME,
  },
];

function notFound(uri: string, why: string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri} (${why})`, { uri });
}

/** Where a URI outside ours is pointed to. */
export function notOurs(uri: string): McpError {
  return notFound(uri, `wassette serves ${PREFIX}<component id>/wit and ${PREFIX}<component id>/policy; resources/list shows them`);
}

/** The current text behind one of our URIs; undefined while its component is not loaded (or the URI is not ours). */
export function resourceText(src: ResourceSource, uri: string): string | undefined {
  const parsed = parseResourceUri(uri);
  if (!parsed) return undefined;
  try {
    return parsed.kind === 'wit' ? src.wit(parsed.id) : src.policyYaml(parsed.id);
  } catch {
    return undefined;
  }
}

export function readResource(src: ResourceSource, uri: string): TextResourceContents {
  const parsed = parseResourceUri(uri);
  if (!parsed) throw notOurs(uri);
  const text = resourceText(src, uri);
  if (text === undefined) throw notFound(uri, `no component "${parsed.id}" is loaded; list_components shows the loaded ones`);
  return { uri, mimeType: parsed.kind === 'wit' ? WIT_MIME : POLICY_MIME, text };
}
