// Cursor pagination for MCP list results (pure): opaque cursors that name the last item served, so a page
// boundary survives items being added elsewhere in the list; a cursor this server did not issue is refused.
import { ErrorCode, WassetteError } from '../errors.js';

export interface Page<T> {
  items: T[];
  /** Present when more items follow; pass it back as `cursor` for the next page. */
  nextCursor?: string;
}

interface CursorBody {
  /** Format version, so a cursor from another build is refused rather than misread. */
  v: 1;
  /** The list it belongs to (a tools cursor is not a resources cursor). */
  l: string;
  /** Key of the last item of the previous page. */
  a: string;
}

export function encodeCursor(list: string, afterKey: string): string {
  const body: CursorBody = { v: 1, l: list, a: afterKey };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function invalid(why: string): WassetteError {
  return new WassetteError(ErrorCode.InvalidArgument, `invalid cursor: ${why}; list again without a cursor to start from the first page`);
}

export function decodeCursor(list: string, cursor: string): string {
  let body: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor this server issued');
  }
  const b = body as Partial<CursorBody> | null;
  if (typeof b !== 'object' || b === null || b.v !== 1 || typeof b.a !== 'string') throw invalid('not a cursor this server issued');
  if (b.l !== list) throw invalid(`it belongs to another list (${String(b.l)}), not ${list}`);
  return b.a;
}

/**
 * One page of `items` (already in their stable order) after `cursor`. A cursor whose item has since gone is refused:
 * the list changed (list_changed was sent), and guessing a position could skip or repeat items silently.
 */
export function paginate<T>(items: readonly T[], key: (item: T) => string, opts: { list: string; pageSize: number; cursor?: string | undefined }): Page<T> {
  let start = 0;
  if (opts.cursor !== undefined) {
    const after = decodeCursor(opts.list, opts.cursor);
    const at = items.findIndex((x) => key(x) === after);
    if (at < 0) throw invalid(`"${after}" is no longer in the list (it changed since the previous page)`);
    start = at + 1;
  }
  const size = Math.max(1, Math.floor(opts.pageSize));
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  return start + size < items.length && last !== undefined ? { items: page, nextCursor: encodeCursor(opts.list, key(last)) } : { items: page };
}
