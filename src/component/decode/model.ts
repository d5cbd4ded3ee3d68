// Internal decoder model: what each component-level index space holds while sections are read.
import type { NamedField, WitType } from '../wit-types.js';

/** A component function type; `unsupported` names a type the shared model cannot express (stream, future...). */
export interface FuncDef {
  params: NamedField[];
  result?: WitType;
  unsupported?: string;
  /** Expanded node count of params and result (memoized per type, so cheap even for shared subtrees). */
  size?: number;
}

/** An entry of a component type index space. */
export type TypeDef =
  /** `size`/`depth` of the expanded tree (absent = 1) bound the work any consumer does walking it. */
  | { tag: 'value'; type: WitType; size?: number; depth?: number }
  | { tag: 'unsupported'; what: string }
  | { tag: 'resource'; name: string }
  | { tag: 'func'; func: FuncDef }
  | { tag: 'instance'; exports: ExternMap }
  | { tag: 'component'; imports: ExternMap; exports: ExternMap }
  | { tag: 'core' };

/** What an import, export or instance export names. */
export type Extern =
  | { sort: 'func'; func: FuncDef }
  | { sort: 'type'; type: TypeDef }
  | { sort: 'instance'; exports: ExternMap }
  | { sort: 'component'; imports: ExternMap; exports: ExternMap }
  | { sort: 'value' }
  | { sort: 'module' };

export type ExternMap = Map<string, Extern>;

export type Sort = Extern['sort'];

/**
 * Index spaces of one component, component type or instance type. Only component-level spaces are
 * tracked: nothing in a WIT description depends on core functions, tables, memories or instances.
 */
/** State shared by all scopes of one decode: resource identities and the names they were exported under. */
export class DecodeContext {
  private next = 0;
  /** Sum of the expanded sizes of all function signatures read so far (bounded by the type reader). */
  expandedSize = 0;
  /** Placeholder name of a locally defined resource -> the first name it was imported or exported under. */
  readonly resourceNames = new Map<string, string>();

  /** A fresh resource; it gets a real name when it is exported. */
  newResource(): TypeDef {
    return { tag: 'resource', name: `${PLACEHOLDER}${this.next++}` };
  }
}

/** Prefix of names of resources not yet exported; never a valid WIT identifier. */
export const PLACEHOLDER = '#resource';

export class Scope {
  readonly types: TypeDef[] = [];
  readonly funcs: FuncDef[] = [];
  readonly instances: ExternMap[] = [];
  readonly components: { imports: ExternMap; exports: ExternMap }[] = [];
  values = 0;
  /** Imports and exports declared in this scope, in order. */
  readonly imports: ExternMap = new Map();
  readonly exports: ExternMap = new Map();

  readonly ctx: DecodeContext;

  constructor(
    readonly parent?: Scope,
    ctx?: DecodeContext,
  ) {
    this.ctx = ctx ?? parent?.ctx ?? new DecodeContext();
  }

  /** Adds an extern to the index space of its sort (imports, exports and aliases all do this). */
  push(item: Extern): void {
    switch (item.sort) {
      case 'func':
        this.funcs.push(item.func);
        break;
      case 'type':
        this.types.push(item.type);
        break;
      case 'instance':
        this.instances.push(item.exports);
        break;
      case 'component':
        this.components.push({ imports: item.imports, exports: item.exports });
        break;
      case 'value':
        this.values++;
        break;
      case 'module':
        break;
    }
  }
}

/** Gives a type the name it is imported or exported under; structure and identity stay the same. */
export function renameType(def: TypeDef, name: string, ctx: DecodeContext): TypeDef {
  if (def.tag === 'resource') {
    if (def.name.startsWith(PLACEHOLDER) && !ctx.resourceNames.has(def.name)) ctx.resourceNames.set(def.name, name);
    return { tag: 'resource', name };
  }
  if (def.tag !== 'value') return def;
  const t = def.type;
  switch (t.kind) {
    case 'list':
    case 'record':
    case 'tuple':
    case 'variant':
    case 'enum':
    case 'flags':
    case 'option':
    case 'result':
      return { ...def, type: { ...t, name } };
    default:
      return def;
  }
}

/** Renames type exports of an extern by the name they are exported under. */
export function named(item: Extern, name: string, ctx: DecodeContext): Extern {
  return item.sort === 'type' ? { sort: 'type', type: renameType(item.type, name, ctx) } : item;
}
