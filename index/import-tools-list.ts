// Parses an MCP `tools/list` result (`{tools: [{name, description, inputSchema}]}`) into an index source.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParamInput, SourceInput, ToolInput } from './documents.js';

/** How the refs of imported tools begin (`mcp:<file>#<tool>`): tools of other MCP servers, which nothing here loads. */
export const MCP_REF_PREFIX = 'mcp:';

export class ToolsListError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ToolsListError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON Schema type, readable: `string`, `array of string`, `string | null`, `object`. */
function schemaType(schema: Record<string, unknown>): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') {
    if (t === 'array' && isObject(schema.items)) {
      const inner = schemaType(schema.items);
      return inner === undefined ? 'array' : `array of ${inner}`;
    }
    return t;
  }
  if (Array.isArray(t) && t.every((x) => typeof x === 'string')) return t.join(' | ');
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => String(v)).join(', ')}`;
  return undefined;
}

/** Top-level properties only: nested schemas add words an agent rarely searches for. */
function params(inputSchema: unknown, where: string, file: string): ParamInput[] {
  if (inputSchema === undefined) return [];
  if (!isObject(inputSchema)) throw new ToolsListError(file, `${where}.inputSchema must be an object`);
  const props = inputSchema.properties;
  if (props === undefined) return [];
  if (!isObject(props)) throw new ToolsListError(file, `${where}.inputSchema.properties must be an object`);
  return Object.entries(props).map(([name, s]) => {
    const schema = isObject(s) ? s : {};
    return {
      name,
      type: schemaType(schema),
      description: typeof schema.description === 'string' ? schema.description : undefined,
    };
  });
}

/**
 * Validates and converts; every error names the file and the path of the bad value
 * (`tools[3].name must be a non-empty string`), so a person can fix the file.
 */
export function parseToolsList(text: string, file: string): SourceInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ToolsListError(file, `not valid JSON: ${(e as Error).message}`);
  }
  // A saved JSON-RPC response wraps the list in `result`; accept both shapes.
  const body = isObject(json) && isObject(json.result) && !('tools' in json) ? json.result : json;
  if (!isObject(body)) throw new ToolsListError(file, 'expected an object with a "tools" array');
  if (!Array.isArray(body.tools)) throw new ToolsListError(file, '"tools" must be an array');
  const seen = new Set<string>();
  const tools: ToolInput[] = body.tools.map((t: unknown, i: number) => {
    const where = `tools[${i}]`;
    if (!isObject(t)) throw new ToolsListError(file, `${where} must be an object`);
    if (typeof t.name !== 'string' || t.name.trim().length === 0) throw new ToolsListError(file, `${where}.name must be a non-empty string`);
    if (seen.has(t.name)) throw new ToolsListError(file, `${where}.name "${t.name}" appears twice`);
    seen.add(t.name);
    if (t.description !== undefined && typeof t.description !== 'string') {
      throw new ToolsListError(file, `${where}.description must be a string`);
    }
    return { name: t.name, description: t.description, params: params(t.inputSchema, where, file) };
  });
  const source = basename(file);
  return { source, kind: 'mcp', ref: `${MCP_REF_PREFIX}${source}`, tools };
}

/** Reads a tools/list file; the source is its file name, so re-importing it replaces the old copy. */
export function readToolsList(path: string): SourceInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ToolsListError(path, `cannot read: ${(e as Error).message}`);
  }
  return parseToolsList(text, path);
}
