// Writes examples/time/src/zone-data.js: every zone Node's ICU knows, as offset transitions 1970-2037 plus a yearly rule.
// Usage: tsx scripts/examples/time-zone-data.ts [out.js]   (rerun when Node's ICU time-zone data changes)
//
// ICU is the authority for offsets; names come from Intl.supportedValuesOf, the tzdb names in the system's
// tzdata.zi (when there is one) and a few hand-picked aliases, keeping those ICU accepts. Zones ICU treats as one
// are one zone here, named by its IANA primary name (Asia/Kolkata, not CLDR's Asia/Calcutta).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { civilFromDays, daysInMonth, ruleTransition } from '../../examples/time/src/tz.js';

export const START = Date.UTC(1970, 0, 1) / 1000;
export const END = Date.UTC(2038, 0, 1) / 1000;
/** Zones whose last years follow no yearly rule (Morocco's and Palestine's Ramadan breaks) are tabled this far. */
export const LONG_END = Date.UTC(2100, 0, 1) / 1000;
const DAY = 86_400;
const TZDATA = '/usr/share/zoneinfo/tzdata.zi';
const EXTRA = ['UTC', 'GMT', 'Zulu', 'Etc/UTC', 'Etc/GMT', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Greenwich'];
for (let h = -14; h <= 12; h++) if (h !== 0) EXTRA.push(`Etc/GMT${h > 0 ? '+' : ''}${h}`);

/** ICU's offset (seconds east of UTC) of `zone` at UTC second `s`, read from its "GMT+05:30" style name. */
export function icuOffsetFn(zone: string): (s: number) => number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  // format() then a regex on its end is five times faster than formatToParts().
  return (s) => {
    const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(f.format(s * 1000));
    if (!m) return 0;
    const v = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -v : v;
  };
}

interface Period {
  offset: number;
  dst: boolean;
}

/** Offset changes of a zone between START and END: scanned daily, then bisected to the second. */
function scan(zone: string, end: number): { first: number; changes: { at: number; offset: number }[] } {
  const off = icuOffsetFn(zone);
  const changes: { at: number; offset: number }[] = [];
  const first = off(START);
  let prev = first;
  for (let t = START + DAY; t < end + DAY; t += DAY) {
    const cur = off(Math.min(t, end - 1));
    if (cur === prev) continue;
    let lo = t - DAY;
    let hi = Math.min(t, end - 1);
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (off(mid) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, offset: cur });
    prev = cur;
  }
  return { first, changes };
}

/** Daylight-saving flag of each period: ICU's name says summer/daylight, or it is a short rise that falls back. */
function flags(zone: string, first: number, changes: { at: number; offset: number }[]): boolean[] {
  const names = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' });
  const starts = [START, ...changes.map((c) => c.at)];
  const offsets = [first, ...changes.map((c) => c.offset)];
  return offsets.map((o, i) => {
    const name = names.formatToParts(((starts[i] as number) + 3600) * 1000).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/summer|daylight/i.test(name)) return true;
    const before = offsets[i - 1];
    const after = offsets[i + 1];
    const next = starts[i + 1];
    return before !== undefined && before === after && o > before && next !== undefined && next - (starts[i] as number) < 250 * DAY;
  });
}

interface Rule {
  std: number;
  dst: number;
  start: { month: number; day: string; at: number };
  end: { month: number; day: string; at: number };
}
const WD = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The tzdb-style month/day/time shared by transitions (local wall time before each), or undefined. */
function fit(instants: { at: number; before: number }[], shift: number): { month: number; day: string; at: number } | undefined {
  const seen = instants.map(({ at, before }) => {
    const local = at + before - shift;
    const days = Math.floor(local / DAY);
    return { ...civilFromDays(days), weekday: (((days + 4) % 7) + 7) % 7, sod: local - days * DAY + shift };
  });
  const a = seen[0];
  if (a === undefined || seen.some((x) => x.month !== a.month || x.sod !== a.sod || x.weekday !== a.weekday)) return undefined;
  if (seen.every((x) => x.day > daysInMonth(x.year, x.month) - 7)) return { month: a.month, day: `last${WD[a.weekday]}`, at: a.sod };
  const lo = Math.max(...seen.map((x) => x.day)) - 6;
  const hi = Math.min(...seen.map((x) => x.day));
  if (lo > hi) return undefined;
  const n = [1, 8, 15, 22].find((d) => d >= lo && d <= hi) ?? hi;
  return { month: a.month, day: `${WD[a.weekday]}>=${n}`, at: a.sod };
}

/** A yearly two-transition rule reproducing the zone's last ten years, or undefined when they have no such rhythm. */
function inferRule(periods: Period[], transitions: { at: number; to: number }[]): Rule | undefined {
  const from = Date.UTC(2028, 0, 1) / 1000;
  const recent = transitions.filter((t) => t.at >= from);
  if (recent.length !== 20) return undefined;
  const toDst = recent.filter((t) => periods[t.to]?.dst);
  const toStd = recent.filter((t) => !periods[t.to]?.dst);
  const dstIdx = toDst[0]?.to;
  const stdIdx = toStd[0]?.to;
  if (dstIdx === undefined || stdIdx === undefined || toDst.length !== 10 || toStd.some((t) => t.to !== stdIdx) || toDst.some((t) => t.to !== dstIdx))
    return undefined;
  const std = (periods[stdIdx] as Period).offset;
  const dst = (periods[dstIdx] as Period).offset;
  const start = [0, DAY]
    .map((sh) =>
      fit(
        toDst.map((t) => ({ at: t.at, before: std })),
        sh,
      ),
    )
    .find(Boolean);
  const end = [0, DAY]
    .map((sh) =>
      fit(
        toStd.map((t) => ({ at: t.at, before: dst })),
        sh,
      ),
    )
    .find(Boolean);
  if (!start || !end) return undefined;
  const rule = { std: stdIdx, dst: dstIdx, start, end };
  return recent.every((t, i) => follows(rule, periods, t, recent[i + 1])) ? rule : undefined;
}

/** Whether transition `t` happens when `rule` says, and `next` (if any) is the rule's very next transition. */
function follows(rule: Rule, periods: Period[], t: { at: number; to: number }, next?: { at: number; to: number }): boolean {
  const std = (periods[rule.std] as Period).offset;
  const dst = (periods[rule.dst] as Period).offset;
  const when = (y: number, toDst: boolean): number => {
    const r = toDst ? rule.start : rule.end;
    return ruleTransition(y, r.month, r.day, r.at, toDst ? std : dst);
  };
  if (t.to !== rule.std && t.to !== rule.dst) return false;
  const y = civilFromDays(Math.floor((t.at + std) / DAY)).year;
  if (when(y, t.to === rule.dst) !== t.at) return false;
  if (next === undefined) return true;
  const following = [y, y + 1].map((yy) => when(yy, t.to !== rule.dst)).filter((a) => a > t.at);
  return next.to !== t.to && next.at === Math.min(...following);
}

/** Index of the first transition from which every later one follows the rule (so the table can stop there). */
function ruleFrom(rule: Rule, periods: Period[], transitions: { at: number; to: number }[]): number {
  let k = transitions.length;
  while (k > 0 && follows(rule, periods, transitions[k - 1] as { at: number; to: number }, transitions[k])) k--;
  return k;
}

/** One zone's table text: "periods;transitions;rule" (see tz.js for the reading side). */
export function encode(zone: string, end = END): string {
  const { first, changes } = scan(zone, end);
  const dst = flags(zone, first, changes);
  const all = [first, ...changes.map((c) => c.offset)].map((offset, i) => ({ offset, dst: dst[i] as boolean }));
  const periods: Period[] = [];
  const index = all.map((p) => {
    let i = periods.findIndex((q) => q.offset === p.offset && q.dst === p.dst);
    if (i < 0) i = periods.push(p) - 1;
    return i;
  });
  if (periods.length > 36) throw new Error(`${zone}: more than 36 distinct offsets`);
  const transitions = changes.map((c, i) => ({ at: c.at, to: index[i + 1] as number }));
  const rule = inferRule(periods, transitions);
  if (!rule && end === END && transitions.some((t) => t.at >= Date.UTC(2028, 0, 1) / 1000)) return encode(zone, LONG_END);
  // Transitions the rule reproduces are left out: the table stops where the rule takes over.
  const k = rule ? ruleFrom(rule, periods, transitions) : transitions.length;
  let prev = START;
  const tokens = transitions.slice(0, k).map((t) => {
    const tok = `${(t.at - prev).toString(36)}${t.to.toString(36)}`;
    prev = t.at;
    return tok;
  });
  // The period in force in 1970 goes first (index 0).
  const periodText = periods.map((p) => `${p.offset.toString(36)}${p.dst ? '*' : ''}`).join(',');
  const ruleText = rule
    ? [
        rule.std,
        rule.dst,
        rule.start.month,
        rule.start.day,
        rule.start.at.toString(36),
        rule.end.month,
        rule.end.day,
        rule.end.at.toString(36),
        (transitions[k] as { at: number }).at.toString(36),
      ].join(',')
    : '';
  return `${periodText};${tokens.join(' ')};${ruleText}`;
}

function candidateNames(): string[] {
  const names = new Set<string>([...Intl.supportedValuesOf('timeZone'), ...EXTRA]);
  if (existsSync(TZDATA)) {
    for (const line of readFileSync(TZDATA, 'utf8').split('\n')) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'Z' && a) names.add(a);
      if (kind === 'L' && b) names.add(b);
    }
  }
  return [...names].sort();
}

/** IANA primary zone names (tzdata.zi's Z lines), to prefer over CLDR's older canonical ones. */
function primaryNames(): Set<string> {
  if (!existsSync(TZDATA)) return new Set();
  const zoneTab = existsSync('/usr/share/zoneinfo/zone1970.tab') ? readFileSync('/usr/share/zoneinfo/zone1970.tab', 'utf8') : '';
  const inTab = new Set(zoneTab.split('\n').map((l) => l.split('\t')[2]));
  const z = readFileSync(TZDATA, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Z '))
    .map((l) => l.split(' ')[1] as string);
  return new Set([...z.filter((n) => inTab.has(n)), ...z]);
}

export function generate(): string {
  const groups = new Map<string, string[]>();
  for (const name of candidateNames()) {
    let canonical: string;
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      continue; // ICU does not know it
    }
    groups.set(canonical, [...(groups.get(canonical) ?? []), name]);
  }
  const primary = primaryNames();
  const tables: string[] = [];
  const zones: [string, number][] = [];
  const aliases: [string, string][] = [];
  for (const [canonical, members] of groups) {
    // The set lists zone1970.tab's names first, so a zone ICU merged (Asia/Calcutta) gets its current name.
    const name = canonical === 'UTC' || primary.has(canonical) ? canonical : ([...primary].find((p) => members.includes(p)) ?? canonical);
    const text = encode(canonical);
    let i = tables.indexOf(text);
    if (i < 0) i = tables.push(text) - 1;
    zones.push([name, i]);
    for (const m of members) if (m !== name) aliases.push([m, name]);
  }
  zones.sort((a, b) => a[0].localeCompare(b[0]));
  aliases.sort((a, b) => a[0].localeCompare(b[0]));
  const q = (s: string): string => `'${s}'`;
  // Keys quoted only where JavaScript needs it, as the formatter writes them, so the file regenerates unchanged.
  const key = (s: string): string => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : q(s));
  return [
    `// Generated by scripts/examples/time-zone-data.ts from Node ${process.version}'s ICU (tz ${process.versions.tz}); do not edit.`,
    '// TABLES[i] is "periods;transitions;rule": periods are offsets in base-36 seconds (* = daylight saving), the',
    '// first in force on 1970-01-01; each transition is base-36 seconds since the previous one (since 1970) and the',
    '// index of the period it starts; rule is std,dst,month,day,at,month,day,at,from (at = base-36 local seconds): it',
    '// gives the offset from UTC second `from` (base 36) on, where the transitions stop.',
    `export const TZ_VERSION = '${process.versions.tz}';`,
    `export const TABLE_END = ${END};`,
    `export const TABLES = [\n${tables.map((t) => `  ${q(t)},`).join('\n')}\n];`,
    `export const ZONES = {\n${zones.map(([n, i]) => `  ${key(n)}: ${i},`).join('\n')}\n};`,
    `export const ALIASES = {\n${aliases.map(([a, n]) => `  ${key(a)}: ${q(n)},`).join('\n')}\n};`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? fileURLToPath(new URL('../../examples/time/src/zone-data.js', import.meta.url));
  const t0 = Date.now();
  const text = generate();
  writeFileSync(out, text);
  process.stderr.write(`wrote ${out} (${text.length} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
