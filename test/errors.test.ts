// The shared error constructors: one wording and code wherever the same failure is reported.
import { describe, expect, it } from 'vitest';
import { ErrorCode, unknownComponent } from '../src/errors.js';

describe('unknownComponent', () => {
  it('names the id and both ways to list what is loaded', () => {
    const e = unknownComponent('ghost');
    expect(e).toMatchObject({ code: ErrorCode.UnknownComponent, data: { id: 'ghost' } });
    expect(e.message).toBe('no loaded component with id "ghost" (see list_components or wassette component list)');
  });
});
