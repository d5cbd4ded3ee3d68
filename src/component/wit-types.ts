// The WIT type model shared by the decoder, the schema generator, the value converter and the runtime.
// Component-model types cannot be recursive, so every type is a finite tree with named nodes inlined.

export type PrimitiveKind = 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string';

export interface NamedField {
  name: string;
  type: WitType;
}
export interface VariantCase {
  name: string;
  type?: WitType;
}

/**
 * Doc comments of a named record, variant, enum or flags type, from package-docs: `docs` for the type, `items` by
 * field, case or flag name. Already cut to size (see type-docs.ts), so schemas can show them as they are.
 */
export interface TypeDocs {
  docs?: string;
  items?: Readonly<Record<string, string>>;
}

/** `name` on aggregate types is the WIT type name (kebab-case) when the type was declared with one. */
export type WitType =
  | { kind: PrimitiveKind }
  | { kind: 'list'; element: WitType; name?: string }
  | { kind: 'record'; fields: NamedField[]; name?: string; docs?: TypeDocs }
  | { kind: 'tuple'; elements: WitType[]; name?: string }
  | { kind: 'variant'; cases: VariantCase[]; name?: string; docs?: TypeDocs }
  | { kind: 'enum'; cases: string[]; name?: string; docs?: TypeDocs }
  | { kind: 'flags'; flags: string[]; name?: string; docs?: TypeDocs }
  | { kind: 'option'; inner: WitType; name?: string }
  | { kind: 'result'; ok?: WitType; err?: WitType; name?: string }
  | { kind: 'own'; resource: string }
  | { kind: 'borrow'; resource: string };

export type FunctionKind = 'freestanding' | 'constructor' | 'method' | 'static';

export interface WitFunction {
  /** The function name as it appears in WIT (for resources: the bare method name, e.g. `get`). */
  name: string;
  kind: FunctionKind;
  /** Resource name (kebab-case) for constructors, methods and static functions. */
  resource?: string;
  /** For methods the first param is `self` with a borrow type. */
  params: NamedField[];
  result?: WitType;
  docs?: string;
}

export interface WitInterface {
  /** Fully qualified export name, e.g. `local:calc/math@0.1.0`, or a plain name for unqualified exports. */
  name: string;
  functions: WitFunction[];
  /** Resources declared in this interface (kebab-case names). */
  resources: string[];
  docs?: string;
}

export interface ComponentDescription {
  /** Exported functions at world level. */
  functions: WitFunction[];
  /** Exported interfaces with their functions. */
  interfaces: WitInterface[];
  /** Imported interface names (e.g. `wasi:cli/environment@0.2.3`) and world-level imported functions. */
  imports: string[];
  /** World doc comment from package-docs, when present. */
  docs?: string;
  /** WIT text reconstructed from the decoded types (for `inspect`). */
  wit: string;
  /** Exported functions not offered as tools because their types have no JSON mapping (stream, future). */
  skipped?: SkippedFunction[];
}

export interface SkippedFunction {
  /** `fn` at world level, `<interface>#fn` inside an exported interface. */
  name: string;
  reason: string;
}
