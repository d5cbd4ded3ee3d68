// Pure: the tool-description layer and summary annotation `wassette publish` writes, so a crawler can index without pulling the wasm.
import { ErrorCode, WassetteError } from '../errors.js';

/** One tool as an MCP client sees it (structural, so this module needs nothing from `component/`). */
export interface DescribedTool {
  name: string;
  description: string;
  inputSchema: object;
  outputSchema: object;
}

/** Contents of the `application/vnd.wassette.tools.v1+json` layer. */
export interface ToolDescriptionDoc {
  schemaVersion: 1;
  /** WIT text of the component's world (what `wassette inspect` prints). */
  wit: string;
  tools: DescribedTool[];
}

export function buildToolDescription(wit: string, tools: readonly DescribedTool[]): ToolDescriptionDoc {
  return {
    schemaVersion: 1,
    wit,
    tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema })),
  };
}

/** Registries and UIs show the description annotation on one line; keep it short. */
const MAX_SUMMARY = 512;

/**
 * The `org.opencontainers.image.description` value: the world's doc comment when the component
 * carries one, else a generated sentence naming the tools.
 */
export function summarizeComponent(worldDocs: string | undefined, toolNames: readonly string[]): string {
  const docs = worldDocs?.trim().replace(/\s+/g, ' ');
  if (docs) return clip(docs);
  const shown = toolNames.slice(0, 8).join(', ');
  const more = toolNames.length > 8 ? ` and ${toolNames.length - 8} more` : '';
  return clip(`WebAssembly component offering ${toolNames.length} tool${toolNames.length === 1 ? '' : 's'}: ${shown}${more}`);
}

function clip(s: string): string {
  return s.length <= MAX_SUMMARY ? s : `${s.slice(0, MAX_SUMMARY - 1)}…`;
}

/** Reads a tool-description layer back (crawlers, tests); throws InvalidComponent when it is not one. */
export function parseToolDescription(bytes: Uint8Array | string, where: string): ToolDescriptionDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new WassetteError(ErrorCode.InvalidComponent, `${where}: tool-description layer is not JSON`);
  }
  const d = doc as Partial<ToolDescriptionDoc> | null;
  if (d?.schemaVersion !== 1 || typeof d.wit !== 'string' || !Array.isArray(d.tools)) {
    throw new WassetteError(ErrorCode.InvalidComponent, `${where}: tool-description layer is not schemaVersion 1 with wit and tools`);
  }
  for (const t of d.tools) {
    if (typeof t?.name !== 'string' || typeof t.description !== 'string' || typeof t.inputSchema !== 'object' || typeof t.outputSchema !== 'object') {
      throw new WassetteError(ErrorCode.InvalidComponent, `${where}: tool-description entry lacks name, description or schemas`);
    }
  }
  return d as ToolDescriptionDoc;
}

/**
 * Splits repeated `--annotation key=value` flags; the key must be non-empty and appear once.
 */
export function parseAnnotationFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq).trim() : '';
    if (!key) throw new WassetteError(ErrorCode.InvalidArgument, `--annotation "${f}" must be key=value`);
    if (key in out) throw new WassetteError(ErrorCode.InvalidArgument, `--annotation ${key} is given twice`);
    out[key] = f.slice(eq + 1);
  }
  return out;
}
