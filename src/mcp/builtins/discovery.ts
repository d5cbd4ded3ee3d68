// Built-ins that find tools an agent does not have yet: a local index of crawled registries, imported MCP tool
// lists and the loaded components, ranked by meaning and by words.
import { defineBuiltin, type Builtin } from './define.js';

export const discoveryBuiltins: readonly Builtin[] = [
  defineBuiltin<{ query: string; limit?: number }>({
    name: 'search_tools',
    description:
      'Find tools for a task you cannot do with the tools you have: describe the need in plain words ("convert a time ' +
      'between time zones"). Returns ranked tools with the `ref` to pass to load_tool (loaded: true means its ' +
      'tools are already available), the permissions each asks for and its signature status.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'What you need, in words.' },
        limit: { type: 'integer', minimum: 1, maximum: 50, nullable: true, description: 'How many results (default 5).' },
      },
      required: ['query'],
      additionalProperties: false,
    },
    handler: (core, args) => core.searchTools(args.query, args.limit ?? 5),
  }),
];
