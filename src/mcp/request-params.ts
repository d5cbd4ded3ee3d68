// Params validated by our handler instead of the SDK: the SDK's setRequestHandler parses with the method's schema
// and lets the ZodError escape, so a client sending a wrong type gets -32603 (internal error) with the schema
// issues dumped as JSON. Registering with a schema that checks only the method, then parsing here, answers -32602
// (invalid params) with one short line naming the field.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** What this needs of a zod schema (the SDK's request schemas are zod v4). */
export interface ParamsSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
}

/** One line for the first issue, e.g. `argument.value: Invalid input: expected string, received number`. */
export function describeIssue(issue: Issue | undefined): string {
  if (!issue) return 'invalid';
  const path = issue.path
    .filter((p) => p !== 'params')
    .map(String)
    .join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** The request parsed by `schema`, or an McpError -32602 saying which param is wrong. */
export function parseRequest<T>(schema: ParamsSchema<T>, request: { method: string }): T {
  const r = schema.safeParse(request);
  if (r.success) return r.data;
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  throw new McpError(ErrorCode.InvalidParams, `invalid ${request.method} params: ${describeIssue(r.error.issues[0])}${more}`.slice(0, 300));
}
