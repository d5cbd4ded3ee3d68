// The time example's generated zone table against Node's ICU (Intl.DateTimeFormat with timeZone), every zone, 1970-2050.
import { describe, expect, it } from 'vitest';
import { convertTime, currentTime, listTimeZones, zonedTime } from '../../examples/time/src/component.js';
import { ALIASES, ZONES, localToUtc, offsetAt, resolveZone } from '../../examples/time/src/tz.js';
import { TABLES, TZ_VERSION } from '../../examples/time/src/zone-data.js';
import { START, encode, icuOffsetFn } from '../../scripts/examples/time-zone-data.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const BEYOND = Date.UTC(2051, 0, 1);
const REGENERATE = `zone-data.js was made from ICU tz ${TZ_VERSION}, this Node has ${process.versions.tz}: rerun scripts/examples/time-zone-data.ts`;

const canonical = (zone: string): string => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;

/** The instants (UTC ms) of a zone's table transitions, read back through offsetAt: where the offset changes. */
function ourTransitions(zone: string, from: number, to: number, step: number): number[] {
  const out: number[] = [];
  let prev = offsetAt(zone, from).offset;
  for (let t = from + step; t < to; t += step) {
    const cur = offsetAt(zone, t).offset;
    if (cur === prev) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(zone, mid).offset === prev) lo = mid;
      else hi = mid;
    }
    out.push(hi);
    prev = cur;
  }
  return out;
}

describe('time example zone table', () => {
  it('knows every zone ICU knows, by its own name and its aliases, and names no zone ICU does not know', () => {
    const icuZones = Intl.supportedValuesOf('timeZone');
    const extras = ['UTC', 'GMT', 'Etc/UTC', 'Etc/GMT+5', 'Etc/GMT-14', 'Asia/Calcutta', 'Asia/Kolkata', 'US/Eastern', 'Europe/Kiev', 'America/Buenos_Aires'];
    for (const name of [...icuZones, ...extras]) {
      const ours = resolveZone(name);
      expect(ours, name).toBeDefined();
      expect(canonical(ours as string), name).toBe(canonical(name));
    }
    for (const [alias, target] of Object.entries(ALIASES)) expect(canonical(alias), alias).toBe(canonical(target));
    expect(new Set(Object.keys(ZONES).map(canonical)).size).toBe(Object.keys(ZONES).length);
    expect(Object.keys(ZONES).length).toBeGreaterThanOrEqual(icuZones.length);
    expect(resolveZone('europe/paris')).toBe('Europe/Paris');
    expect(resolveZone(' US/Eastern ')).toBe('America/New_York');
    expect(resolveZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(resolveZone('Mars/Olympus_Mons')).toBeUndefined();
  });

  it('agrees with ICU on every zone: every 9 days (at varying hours) 1970-2050, and a second either side of each change', () => {
    const mismatches: string[] = [];
    for (const zone of Object.keys(ZONES)) {
      const icu = icuOffsetFn(zone);
      const probes: number[] = [];
      for (let t = START * 1000; t < BEYOND; t += 9 * DAY + 5 * HOUR + 17 * MIN) probes.push(t);
      for (const t of ourTransitions(zone, START * 1000, BEYOND, 4 * DAY)) probes.push(t - 1000, t);
      for (const t of probes) {
        const ours = offsetAt(zone, t).offset;
        const theirs = icu(Math.floor(t / 1000));
        if (ours !== theirs) mismatches.push(`${zone} at ${new Date(t).toISOString()}: ours ${ours} s, ICU ${theirs} s`);
      }
    }
    expect(mismatches.slice(0, 10), REGENERATE).toEqual([]);
  });

  it('has the zones the old 114-zone table refused, with their odd rules', () => {
    const at = (zone: string, iso: string) => zonedTime(zone, Date.parse(iso));
    // Morocco leaves +01 for Ramadan: 2026-02-15 .. 2026-03-22 (ICU's dates).
    expect(at('Africa/Casablanca', '2026-03-01T12:00Z')).toMatchObject({ offset: '+00:00', daylightSaving: false });
    expect(at('Africa/Casablanca', '2026-06-01T12:00Z')).toMatchObject({ offset: '+01:00', daylightSaving: false });
    expect(at('Africa/Casablanca', '2040-06-01T12:00Z').offset).toBe('+01:00');
    // Lord Howe Island moves its clocks by half an hour.
    expect(at('Australia/Lord_Howe', '2026-01-15T00:00Z')).toMatchObject({ offset: '+11:00', daylightSaving: true });
    expect(at('Australia/Lord_Howe', '2026-07-15T00:00Z')).toMatchObject({ offset: '+10:30', daylightSaving: false });
    expect(at('Pacific/Chatham', '2026-01-15T00:00Z')).toMatchObject({ offset: '+13:45', daylightSaving: true });
    expect(at('Africa/Monrovia', '1971-06-01T00:00Z').offset).toBe('-00:44:30');
    expect(at('Etc/GMT+5', '2026-06-01T00:00Z').offset).toBe('-05:00');
    expect(at('Europe/Dublin', '2026-07-01T00:00Z')).toMatchObject({ offset: '+01:00', daylightSaving: true });
    expect(at('Europe/Berlin', '2045-07-01T00:00Z')).toMatchObject({ offset: '+02:00', daylightSaving: true });
    expect(at('America/New_York', '2045-01-01T00:00Z')).toMatchObject({ offset: '-05:00', daylightSaving: false });
  });

  it('flags daylight saving wherever ICU names the time summer or daylight time, in January and July 2026', () => {
    const missed: string[] = [];
    for (const zone of Object.keys(ZONES)) {
      const names = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' });
      for (const t of [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)]) {
        const says = /summer|daylight/i.test(names.format(t));
        if (says && !offsetAt(zone, t).dst) missed.push(`${zone} ${new Date(t).toISOString()}`);
      }
    }
    expect(missed).toEqual([]);
    expect(offsetAt('Europe/Berlin', Date.UTC(2026, 0, 15)).dst).toBe(false);
    expect(offsetAt('Asia/Tokyo', Date.UTC(2026, 6, 15)).dst).toBe(false);
  });

  it('is what the generator makes from this ICU now (for a sample of zones; the full run takes 15 s)', () => {
    for (const zone of [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'Asia/Kolkata',
      'America/Santiago',
      'Africa/Cairo',
      'Asia/Tokyo',
    ]) {
      expect(encode(zone), `${zone}: ${REGENERATE}`).toBe(TABLES[ZONES[zone] as number]);
    }
  });

  it('stays small: one table per distinct history', () => {
    expect(TABLES.length).toBeLessThan(Object.keys(ZONES).length);
    expect(TABLES.join('').length).toBeLessThan(200_000);
  });

  it('turns local times into instants: round trips, a repeated time takes the earlier moment, a skipped one moves forward', () => {
    for (const zone of ['America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe', 'Africa/Casablanca', 'Pacific/Chatham', 'Asia/Kathmandu']) {
      for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2045, 0, 1); t += 7 * HOUR + 3 * MIN) {
        const local = t + offsetAt(zone, t).offset * 1000;
        const back = localToUtc(zone, local);
        // Only a repeated local time may map back to another instant, and that one is earlier and reads the same.
        if (back !== t) {
          expect(back, `${zone} ${new Date(t).toISOString()}`).toBeLessThan(t);
          expect(back + offsetAt(zone, back).offset * 1000).toBe(local);
        }
      }
    }
    // 2026-11-01 01:30 happens twice in New York: the earlier is EDT (05:30Z).
    expect(convertTime('2026-11-01T01:30', 'America/New_York', 'UTC').utc).toBe('2026-11-01T05:30:00Z');
    // 2026-03-08 02:30 does not exist in New York: it is read as 03:30 EDT (07:30Z).
    expect(convertTime('2026-03-08T02:30', 'America/New_York', 'UTC').utc).toBe('2026-03-08T07:30:00Z');
    // Lord Howe skips 02:00-02:30 on 2026-10-04: 02:15 is read as 02:45 (+11:00).
    expect(convertTime('2026-10-04T02:15', 'Australia/Lord_Howe', 'Australia/Lord_Howe').local).toBe('2026-10-04T02:45:00');
    // Casablanca repeats 02:00-03:00 on 2026-02-15 (+01 -> +00): the earlier reading is +01.
    expect(convertTime('2026-02-15T02:30', 'Africa/Casablanca', 'UTC').utc).toBe('2026-02-15T01:30:00Z');
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

  it('reads a time without a date as that time today in from-zone (or in its own offset)', () => {
    const tokyoToday = zonedTime('Asia/Tokyo', Date.now()).local.slice(0, 10);
    const r = convertTime('15:00', 'Asia/Tokyo', 'Asia/Tokyo');
    // The clock may pass midnight between the two reads; then the date is the next day's.
    expect([tokyoToday, zonedTime('Asia/Tokyo', Date.now()).local.slice(0, 10)]).toContain(r.local.slice(0, 10));
    expect(r.local.slice(10)).toBe('T15:00:00');
    expect(convertTime('09:30:15Z', null, 'UTC').local.slice(10)).toBe('T09:30:15');
    expect(() => convertTime('15:00', null, 'UTC')).toThrow(/from-zone/);
    expect(() => convertTime('25:00', 'UTC', 'UTC')).toThrow(/not a valid/);
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
    expect(currentTime('Asia/Calcutta')).toMatchObject({ zone: 'Asia/Kolkata', offset: '+05:30' });
    expect(listTimeZones()).toContain('America/Sao_Paulo');
    expect(listTimeZones()).toContain('Africa/Casablanca');
  });
});
