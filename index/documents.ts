// Pure: turns a source's tools (a component's exports or an imported MCP tools/list) into index documents.

/** A tool parameter as the describer or the tools/list file knows it. */
export interface ParamInput {
  readonly name: string;
  readonly type?: string | undefined;
  readonly description?: string | undefined;
}

export interface ToolInput {
  /** As its component or MCP server names it. */
  readonly name: string;
  readonly description?: string | undefined;
  readonly params?: readonly ParamInput[] | undefined;
  /** The WIT interface that exports the function (`wasi:http/handler`), if any. */
  readonly interface?: string | undefined;
}

/** One replaceable unit of the index: a component ref or an imported tools/list file. */
export interface SourceInput {
  readonly source: string;
  readonly kind: 'component' | 'mcp';
  /** What load_tool takes; for components an oci ref pinned by digest. */
  readonly ref: string;
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly package?: string | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
  /** Opaque to the index: stored and returned as the caller gave them. */
  readonly permissions?: unknown;
  readonly signature?: unknown;
  readonly tools: readonly ToolInput[];
}

/** Text per FTS5 column; each is identifier-split so `getWeather` matches "weather". */
export interface DocumentFields {
  readonly name: string;
  readonly description: string;
  readonly params: string;
  readonly context: string;
}

export interface IndexDocument {
  /** Unique within its source. */
  readonly key: string;
  readonly kind: 'tool' | 'component';
  readonly source: string;
  readonly ref: string;
  readonly name: string;
  readonly description: string;
  readonly fields: DocumentFields;
  /** What the embedder sees: a sentence-like text, not the bag of split tokens. */
  readonly embedText: string;
  readonly metadata: { readonly permissions?: unknown; readonly signature?: unknown };
}

// Annotations that describe the component to a person; the rest (digests, dates) is noise for search.
const ANNOTATION_KEYS = ['org.opencontainers.image.title', 'org.opencontainers.image.description', 'org.opencontainers.image.source'];

/** Splits identifiers into lower-case words: camelCase, PascalCase, ACRONYMCase, snake, kebab, digits. */
export function splitIdentifier(word: string): string[] {
  return word
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/**
 * Free text with every identifier split; an identifier that splits is kept whole too, so a query
 * naming the tool exactly (`get_weather`, `getWeather`) still matches its single token.
 */
export function splitText(text: string): string {
  const out: string[] = [];
  for (const token of text.split(/\s+/)) {
    if (token.length === 0) continue;
    const words = splitIdentifier(token);
    out.push(...words);
    const whole = token.replace(/[^\p{L}\p{N}_-]+/gu, '').toLowerCase();
    if (words.length > 1 && /[_\-A-Z0-9]/.test(token) && whole.length > 0) out.push(whole.replace(/[-_]/g, ''));
  }
  return out.join(' ');
}

/** `getWeatherForecast` -> "get weather forecast": the readable form for the embedder. */
export function readableName(name: string): string {
  return splitIdentifier(name).join(' ');
}

function paramsText(params: readonly ParamInput[]): string {
  return params.map((p) => [p.name, p.type ?? '', p.description ?? ''].join(' ')).join(' ; ');
}

function annotationText(annotations: Readonly<Record<string, string>> | undefined): string {
  if (annotations === undefined) return '';
  return ANNOTATION_KEYS.map((k) => annotations[k] ?? '')
    .filter((v) => v.length > 0)
    .join(' ');
}

function sentence(text: string): string {
  const t = text.trim();
  return t.length === 0 || /[.!?]$/.test(t) ? t : `${t}.`;
}

function sourceContext(input: SourceInput): string {
  return [input.name ?? '', input.package ?? '', input.description ?? '', annotationText(input.annotations)].filter((v) => v.length > 0).join(' ');
}

function toolKey(tool: ToolInput): string {
  return `tool:${tool.interface === undefined ? '' : `${tool.interface}/`}${tool.name}`;
}

/** One document per tool, plus one per component (naming its tools), with the component's context in each tool's. */
export function sourceDocuments(input: SourceInput): IndexDocument[] {
  const context = sourceContext(input);
  const metadata = { permissions: input.permissions, signature: input.signature };
  const siblings = input.tools.map((t) => readableName(t.name));
  const docs: IndexDocument[] = input.tools.map((tool) => {
    const params = tool.params ?? [];
    const description = tool.description ?? '';
    const paramNames = params.map((p) => readableName(p.name)).join(', ');
    const embedText = [
      sentence(description.trim().length > 0 ? `${readableName(tool.name)}: ${description}` : readableName(tool.name)),
      params.length > 0 ? sentence(`Inputs: ${paramNames}`) : '',
      // The component's purpose disambiguates terse tool docs ("get" in a weather component).
      input.kind === 'component' && input.description ? sentence(`Part of ${input.name ?? ''}: ${input.description}`) : '',
    ]
      .filter((s) => s.length > 0)
      .join(' ');
    return {
      key: toolKey(tool),
      kind: 'tool',
      source: input.source,
      // An MCP server's tools are not loadable one by one through a component ref; name the tool.
      ref: input.kind === 'mcp' ? `${input.ref}#${tool.name}` : input.ref,
      name: tool.name,
      description,
      fields: {
        name: splitText(tool.name),
        description: splitText(description),
        params: splitText(paramsText(params)),
        // Siblings stay out: the component document lists them and search folds it into its tools;
        // copied into every tool they made each sibling's words match the whole component (10x the FTS work).
        context: splitText([tool.interface ?? '', context].join(' ')),
      },
      embedText,
      metadata,
    };
  });
  if (input.kind === 'component') {
    const name = input.name ?? input.package ?? input.source;
    docs.push({
      key: 'component',
      kind: 'component',
      source: input.source,
      ref: input.ref,
      name,
      description: input.description ?? '',
      fields: {
        name: splitText(`${name} ${input.package ?? ''}`),
        description: splitText(input.description ?? ''),
        params: splitText(siblings.join(' ')),
        context: splitText(annotationText(input.annotations)),
      },
      embedText: sentence(`${readableName(name)}: ${input.description ?? ''}`) + (siblings.length > 0 ? ` Tools: ${siblings.join(', ')}.` : ''),
      metadata,
    });
  }
  return docs;
}
