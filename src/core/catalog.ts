// The loaded components in memory and their final MCP tool names (collision-aware, stable for a set).
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDef } from '../component/tools.js';
import { assignToolNames } from '../component/tool-names.js';
import type { ComponentDescription } from '../component/wit-types.js';
import type { VerificationOutcome } from '../oci/signatures.js';

export interface LoadedComponent {
  id: string;
  source: string;
  digest: string;
  description: ComponentDescription;
  tools: ToolDef[];
  verification?: VerificationOutcome;
  loadedAt: number;
}

export interface NamedTool {
  name: string;
  componentId: string;
  def: ToolDef;
}

/**
 * The advertised output schema of a component tool: `{result}` on success, or `{error[, denials]}` with
 * isError. SDK v1 clients validate structuredContent against outputSchema even on isError results
 * (typescript-sdk#1943), so a schema without the error shape makes every err/trap unreadable to them.
 */
export function withErrorEnvelope(schema: Record<string, unknown>): Record<string, unknown> {
  const { required, properties, ...rest } = schema as { required?: string[]; properties?: Record<string, unknown> };
  return {
    ...rest,
    properties: {
      ...properties,
      error: { description: 'present instead of result when isError is true: the err value of a WIT result, or {code, message} when the call failed' },
      denials: { type: 'array', description: 'sandbox denials that happened during the call' },
    },
    anyOf: [{ required: required ?? [] }, { required: ['error'] }],
  };
}

export class Catalog {
  private readonly components = new Map<string, LoadedComponent>();
  private byName = new Map<string, NamedTool>();
  private namesById = new Map<string, string[]>();

  constructor(private readonly reserved: ReadonlySet<string>) {}

  get(id: string): LoadedComponent | undefined {
    return this.components.get(id);
  }

  list(): LoadedComponent[] {
    return [...this.components.values()].sort((a, b) => a.loadedAt - b.loadedAt || (a.id < b.id ? -1 : 1));
  }

  has(id: string): boolean {
    return this.components.has(id);
  }

  /** The names a component would get if added (throws ToolCollision); nothing changes. */
  previewNames(c: LoadedComponent): string[] {
    const all = [...this.components.values()].filter((x) => x.id !== c.id).concat(c);
    return this.assign(all).get(c.id) ?? [];
  }

  /** Adds or replaces a component and re-derives every tool name; returns the component's names. */
  put(c: LoadedComponent): string[] {
    const all = [...this.components.values()].filter((x) => x.id !== c.id).concat(c);
    const names = this.assign(all);
    this.components.set(c.id, c);
    this.index(names);
    return names.get(c.id) ?? [];
  }

  remove(id: string): boolean {
    if (!this.components.delete(id)) return false;
    this.index(this.assign([...this.components.values()]));
    return true;
  }

  toolNames(id: string): string[] {
    return this.namesById.get(id) ?? [];
  }

  tool(name: string): NamedTool | undefined {
    return this.byName.get(name);
  }

  mcpTools(): Tool[] {
    return [...this.byName.values()].map(({ name, def }) => ({
      name,
      description: def.description,
      inputSchema: def.inputSchema as Tool['inputSchema'],
      outputSchema: withErrorEnvelope(def.outputSchema) as Tool['outputSchema'],
    }));
  }

  private assign(all: LoadedComponent[]): Map<string, string[]> {
    return assignToolNames(
      all.map((c) => ({ id: c.id, tools: c.tools.map((t) => t.baseName) })),
      this.reserved,
    );
  }

  private index(names: Map<string, string[]>): void {
    const byName = new Map<string, NamedTool>();
    for (const [id, list] of names) {
      const c = this.components.get(id);
      if (!c) continue;
      list.forEach((name, i) => {
        const def = c.tools[i];
        if (def) byName.set(name, { name, componentId: id, def });
      });
    }
    this.byName = byName;
    this.namesById = names;
  }
}
