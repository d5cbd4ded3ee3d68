// Prices a call result in guest memory before the generated glue lifts it: walks the canonical ABI
// layout from the return area and stops once the budget is spent. Pure: reads only the given view.
import type { WitType } from '../component/wit-types.js';

/** Charged per list element (beyond its own bytes) and per list or string: what an empty JS value costs at least. */
export const PER_ELEMENT_COST = 8;
/**
 * Host bytes one result may cost while it is lifted, as a multiple of the output limit: room for a
 * result's JSON being smaller than its estimate (per-element charges), while anything costlier is
 * refused before the glue copies it.
 */
export const LIFT_BUDGET_FACTOR = 2;
/** Core values a result may flatten to before it is returned through a pointer (canonical ABI MAX_FLAT_RESULTS). */
const MAX_FLAT_RESULTS = 1;

const SIZES: Record<string, number> = { bool: 1, s8: 1, u8: 1, s16: 2, u16: 2, s32: 4, u32: 4, f32: 4, char: 4, s64: 8, u64: 8, f64: 8 };
/** Element kinds jco lifts as one typed-array copy: their bytes are the cost, no per-element charge. */
const TYPED = new Set(['s8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64']);

function alignTo(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function discSize(cases: number): number {
  return cases <= 256 ? 1 : cases <= 65536 ? 2 : 4;
}

function cases(t: WitType): (WitType | undefined)[] {
  if (t.kind === 'variant') return t.cases.map((c) => c.type);
  if (t.kind === 'option') return [undefined, t.inner];
  if (t.kind === 'result') return [t.ok, t.err];
  return [];
}

function fields(t: WitType): WitType[] {
  return t.kind === 'record' ? t.fields.map((f) => f.type) : t.kind === 'tuple' ? t.elements : [];
}

export function alignment(t: WitType): number {
  if (t.kind in SIZES) return SIZES[t.kind]!;
  switch (t.kind) {
    case 'string':
    case 'list':
    case 'own':
    case 'borrow':
      return 4;
    case 'enum':
      return discSize(t.cases.length);
    case 'flags':
      return t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4;
    case 'record':
    case 'tuple':
      return Math.max(1, ...fields(t).map(alignment));
    default: {
      const cs = cases(t);
      return Math.max(discSize(cs.length), ...cs.map((c) => (c ? alignment(c) : 1)));
    }
  }
}

export function byteSize(t: WitType): number {
  if (t.kind in SIZES) return SIZES[t.kind]!;
  switch (t.kind) {
    case 'string':
    case 'list':
      return 8;
    case 'own':
    case 'borrow':
      return 4;
    case 'enum':
      return discSize(t.cases.length);
    case 'flags':
      return t.flags.length === 0 ? 0 : t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4 * Math.ceil(t.flags.length / 32);
    case 'record':
    case 'tuple': {
      let s = 0;
      for (const f of fields(t)) s = alignTo(s, alignment(f)) + byteSize(f);
      return alignTo(s, alignment(t));
    }
    default: {
      const cs = cases(t);
      const payload = Math.max(0, ...cs.map((c) => (c ? byteSize(c) : 0)));
      return alignTo(payloadOffset(t) + payload, alignment(t));
    }
  }
}

function payloadOffset(t: WitType): number {
  const cs = cases(t);
  return alignTo(discSize(cs.length), Math.max(1, ...cs.map((c) => (c ? alignment(c) : 1))));
}

/** Number of core values `t` flattens to. */
export function flatCount(t: WitType): number {
  if (t.kind in SIZES) return 1;
  switch (t.kind) {
    case 'string':
    case 'list':
      return 2;
    case 'own':
    case 'borrow':
    case 'enum':
      return 1;
    case 'flags':
      return Math.ceil(t.flags.length / 32);
    case 'record':
    case 'tuple':
      return fields(t).reduce((n, f) => n + flatCount(f), 0);
    default:
      return 1 + Math.max(0, ...cases(t).map((c) => (c ? flatCount(c) : 0)));
  }
}

/** Whether a value of `t` can hold a string or list (the only things that cost more than their own bytes). */
function refersToMemory(t: WitType): boolean {
  if (t.kind === 'string' || t.kind === 'list') return true;
  return fields(t).some(refersToMemory) || cases(t).some((c) => c !== undefined && refersToMemory(c));
}

/**
 * Estimated host bytes of lifting a result of type `type` whose core function returned `ret`, read
 * from `view` (the guest memory). Returns as soon as the running total exceeds `budget` (the result
 * is then some value > budget). Out-of-bounds pointers count as 0: the glue will trap on them itself.
 */
export function liftCost(type: WitType | undefined, view: DataView | undefined, ret: unknown, budget: number): number {
  if (!type || flatCount(type) <= MAX_FLAT_RESULTS || !refersToMemory(type) || !view || typeof ret !== 'number') return 0;
  const state = { total: 0, budget };
  walk(type, view, ret >>> 0, state);
  return state.total;
}

interface State {
  total: number;
  budget: number;
}

function u32At(view: DataView, at: number): number | undefined {
  return at >= 0 && at + 4 <= view.byteLength ? view.getUint32(at, true) : undefined;
}

function walk(t: WitType, view: DataView, at: number, s: State): void {
  if (s.total > s.budget) return;
  switch (t.kind) {
    case 'string':
    case 'list': {
      const ptr = u32At(view, at);
      const len = u32At(view, at + 4);
      if (ptr === undefined || len === undefined) return;
      s.total += PER_ELEMENT_COST;
      if (t.kind !== 'list') {
        s.total += len;
        return;
      }
      const el = t.element;
      const size = byteSize(el);
      s.total += len * size + (TYPED.has(el.kind) ? 0 : len * PER_ELEMENT_COST);
      if (s.total > s.budget || !refersToMemory(el)) return;
      for (let i = 0; i < len && s.total <= s.budget; i++) walk(el, view, ptr + i * size, s);
      return;
    }
    case 'record':
    case 'tuple': {
      let off = 0;
      for (const f of fields(t)) {
        off = alignTo(off, alignment(f));
        if (refersToMemory(f)) walk(f, view, at + off, s);
        off += byteSize(f);
      }
      return;
    }
    case 'variant':
    case 'option':
    case 'result': {
      const cs = cases(t);
      const d = discSize(cs.length);
      if (at + d > view.byteLength) return;
      const disc = d === 1 ? view.getUint8(at) : d === 2 ? view.getUint16(at, true) : view.getUint32(at, true);
      const c = cs[disc];
      if (c && refersToMemory(c)) walk(c, view, at + payloadOffset(t), s);
      return;
    }
    default:
      return;
  }
}
