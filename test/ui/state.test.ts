// The key reducer, table-driven: which key moves, switches, opens, filters, confirms, and which action it asks for.
import { describe, expect, it } from 'vitest';
import { filterOptions, initialState, reduceKey, type KeyPress, type UiState } from '../../ui/state.js';
import { snapshot } from './data.js';

const s = snapshot();
const at = (over: Partial<UiState> = {}): UiState => ({ ...initialState(), ...over });

describe('reduceKey', () => {
  const cases: Array<[string, UiState, KeyPress, Partial<UiState> | null, unknown]> = [
    ['down moves', at(), { input: '', down: true }, { cursor: { pending: 1, components: 0, trust: 0, audit: 0 } }, undefined],
    [
      'j stops at the end',
      at({ cursor: { pending: 1, components: 0, trust: 0, audit: 0 } }),
      { input: 'j' },
      { cursor: { pending: 1, components: 0, trust: 0, audit: 0 } },
      undefined,
    ],
    ['k stops at the top', at(), { input: 'k' }, { cursor: { pending: 0, components: 0, trust: 0, audit: 0 } }, undefined],
    ['tab goes to the next view', at(), { input: '', tab: true }, { view: 'components' }, undefined],
    ['shift-tab wraps to the last', at(), { input: '', tab: true, shift: true }, { view: 'audit' }, undefined],
    ['3 picks trust rules and closes details', at({ detail: true }), { input: '3' }, { view: 'trust', detail: false }, undefined],
    ['enter opens a request', at(), { input: '', return: true }, { detail: true, scroll: 0 }, undefined],
    ['arrows scroll open details', at({ detail: true, scroll: 2 }), { input: '', up: true }, { scroll: 1 }, undefined],
    ['esc closes details', at({ detail: true, scroll: 4 }), { input: '', escape: true }, { detail: false, scroll: 0 }, undefined],
    [
      'a approves the selected once',
      at({ cursor: { pending: 1, components: 0, trust: 0, audit: 0 } }),
      { input: 'a' },
      null,
      { kind: 'decide', id: 'req-grant-0002', choice: 'approve' },
    ],
    ['t approves and trusts', at(), { input: 't' }, null, { kind: 'decide', id: 'req-tool-0001', choice: 'trust' }],
    [
      's approves a grant for the session',
      at({ cursor: { pending: 1, components: 0, trust: 0, audit: 0 } }),
      { input: 's' },
      null,
      { kind: 'decide', id: 'req-grant-0002', choice: 'session' },
    ],
    [
      't on a grant only explains',
      at({ cursor: { pending: 1, components: 0, trust: 0, audit: 0 } }),
      { input: 't' },
      null,
      { kind: 'say', text: expect.stringContaining('t trusts loads') },
    ],
    ['s on a load only explains', at(), { input: 's' }, null, { kind: 'say', text: expect.stringContaining('s scopes grants') }],
    ['d denies, also from the details', at({ detail: true }), { input: 'd' }, { detail: false }, { kind: 'decide', id: 'req-tool-0001', choice: 'deny' }],
    ['a does nothing in the components view', at({ view: 'components' }), { input: 'a' }, null, undefined],
    ['r asks before revoking', at({ view: 'trust' }), { input: 'r' }, { confirmRevoke: 'tr-0001' }, undefined],
    ['y revokes', at({ view: 'trust', confirmRevoke: 'tr-0001' }), { input: 'y' }, null, { kind: 'revoke', id: 'tr-0001' }],
    ['q while confirming only cancels', at({ view: 'trust', confirmRevoke: 'tr-0001' }), { input: 'q' }, null, undefined],
    ['q quits', at(), { input: 'q' }, null, { kind: 'quit' }],
    ['c filters the audit log by the first component', at({ view: 'audit' }), { input: 'c' }, { filter: { componentId: 'text-tools' } }, { kind: 'refresh' }],
    ['c after the last component shows all', at({ view: 'audit', filter: { componentId: 'wasi-env' } }), { input: 'c' }, { filter: {} }, { kind: 'refresh' }],
    [
      'o filters by outcome',
      at({ view: 'audit', filter: { componentId: 'wasi-env' } }),
      { input: 'o' },
      { filter: { componentId: 'wasi-env', outcome: 'ok' } },
      { kind: 'refresh' },
    ],
    ['x clears the filter', at({ view: 'audit', filter: { outcome: 'denied' } }), { input: 'x' }, { filter: {} }, { kind: 'refresh' }],
  ];
  it.each(cases)('%s', (_name, state, key, expected, action) => {
    const out = reduceKey(state, key, s);
    if (expected) expect(out.state).toMatchObject(expected);
    if (expected && 'filter' in expected) expect(out.state.filter).toEqual(expected.filter);
    expect(out.action).toEqual(action);
    if (state.confirmRevoke !== undefined) expect(out.state.confirmRevoke).toBeUndefined();
  });

  it('nothing to decide in an empty queue', () => {
    expect(reduceKey(at(), { input: 'a' }, snapshot({ pending: [] })).action).toBeUndefined();
  });

  it('offers the components known and seen, and the outcomes known and seen', () => {
    const o = filterOptions(snapshot({ audit: [...s.audit, { ...s.audit[0]!, id: 9, componentId: 'gone', outcome: 'trap-ish' }] }), {});
    expect(o.components).toEqual(['gone', 'text-tools', 'wasi-env']);
    expect(o.outcomes).toContain('denied');
    expect(o.outcomes).toContain('trap-ish');
  });
});
