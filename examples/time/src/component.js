// The time example's exports: the current time in UTC or a named zone, conversion between zones, the known zones.
import { ZONES, civilFromDays, formatOffset, localToUtc, offsetAt, resolveZone } from './tz.js';

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const WEEKDAY_NAMES = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

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
  const localMs = utcMs + offset * MIN_MS;
  return {
    zone,
    local: isoLocal(localMs),
    offset: formatOffset(offset),
    utc: `${isoLocal(utcMs)}Z`,
    weekday: WEEKDAY_NAMES[((Math.floor(localMs / DAY_MS) % 7) + 7) % 7],
    daylightSaving: dst,
  };
}

/** Milliseconds of a parsed date-time, either absolute (with Z or an offset) or local to `fromZone`. */
function parseTime(text, fromZone) {
  const m = ISO.exec(String(text).trim());
  if (!m) throw `cannot read "${text}" as a date and time; write it like 2026-03-29T14:30 or 2026-03-29T14:30:00Z`;
  const [, y, mo, d, h = '0', mi = '0', s = '0', off] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) throw `"${text}" is not a valid date and time`;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(asUtc).getUTCDate() !== day) throw `"${text}" is not a valid date (that month has fewer days)`;
  if (off !== undefined) {
    if (off.toUpperCase() === 'Z') return asUtc;
    const digits = off.replace(':', '');
    const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    return asUtc - (digits[0] === '-' ? -minutes : minutes) * MIN_MS;
  }
  if (fromZone === undefined || fromZone === null || fromZone === '') {
    throw `"${text}" has no UTC offset: give from-zone (the zone that local time is in), or end the time with Z or an offset like +02:00`;
  }
  return localToUtc(zoneOrThrow(fromZone), asUtc);
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
