// The time example's exports: the current time in UTC or a named zone, conversion between zones, the known zones.
import { ZONES, civilFromDays, formatOffset, localToUtc, offsetAt, resolveZone } from './tz.js';

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const WEEKDAY_NAMES = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
/** A time of day alone, e.g. "15:00" or "09:30:15Z": it means that time today. */
const TIME_ONLY = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DDTHH:MM:SS` of milliseconds counted as if they were UTC. */
function isoLocal(ms) {
  const days = Math.floor(ms / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const secs = Math.floor((ms - days * DAY_MS) / 1000);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
}

function zoneOrThrow(name) {
  const zone = resolveZone(name);
  if (zone === undefined) throw `unknown time zone "${name}"; use an IANA name such as Europe/Paris (list-time-zones shows the known ones)`;
  return zone;
}

/** The zoned-time record of a UTC instant. */
export function zonedTime(zone, utcMs) {
  const { offset, dst } = offsetAt(zone, utcMs);
  const localMs = utcMs + offset * 1000;
  return {
    zone,
    local: isoLocal(localMs),
    offset: formatOffset(offset),
    utc: `${isoLocal(utcMs)}Z`,
    weekday: WEEKDAY_NAMES[((Math.floor(localMs / DAY_MS) % 7) + 7) % 7],
    daylightSaving: dst,
  };
}

/** Minutes east of UTC of a `Z` / `+02:00` / `-0530` suffix. */
function suffixMinutes(off) {
  if (off.toUpperCase() === 'Z') return 0;
  const digits = off.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits[0] === '-' ? -minutes : minutes;
}

/** Today's date (`[year, month, day]`) on the wall clock of a zone, or of a fixed offset in minutes. */
function today(zone, offsetMinutes) {
  const now = Date.now();
  const offsetMs = zone === undefined ? offsetMinutes * MIN_MS : offsetAt(zone, now).offset * 1000;
  const { year, month, day } = civilFromDays(Math.floor((now + offsetMs) / DAY_MS));
  return [String(year), pad(month), pad(day)];
}

function requireFromZone(text, fromZone) {
  if (fromZone === undefined || fromZone === null || fromZone === '') {
    throw `"${text}" has no UTC offset: give from-zone (the zone that local time is in), or end the time with Z or an offset like +02:00`;
  }
  return zoneOrThrow(fromZone);
}

/**
 * Milliseconds of a parsed date-time, either absolute (with Z or an offset) or local to `fromZone`. A time of day
 * without a date ("15:00") is that time today: today in from-zone, or in the given offset's zone ("15:00Z").
 */
function parseTime(text, fromZone) {
  const trimmed = String(text).trim();
  let m = ISO.exec(trimmed);
  if (!m) {
    const t = TIME_ONLY.exec(trimmed);
    if (!t) throw `cannot read "${text}" as a date and time; write it like 2026-03-29T14:30, 2026-03-29T14:30:00Z or 14:30 (today)`;
    const off = t[4];
    const date = off === undefined ? today(requireFromZone(text, fromZone)) : today(undefined, suffixMinutes(off));
    m = [trimmed, ...date, t[1], t[2], t[3], off];
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', off] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) throw `"${text}" is not a valid date and time`;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(asUtc).getUTCDate() !== day) throw `"${text}" is not a valid date (that month has fewer days)`;
  if (off !== undefined) return asUtc - suffixMinutes(off) * MIN_MS;
  return localToUtc(requireFromZone(text, fromZone), asUtc);
}

export function currentTime(zone) {
  const name = zone === undefined || zone === null || zone === '' ? 'UTC' : zoneOrThrow(zone);
  return zonedTime(name, Date.now());
}

export function convertTime(time, fromZone, toZone) {
  return zonedTime(zoneOrThrow(toZone), parseTime(time, fromZone));
}

export function listTimeZones() {
  return Object.keys(ZONES);
}
