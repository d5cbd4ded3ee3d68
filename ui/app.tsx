// The approvals UI's container: polls the data port, rings the bell for new requests, turns keys into state
// changes (state.ts) and actions, and lays the pure views out in the terminal's size.
import { Box, useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../src/errors.js';
import { clamp } from './text.js';
import { initialState, reduceKey, type Action, type KeyPress, type UiState } from './state.js';
import type { DecisionOutcome, Snapshot, UiData } from './types.js';
import { AuditView } from './views/audit-view.js';
import { StatusLine, TabBar, keyHelp } from './views/chrome.js';
import { componentDetails, ComponentsView } from './views/components-view.js';
import { scrollLimit } from './views/list-detail.js';
import { canTrust, requestDetails } from './request-details.js';
import { Line } from './views/lines.js';
import { outcomeLine, PendingView } from './views/pending-view.js';
import { TrustView } from './views/trust-view.js';

export interface AppProps {
  data: UiData;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  /** How often to look for new requests and changes made by other processes. */
  pollMs?: number;
  /** Rings the terminal bell. */
  bell?: () => void;
  /** Requests the person has already seen (the pre-paint): only others ring the bell, even in the first snapshot. */
  alreadyShown?: readonly string[];
  /** Called after each applied snapshot (benchmarks, tests). */
  onSnapshot?: (s: Snapshot) => void;
  now?: () => number;
}

/** How far the opened details of the selected item can scroll, so scrolling back up answers at once. */
function maxScroll(state: UiState, s: Snapshot, width: number, height: number): number {
  if (!state.detail) return 0;
  const r = state.view === 'pending' ? s.pending[clamp(state.cursor.pending, s.pending.length)] : undefined;
  const c = state.view === 'components' ? s.components[clamp(state.cursor.components, s.components.length)] : undefined;
  const details = r ? requestDetails(r) : c ? componentDetails(c) : [];
  return scrollLimit(details, width, height);
}

/** One character of a chunk of typed keys. */
function charPress(c: string): KeyPress {
  return c === '\r' ? { input: '', return: true } : c === '\t' ? { input: '', tab: true } : { input: c };
}

const EMPTY: Snapshot = { pending: [], components: [], trust: [], audit: [] };

function useTerminalSize(fixed: AppProps['size']): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** A cheap identity of what a snapshot shows, so an unchanged poll does not re-render. */
function fingerprint(s: Snapshot): string {
  return [
    s.pending.map((r) => `${r.id}:${r.status}`).join(','),
    s.components.map((c) => `${c.id}:${c.digest}:${c.tools.length}:${c.grants.length}:${c.unavailable ?? ''}:${c.policyYaml.length}`).join(','),
    s.trust.map((r) => r.id).join(','),
    s.audit.length === 0 ? '' : `${s.audit[0]?.id}:${s.audit.length}:${s.audit.at(-1)?.id}`,
    s.starting === true ? 'starting' : '',
  ].join('|');
}

export function App(props: AppProps) {
  const { data, pollMs = 400 } = props;
  const { exit } = useApp();
  const size = useTerminalSize(props.size);
  const now = props.now ?? Date.now;
  const [snapshot, setSnapshot] = useState<Snapshot>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [state, setState] = useState<UiState>(initialState);
  const [status, setStatus] = useState<{ text: string; tone: 'plain' | 'bad' | 'held' | 'warn' }>({ text: 'Loading…', tone: 'plain' });
  const [busy, setBusy] = useState<string | undefined>();
  const [decisions, setDecisions] = useState<DecisionOutcome[]>([]);
  const [, setTick] = useState(0);

  const seen = useRef<Set<string> | undefined>(props.alreadyShown ? new Set(props.alreadyShown) : undefined);
  const print = useRef('');
  const stateRef = useRef(state);
  stateRef.current = state;
  const snapRef = useRef(snapshot);
  snapRef.current = snapshot;
  const refreshRef = useRef<() => void>(() => {});
  const loadedRef = useRef(false);

  // Polling: one snapshot at a time; a new request id rings the bell once (none for those there at start).
  useEffect(() => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let again = false;
    const tick = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      try {
        const s = await data.snapshot(stateRef.current.filter);
        if (stopped) return;
        const ids = s.pending.map((r) => r.id);
        const count = { text: `${ids.length} pending request${ids.length === 1 ? '' : 's'}`, tone: 'plain' } as const;
        if (seen.current === undefined) {
          seen.current = new Set(ids);
          setStatus(count);
        } else {
          const fresh = ids.filter((id) => !seen.current?.has(id));
          for (const id of fresh) {
            seen.current.add(id);
            props.bell?.();
          }
          if (fresh.length > 0) setStatus({ text: `${fresh.length} new request${fresh.length === 1 ? '' : 's'}`, tone: 'warn' });
          // After a pre-paint (ids already seen) nothing above replaced the start-up line.
          else if (!loadedRef.current) setStatus(count);
        }
        loadedRef.current = true;
        const f = fingerprint(s);
        if (f !== print.current) {
          print.current = f;
          setSnapshot(s);
        }
        setLoaded(true);
        props.onSnapshot?.(s);
      } catch (e) {
        if (!stopped) setStatus({ text: `cannot read the state: ${errorMessage(e)}`, tone: 'bad' });
      } finally {
        running = false;
      }
      if (stopped) return;
      if (again) {
        again = false;
        void tick();
      } else timer = setTimeout(() => void tick(), pollMs);
    };
    refreshRef.current = () => void tick();
    void tick();
    // Ages in the list move on even when nothing else changes.
    const clock = setInterval(() => setTick((n) => n + 1), 5000);
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(clock);
    };
  }, [data, pollMs]);

  const act = useCallback(
    (action: Action) => {
      switch (action.kind) {
        case 'quit':
          exit();
          return;
        case 'refresh':
          refreshRef.current();
          return;
        case 'say':
          setStatus({ text: action.text, tone: 'warn' });
          return;
        case 'decide': {
          if (busy !== undefined) {
            setStatus({ text: 'a decision is still being carried out; wait a moment', tone: 'warn' });
            return;
          }
          setBusy(action.id);
          setStatus({ text: `${action.choice === 'deny' ? 'denying' : 'approving'} ${action.id.slice(0, 8)}…`, tone: 'plain' });
          data
            .decide(action.id, action.choice)
            .then(
              (out) => {
                setDecisions((d) => [...d.slice(-49), out]);
                setStatus({ text: outcomeLine(out), tone: out.status === 'error' ? 'bad' : out.applied || out.status === 'denied' ? 'held' : 'warn' });
              },
              (e: unknown) => setStatus({ text: `not decided: ${errorMessage(e)}`, tone: 'bad' }),
            )
            .finally(() => {
              setBusy(undefined);
              refreshRef.current();
            });
          return;
        }
        case 'revoke':
          data
            .revokeTrust(action.id)
            .then(
              (text) => setStatus({ text, tone: 'held' }),
              (e: unknown) => setStatus({ text: `not revoked: ${errorMessage(e)}`, tone: 'bad' }),
            )
            .finally(() => refreshRef.current());
          return;
      }
    },
    [data, exit, busy],
  );

  const width = Math.max(20, size.columns);
  const bodyHeight = Math.max(3, size.rows - 1 - 3);
  useInput((input, key) => {
    const press: KeyPress = {
      input,
      up: key.upArrow,
      down: key.downArrow,
      pageUp: key.pageUp,
      pageDown: key.pageDown,
      tab: key.tab,
      shift: key.shift,
      return: key.return,
      escape: key.escape,
      ctrl: key.ctrl,
    };
    // Keys typed faster than a read arrive as one chunk ("jjj"): handle each.
    const presses = input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e\r\t]+$/.test(input) ? [...input].map(charPress) : [press];
    for (const p of presses) {
      const before = stateRef.current;
      const out = reduceKey(before, p, snapRef.current, Math.max(1, bodyHeight - 2));
      stateRef.current = { ...out.state, scroll: Math.min(out.state.scroll, maxScroll(out.state, snapRef.current, width, bodyHeight)) };
      if (out.state.confirmRevoke !== undefined) setStatus({ text: `Revoke trust rule ${out.state.confirmRevoke}? y/n`, tone: 'warn' });
      else if (before.confirmRevoke !== undefined && out.action?.kind !== 'revoke')
        setStatus({ text: `kept trust rule ${before.confirmRevoke}`, tone: 'plain' });
      if (out.action) act(out.action);
    }
    setState(stateRef.current);
  });

  // One row short of the terminal so Ink redraws in place instead of clearing the screen each frame.
  const body = (() => {
    if (!loaded) return <Line text="Reading the approval queue…" width={width} />;
    switch (state.view) {
      case 'pending':
        return (
          <PendingView
            requests={snapshot.pending}
            cursor={state.cursor.pending}
            open={state.detail}
            scroll={state.scroll}
            width={width}
            height={bodyHeight}
            now={now()}
            busy={busy}
            decisions={decisions}
          />
        );
      case 'components':
        return (
          <ComponentsView
            starting={snapshot.starting === true}
            components={snapshot.components}
            cursor={state.cursor.components}
            open={state.detail}
            scroll={state.scroll}
            width={width}
            height={bodyHeight}
          />
        );
      case 'trust':
        return <TrustView rules={snapshot.trust} cursor={state.cursor.trust} width={width} height={bodyHeight} />;
      case 'audit':
        return <AuditView entries={snapshot.audit} filter={state.filter} cursor={state.cursor.audit} width={width} height={bodyHeight} />;
    }
  })();
  const selected = snapshot.pending[clamp(state.cursor.pending, snapshot.pending.length)];
  return (
    <Box flexDirection="column" width={width} height={size.rows - 1} overflow="hidden">
      <TabBar view={state.view} snapshot={snapshot} width={width} />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {body}
      </Box>
      <StatusLine text={status.text} tone={status.tone} width={width} />
      <Line
        text={keyHelp(state.view, state.detail, state.confirmRevoke !== undefined, selected?.kind, selected ? canTrust(selected) : true)}
        width={width}
        tone="dim"
      />
    </Box>
  );
}
