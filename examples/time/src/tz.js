// Offset arithmetic on the generated zone table (zone-data.js): binary search in transitions, then a yearly rule.
//
// A component gets the wall clock from WASI but no zone database, so the zones travel inside it. zone-data.js is
// made from Node's ICU by scripts/examples/time-zone-data.ts: every offset change of every zone from 1970 to the end
// of 2037, and, for zones whose last years repeat a yearly daylight-saving pattern, that pattern as a tzdb-style rule
// (month, "lastSun" / "Sun>=8", local wall-clock time). The rule takes over from the first transition it reproduces
// (the table stores none after that) and continues after 2037. A zone without such a pattern keeps its last offset.
// Instants before 1970 use the 1970 offset.
import { ALIASES, TABLE_END, TABLES, ZONES } from './zone-data.js';

export { ALIASES, TABLE_END, ZONES };

const DAY_S = 86_400;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LOWER = new Map([...Object.keys(ZONES), ...Object.keys(ALIASES)].map((z) => [z.toLowerCase(), z]));

/** The canonical zone name for `name` (case-insensitive, aliases resolved), or undefined when unknown. */
export function resolveZone(name) {
  const exact = LOWER.get(String(name).trim().toLowerCase());
  if (exact === undefined) return undefined;
  return ALIASES[exact] ?? exact;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y, m, d) {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
export function civilFromDays(z) {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(y, m) {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** Day of the month a tzdb day spec ("lastSun", "Sun>=8") names in year `y`. */
export function ruleDay(y, m, spec) {
  const weekdayOf = (d) => (((daysFromCivil(y, m, d) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  if (spec.startsWith('last')) {
    const want = WEEKDAYS.indexOf(spec.slice(4));
    let d = daysInMonth(y, m);
    while (weekdayOf(d) !== want) d--;
    return d;
  }
  const [name, from] = spec.split('>=');
  const want = WEEKDAYS.indexOf(name);
  let d = Number(from);
  while (weekdayOf(d) !== want) d++;
  return d;
}

/**
 * UTC seconds of a rule's transition in year `y`: `at` is seconds after local midnight on the wall clock in force
 * just before it (`before`, seconds east of UTC); it may be 86400 or more (tzdb's "lastThu 24:00").
 */
export function ruleTransition(y, month, spec, at, before) {
  return daysFromCivil(y, month, ruleDay(y, month, spec)) * DAY_S + at - before;
}

const decoded = new Map();

/** A zone's table, decoded on first use: period offsets and DST flags, transition instants, the rule after 2037. */
function table(zone) {
  let t = decoded.get(zone);
  if (t !== undefined) return t;
  const [periodText, transitionText, ruleText] = TABLES[ZONES[zone]].split(';');
  const periods = periodText.split(',').map((p) => ({ offset: Number.parseInt(p, 36), dst: p.endsWith('*') }));
  const tokens = transitionText === '' ? [] : transitionText.split(' ');
  const at = new Float64Array(tokens.length);
  const to = new Uint8Array(tokens.length);
  let s = 0;
  tokens.forEach((tok, i) => {
    s += Number.parseInt(tok.slice(0, -1), 36);
    at[i] = s;
    to[i] = Number.parseInt(tok.slice(-1), 36);
  });
  let rule;
  if (ruleText) {
    const [std, dst, sm, sd, sa, em, ed, ea, from] = ruleText.split(',');
    rule = {
      std: periods[Number(std)],
      dst: periods[Number(dst)],
      start: { month: Number(sm), day: sd, at: Number.parseInt(sa, 36) },
      end: { month: Number(em), day: ed, at: Number.parseInt(ea, 36) },
      from: Number.parseInt(from, 36),
    };
  }
  t = { periods, at, to, rule };
  decoded.set(zone, t);
  return t;
}

/** The period of a zone's rule at UTC second `s` (once the rule has taken over from the table). */
function rulePeriod(rule, s) {
  const y = civilFromDays(Math.floor((s + rule.std.offset) / DAY_S)).year;
  const start = ruleTransition(y, rule.start.month, rule.start.day, rule.start.at, rule.std.offset);
  const end = ruleTransition(y, rule.end.month, rule.end.day, rule.end.at, rule.dst.offset);
  const dst = start < end ? s >= start && s < end : s >= start || s < end;
  return dst ? rule.dst : rule.std;
}

/** `{offset, dst}` (offset in seconds east of UTC) of a known zone at a UTC instant in milliseconds. */
export function offsetAt(zone, ms) {
  const { periods, at, to, rule } = table(zone);
  const s = Math.floor(ms / 1000);
  if (rule !== undefined && s >= rule.from) return rulePeriod(rule, s);
  // The last transition at or before s.
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid] <= s) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? periods[0] : periods[to[lo - 1]];
}

/**
 * The UTC instant (ms) of a local wall-clock time (ms as if the local time were UTC) in a zone. A time that happens
 * twice (clocks going back) is the earlier instant; a time skipped by clocks going forward moves forward by the gap,
 * as Temporal's "compatible" disambiguation does.
 */
export function localToUtc(zone, localMs) {
  // Any offset that could apply lies within a day and a half either side (no zone is more than 26 hours from UTC).
  const offsets = [...new Set([-1.5, 0, 1.5].map((d) => offsetAt(zone, localMs + d * DAY_S * 1000).offset))];
  const valid = offsets.map((o) => localMs - o * 1000).filter((u) => offsetAt(zone, u).offset * 1000 === localMs - u);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: read the time with the offset in force before the gap, which lands after it.
  const earliest = localMs - Math.max(...offsets) * 1000;
  return localMs - offsetAt(zone, earliest).offset * 1000;
}

/** `+05:30` style offset text of seconds east of UTC (`-00:44:30` when there are seconds). */
export function formatOffset(seconds) {
  const sign = seconds < 0 ? '-' : '+';
  const a = Math.abs(seconds);
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${sign}${pad(Math.floor(a / 3600))}:${pad(Math.floor(a / 60) % 60)}`;
  return a % 60 === 0 ? text : `${text}:${pad(a % 60)}`;
}
