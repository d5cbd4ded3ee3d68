// Opaque string handles for resource objects living in a worker (`counter#1`), and the WitType-guided
// walk that swaps handles for objects in arguments and objects for handles in results.
import { ErrorCode, WassetteError } from '../errors.js';
import type { WitType } from '../component/wit-types.js';
import { witNameToJs, witNameToJsClass } from '../component/values.js';

/** jco's JS name for a WIT identifier (`get-value` -> `getValue`); one rule shared with values.ts. */
export const camelName = witNameToJs;
/** jco's class name for a WIT resource (`my-counter` -> `MyCounter`). */
export const pascalName = witNameToJsClass;

export class HandleTable {
  private readonly byHandle = new Map<string, { resource: string; object: object }>();
  private readonly byObject = new WeakMap<object, string>();
  private next = 1;

  /** The handle for an object the guest returned; the same object always gets the same handle. */
  put(resource: string, object: object): string {
    const existing = this.byObject.get(object);
    if (existing !== undefined && this.byHandle.has(existing)) return existing;
    const handle = `${resource}#${this.next++}`;
    this.byHandle.set(handle, { resource, object });
    this.byObject.set(object, handle);
    return handle;
  }

  get(resource: string, handle: unknown): object {
    if (typeof handle !== 'string') {
      throw new WassetteError(ErrorCode.InvalidArgument, `expected a ${resource} handle string (like "${resource}#1"), got ${typeof handle}`);
    }
    const entry = this.byHandle.get(handle);
    if (!entry) {
      throw new WassetteError(
        ErrorCode.InvalidArgument,
        `unknown ${resource} handle "${handle}": it was dropped, or the component instance restarted since it was created (after a trap, a timeout, a cancelled call or a grant change; an instance holding handles is never stopped for being idle); create a new one`,
        { data: { handle } },
      );
    }
    if (entry.resource !== resource) {
      throw new WassetteError(ErrorCode.InvalidArgument, `handle "${handle}" is a ${entry.resource}, but a ${resource} is expected`);
    }
    return entry.object;
  }

  /** Forgets a handle (ownership moved into the guest, or the resource was dropped). */
  delete(handle: string): boolean {
    return this.byHandle.delete(handle);
  }

  get size(): number {
    return this.byHandle.size;
  }
}

/** Field value of a record, accepting the WIT spelling or jco's camelCase spelling. */
function fieldKey(obj: Record<string, unknown>, witName: string): string {
  const camel = camelName(witName);
  return camel in obj ? camel : witName;
}

/**
 * Maps `value` of WIT type `type` through `leaf` at every own/borrow position, copying the
 * containers it passes through and leaving all other values untouched.
 */
export function mapHandles(value: unknown, type: WitType | undefined, leaf: (v: unknown, t: Extract<WitType, { kind: 'own' | 'borrow' }>) => unknown): unknown {
  if (type === undefined || value === undefined || value === null) return value;
  switch (type.kind) {
    case 'own':
    case 'borrow':
      return leaf(value, type);
    case 'list':
      return Array.isArray(value) ? value.map((v) => mapHandles(v, type.element, leaf)) : value;
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => mapHandles(v, type.elements[i], leaf)) : value;
    case 'option':
      return mapHandles(value, type.inner, leaf);
    case 'record': {
      if (typeof value !== 'object') return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const f of type.fields) {
        const key = fieldKey(out, f.name);
        if (key in out) out[key] = mapHandles(out[key], f.type, leaf);
      }
      return out;
    }
    case 'variant':
    case 'result': {
      if (typeof value !== 'object' || !('tag' in value)) return value;
      const v = value as { tag: string; val?: unknown };
      const payload =
        type.kind === 'result'
          ? v.tag === 'ok'
            ? type.ok
            : v.tag === 'err'
              ? type.err
              : undefined
          : type.cases.find((c) => c.name === v.tag || camelName(c.name) === v.tag)?.type;
      return payload === undefined || !('val' in v) ? v : { ...v, val: mapHandles(v.val, payload, leaf) };
    }
    default:
      return value;
  }
}

/** True when a WitType contains an own/borrow anywhere, so plain values can skip the walk. */
export function hasHandles(type: WitType | undefined): boolean {
  if (type === undefined) return false;
  switch (type.kind) {
    case 'own':
    case 'borrow':
      return true;
    case 'list':
      return hasHandles(type.element);
    case 'option':
      return hasHandles(type.inner);
    case 'tuple':
      return type.elements.some(hasHandles);
    case 'record':
      return type.fields.some((f) => hasHandles(f.type));
    case 'variant':
      return type.cases.some((c) => hasHandles(c.type));
    case 'result':
      return hasHandles(type.ok) || hasHandles(type.err);
    default:
      return false;
  }
}

/** Arguments: handle strings -> resource objects. `consumed` collects handles whose ownership moves. */
export function argToGuest(value: unknown, type: WitType, table: HandleTable, consumed: string[]): unknown {
  if (!hasHandles(type)) return value;
  return mapHandles(value, type, (v, t) => {
    const obj = table.get(t.resource, v);
    if (t.kind === 'own') consumed.push(v as string);
    return obj;
  });
}

/** Results: resource objects -> handle strings. */
export function resultFromGuest(value: unknown, type: WitType | undefined, table: HandleTable): unknown {
  if (!hasHandles(type)) return value;
  return mapHandles(value, type, (v, t) => (typeof v === 'object' && v !== null ? table.put(t.resource, v) : v));
}
