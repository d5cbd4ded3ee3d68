// The time example's embedded zone table against Node's ICU (Intl.DateTimeFormat with timeZone), 2024-2027.
import { describe, expect, it } from 'vitest';
import { convertTime, currentTime, listTimeZones, zonedTime } from '../../examples/time/src/component.js';
import { ALIASES, ZONES, localToUtc, offsetAt, resolveZone } from '../../examples/time/src/tz.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2028, 0, 1);

const formats = new Map<string, Intl.DateTimeFormat>();
/** ICU's offset (minutes east of UTC) of `zone` at `ms`. */
function icuOffset(zone: string, ms: number): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((local - Math.floor(ms / 1000) * 1000) / MIN);
}

/** Instants where an offset function changes, found by scanning every 12 hours and bisecting to the minute. */
function transitions(offset: (ms: number) => number): number[] {
  const step = 12 * HOUR;
  const out: number[] = [];
  let prev = offset(FROM);
  for (let t = FROM + step; t < TO; t += step) {
    const cur = offset(t);
    if (cur === prev) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > MIN) {
      const mid = lo + Math.floor((hi - lo) / MIN / 2) * MIN;
      if (offset(mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push(hi);
    prev = cur;
  }
  return out;
}
const icuTransitions = (zone: string): number[] => transitions((t) => icuOffset(zone, t));

describe('time example zone table', () => {
  it('knows the zones ICU knows, and every alias points at a known zone', () => {
    const zones = Object.keys(ZONES);
    expect(zones.length).toBeGreaterThanOrEqual(70);
    for (const z of zones) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: z }), z).not.toThrow();
    for (const [alias, target] of Object.entries(ALIASES)) expect(ZONES[target], alias).toBeDefined();
    expect(resolveZone('europe/paris')).toBe('Europe/Paris');
    expect(resolveZone(' US/Eastern ')).toBe('America/New_York');
    expect(resolveZone('Mars/Olympus_Mons')).toBeUndefined();
  });

  it('agrees with ICU on the offset of every zone every 6 hours 7 minutes for four years, and at every transition', () => {
    const mismatches: string[] = [];
    for (const zone of Object.keys(ZONES)) {
      const probes: number[] = [];
      for (let t = FROM; t < TO; t += 6 * HOUR + 7 * MIN) probes.push(t);
      // Each transition, the minute before it and the minute after it.
      for (const t of icuTransitions(zone)) probes.push(t - MIN, t, t + MIN);
      for (const t of probes) {
        const ours = offsetAt(zone, t).offset;
        const icu = icuOffset(zone, t);
        if (ours !== icu) mismatches.push(`${zone} at ${new Date(t).toISOString()}: ours ${ours}, ICU ${icu}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('finds the same transitions as ICU (so a zone with DST really switches)', () => {
    const ours = (zone: string): number[] => transitions((t) => offsetAt(zone, t).offset);
    for (const zone of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Pacific/Auckland', 'America/Santiago', 'Asia/Jerusalem', 'Africa/Cairo']) {
      const icu = icuTransitions(zone);
      expect(icu.length, zone).toBe(8);
      expect(ours(zone), zone).toEqual(icu);
    }
    expect(icuTransitions('Asia/Tokyo')).toEqual([]);
  });

  it('turns local times into instants: round trips, the repeated hour takes the earlier one, the skipped hour moves forward', () => {
    for (const zone of ['America/Los_Angeles', 'Europe/London', 'Australia/Adelaide', 'Asia/Kathmandu']) {
      for (let t = FROM; t < TO; t += 7 * HOUR + 3 * MIN) {
        const local = t + offsetAt(zone, t).offset * MIN;
        const back = localToUtc(zone, local);
        // Only the repeated hour may map back to the other (earlier) instant.
        if (back !== t) expect(back + HOUR, `${zone} ${new Date(t).toISOString()}`).toBe(t);
      }
    }
    // 2026-11-01 01:30 happens twice in New York: the earlier is EDT (05:30Z).
    expect(convertTime('2026-11-01T01:30', 'America/New_York', 'UTC').utc).toBe('2026-11-01T05:30:00Z');
    // 2026-03-08 02:30 does not exist in New York: it is read as 03:30 EDT (07:30Z).
    expect(convertTime('2026-03-08T02:30', 'America/New_York', 'UTC').utc).toBe('2026-03-08T07:30:00Z');
  });

  it('converts between zones and formats the record', () => {
    expect(convertTime('2026-07-01T09:30', 'America/Chicago', 'Europe/Berlin')).toEqual({
      zone: 'Europe/Berlin',
      local: '2026-07-01T16:30:00',
      offset: '+02:00',
      utc: '2026-07-01T14:30:00Z',
      weekday: 'Wednesday',
      daylightSaving: true,
    });
    expect(convertTime('2026-01-15T12:00:00+05:30', null, 'Asia/Kathmandu')).toMatchObject({ local: '2026-01-15T12:15:00', offset: '+05:45' });
    expect(convertTime('2026-01-15T23:00Z', undefined, 'Pacific/Kiritimati')).toMatchObject({ local: '2026-01-16T13:00:00', weekday: 'Friday' });
    expect(zonedTime('UTC', Date.UTC(2024, 1, 29, 8, 5, 9))).toMatchObject({ local: '2024-02-29T08:05:09', offset: '+00:00', daylightSaving: false });
  });

  it('explains bad input instead of guessing', () => {
    expect(() => convertTime('2026-02-30T10:00', 'UTC', 'UTC')).toThrow(/not a valid date/);
    expect(() => convertTime('tomorrow at noon', 'UTC', 'UTC')).toThrow(/cannot read/);
    expect(() => convertTime('2026-02-10T10:00', null, 'UTC')).toThrow(/from-zone/);
    expect(() => convertTime('2026-02-10T10:00Z', null, 'Nowhere/City')).toThrow(/unknown time zone "Nowhere\/City"/);
  });

  it('reads the clock for the current time', () => {
    const before = Date.now();
    const now = currentTime(null);
    expect(now.zone).toBe('UTC');
    expect(Math.abs(Date.parse(now.utc) - before)).toBeLessThan(5_000);
    expect(currentTime('Asia/Tokyo').offset).toBe('+09:00');
    expect(listTimeZones()).toContain('America/Sao_Paulo');
  });
});
