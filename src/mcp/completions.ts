// completion/complete: the `id` argument of the resource templates wassette://components/{id}/wit and /policy
// completes to the ids of the loaded components. wassette has no prompts, so a prompt reference is invalid params
// (spec: server/utilities/completion, "Error Handling"). Pure: the caller passes the ids.
import { type CompleteRequest, type CompleteResult, McpError, ErrorCode as McpErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { RESOURCE_TEMPLATES } from './resources.js';

/** The spec's cap on `values` in one completion answer. */
export const MAX_COMPLETION_VALUES = 100;

type Params = CompleteRequest['params'];

/**
 * Ids starting with the typed value first (case-insensitive), then ids containing it, each in the catalog's order;
 * at most 100, with `total` and `hasMore` telling the client how many matched.
 */
export function completeArgument(componentIds: readonly string[], ref: Params['ref'], argument: Params['argument']): CompleteResult['completion'] {
  if (ref.type === 'ref/prompt') throw new McpError(McpErrorCode.InvalidParams, `Unknown prompt: ${ref.name.slice(0, 64)} (wassette has no prompts)`);
  if (!RESOURCE_TEMPLATES.some((t) => t.uriTemplate === ref.uri)) {
    const known = RESOURCE_TEMPLATES.map((t) => t.uriTemplate).join(', ');
    throw new McpError(McpErrorCode.InvalidParams, `Unknown resource template: ${ref.uri.slice(0, 256)} (completable: ${known})`);
  }
  if (argument.name !== 'id')
    throw new McpError(McpErrorCode.InvalidParams, `Unknown argument "${argument.name.slice(0, 64)}": the template's only argument is id`);
  const typed = argument.value.toLowerCase();
  const starts: string[] = [];
  const contains: string[] = [];
  for (const id of componentIds) {
    const lower = id.toLowerCase();
    if (lower.startsWith(typed)) starts.push(id);
    else if (lower.includes(typed)) contains.push(id);
  }
  const all = [...starts, ...contains];
  return { values: all.slice(0, MAX_COMPLETION_VALUES), total: all.length, hasMore: all.length > MAX_COMPLETION_VALUES };
}
