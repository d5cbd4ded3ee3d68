// Measures a call result's JSON size without building the JSON: in a worker, JSON.stringify of a
// huge guest value can abort the whole process (V8's string builder OOM is fatal, not a worker error).

/**
 * Approximate byte length of `value` as JSON (exact for the common cases: UTF-8 strings without
 * escapes, numbers, bigints as decimal strings, byte arrays as number arrays). Stops counting once
 * the total exceeds `limit` and returns a value greater than `limit`.
 */
export function jsonSizeUpTo(value: unknown, limit: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    if (total > limit) return total;
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
        total += Buffer.byteLength(v, 'utf8') + 2;
        break;
      case 'number':
        total += Number.isFinite(v) ? String(v).length : 4;
        break;
      case 'bigint':
        total += v.toString().length + 2;
        break;
      case 'boolean':
        total += v ? 4 : 5;
        break;
      case 'object':
        if (v === null) {
          total += 4;
        } else if (ArrayBuffer.isView(v)) {
          total += typedArraySize(v, limit - total);
        } else if (Array.isArray(v)) {
          total += 2 + Math.max(0, v.length - 1);
          for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
        } else {
          const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
          total += 2 + Math.max(0, entries.length - 1);
          for (const [k, x] of entries) {
            total += Buffer.byteLength(k, 'utf8') + 3;
            stack.push(x);
          }
        }
        break;
      default:
        // undefined and functions are dropped by JSON.
        break;
    }
  }
  return total;
}

function typedArraySize(view: ArrayBufferView, room: number): number {
  if (!('length' in view)) return view.byteLength * 4;
  const arr = view as unknown as ArrayLike<number | bigint>;
  let total = 2 + Math.max(0, arr.length - 1);
  for (let i = 0; i < arr.length && total <= room; i++) total += String(arr[i]).length;
  return total;
}
