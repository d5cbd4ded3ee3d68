// Shapes MCP tools/call results: structured content plus a text copy, and isError results a person can act on.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage, isWassetteError } from '../errors.js';

export function okResult(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

/** An error result; `structured` carries machine-readable details (e.g. `{error: E}` of a WIT result). */
export function errorResult(message: string, structured?: Record<string, unknown>): CallToolResult {
  const content: CallToolResult['content'] = [{ type: 'text', text: message }];
  if (structured !== undefined) {
    content.push({ type: 'text', text: JSON.stringify(structured) });
    return { content, structuredContent: structured, isError: true };
  }
  return { content, isError: true };
}

export function exceptionResult(e: unknown): CallToolResult {
  if (isWassetteError(e)) {
    return errorResult(`${e.message} [${e.code}]`, { error: { code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) } });
  }
  return errorResult(`internal error: ${errorMessage(e)}`);
}
