// Pure: the approvals UI's navigation state and what each key does to it (moving, switching views, opening
// details, filtering, confirming) and which action it asks for (decide, revoke, quit). The app carries actions out.
import { clamp } from './text.js';
import { VIEWS, type AuditFilter, type Choice, type Snapshot, type ViewName } from './types.js';

export interface UiState {
  view: ViewName;
  cursor: Record<ViewName, number>;
  /** The selected item's full details fill the body (pending requests and components). */
  detail: boolean;
  /** First visible line of the full details. */
  scroll: number;
  /** A trust rule waiting for y/n before it is revoked. */
  confirmRevoke?: string;
  filter: AuditFilter;
}

/** A key as Ink reports it, reduced to what the UI uses. */
export interface KeyPress {
  input: string;
  up?: boolean;
  down?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  tab?: boolean;
  shift?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
}

export type Action =
  | { kind: 'decide'; id: string; choice: Choice }
  | { kind: 'revoke'; id: string }
  | { kind: 'quit' }
  | { kind: 'refresh' }
  /** Tell the user something (a key that does not apply here). */
  | { kind: 'say'; text: string };

export const initialState = (): UiState => ({
  view: 'pending',
  cursor: { pending: 0, components: 0, trust: 0, audit: 0 },
  detail: false,
  scroll: 0,
  filter: {},
});

/** Outcomes offered by the audit filter besides those seen in the log. */
export const AUDIT_OUTCOMES = ['ok', 'error', 'denied', 'timeout', 'trap', 'granted', 'revoked', 'pending', 'approved'];

function countOf(view: ViewName, s: Snapshot): number {
  return view === 'pending' ? s.pending.length : view === 'components' ? s.components.length : view === 'trust' ? s.trust.length : s.audit.length;
}

/** The next value in `options` after `current` (undefined, meaning all, comes first and after the last). */
function cycle(options: readonly string[], current: string | undefined): string | undefined {
  if (options.length === 0) return undefined;
  const i = current === undefined ? -1 : options.indexOf(current);
  return i + 1 >= options.length ? undefined : options[i + 1];
}

/** The choices the audit filter cycles through: components known or seen, outcomes known or seen. */
export function filterOptions(s: Snapshot, filter: AuditFilter): { components: string[]; outcomes: string[] } {
  const components = new Set(s.components.map((c) => c.id));
  for (const e of s.audit) if (e.componentId) components.add(e.componentId);
  if (filter.componentId) components.add(filter.componentId);
  const outcomes = new Set(AUDIT_OUTCOMES);
  for (const e of s.audit) outcomes.add(e.outcome);
  return { components: [...components].sort(), outcomes: [...outcomes] };
}

function withFilter(state: UiState, filter: AuditFilter): { state: UiState; action: Action } {
  return { state: { ...state, filter, cursor: { ...state.cursor, audit: 0 } }, action: { kind: 'refresh' } };
}

/** What a key does. `page` is how many rows a page-up/down moves. */
export function reduceKey(state: UiState, key: KeyPress, s: Snapshot, page = 10): { state: UiState; action?: Action } {
  const view = state.view;
  if (state.confirmRevoke !== undefined) {
    const id = state.confirmRevoke;
    const next = { ...state, confirmRevoke: undefined } as UiState;
    delete next.confirmRevoke;
    return key.input === 'y' || key.input === 'Y' ? { state: next, action: { kind: 'revoke', id } } : { state: next };
  }
  if (key.input === 'q' || (key.ctrl && key.input === 'c')) return { state, action: { kind: 'quit' } };

  const switchTo = (v: ViewName): { state: UiState } => ({ state: { ...state, view: v, detail: false, scroll: 0 } });
  if (key.tab) {
    const i = VIEWS.indexOf(view);
    return switchTo(VIEWS[(i + (key.shift ? VIEWS.length - 1 : 1)) % VIEWS.length]!);
  }
  const n = '1234'.indexOf(key.input);
  if (key.input !== '' && n >= 0) return switchTo(VIEWS[n]!);

  const count = countOf(view, s);
  const cursor = clamp(state.cursor[view], count);
  const delta = key.up || key.input === 'k' ? -1 : key.down || key.input === 'j' ? 1 : key.pageUp ? -page : key.pageDown ? page : 0;
  if (delta !== 0) {
    if (state.detail) return { state: { ...state, scroll: Math.max(0, state.scroll + delta) } };
    return { state: { ...state, cursor: { ...state.cursor, [view]: clamp(cursor + delta, count) } } };
  }
  if (state.detail && (key.escape || key.return)) return { state: { ...state, detail: false, scroll: 0 } };

  switch (view) {
    case 'pending': {
      const r = s.pending[cursor];
      if (!r) return { state };
      if (key.return) return { state: { ...state, detail: true, scroll: 0 } };
      const grant = r.kind === 'grant';
      if (key.input === 't' && grant) return { state, action: { kind: 'say', text: 'a grant is approved always (a) or for this session (s); t trusts loads' } };
      if (key.input === 's' && !grant) return { state, action: { kind: 'say', text: 'a load is approved once (a) or with trust (t); s scopes grants' } };
      const choice: Choice | undefined =
        key.input === 'a' ? 'approve' : key.input === 't' ? 'trust' : key.input === 's' ? 'session' : key.input === 'd' ? 'deny' : undefined;
      if (choice) return { state: { ...state, detail: false, scroll: 0 }, action: { kind: 'decide', id: r.id, choice } };
      return { state };
    }
    case 'components':
      if (key.return && count > 0) return { state: { ...state, detail: true, scroll: 0 } };
      return { state };
    case 'trust': {
      const rule = s.trust[cursor];
      if (rule && (key.input === 'r' || key.input === 'x')) return { state: { ...state, confirmRevoke: rule.id } };
      return { state };
    }
    case 'audit': {
      const opts = filterOptions(s, state.filter);
      if (key.input === 'c') return withFilter(state, withKey(state.filter, 'componentId', cycle(opts.components, state.filter.componentId)));
      if (key.input === 'o') return withFilter(state, withKey(state.filter, 'outcome', cycle(opts.outcomes, state.filter.outcome)));
      if (key.input === 'x' || key.escape) return withFilter(state, {});
      return { state };
    }
  }
}

function withKey(f: AuditFilter, k: keyof AuditFilter, v: string | undefined): AuditFilter {
  const out = { ...f };
  if (v === undefined) delete out[k];
  else out[k] = v;
  return out;
}
