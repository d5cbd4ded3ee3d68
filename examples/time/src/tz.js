// Compact time-zone table (standard offset + current daylight-saving rule) and the pure offset arithmetic on it.
//
// A component gets the wall clock from WASI but no zone database, so the zones it knows travel inside it. Rules
// are the ones in force today (tzdb 2025), written the way tzdb writes them: month, day ("lastSun", "Sun>=8"),
// time of day in minutes and what that time is measured in (w = local wall clock, s = local standard time,
// u = UTC). Instants before a zone's last rule change are computed with today's rules.

/** @typedef {{ month: number, day: string, at: number, basis: 'w' | 's' | 'u' }} Transition */
/** @typedef {{ start: Transition, end: Transition, save: number }} Rule */

/** @type {Record<string, Rule>} */
export const RULES = {
  US: { start: { month: 3, day: 'Sun>=8', at: 120, basis: 'w' }, end: { month: 11, day: 'Sun>=1', at: 120, basis: 'w' }, save: 60 },
  Cuba: { start: { month: 3, day: 'Sun>=8', at: 0, basis: 's' }, end: { month: 11, day: 'Sun>=1', at: 0, basis: 's' }, save: 60 },
  EU: { start: { month: 3, day: 'lastSun', at: 60, basis: 'u' }, end: { month: 10, day: 'lastSun', at: 60, basis: 'u' }, save: 60 },
  AU: { start: { month: 10, day: 'Sun>=1', at: 120, basis: 's' }, end: { month: 4, day: 'Sun>=1', at: 120, basis: 's' }, save: 60 },
  NZ: { start: { month: 9, day: 'lastSun', at: 120, basis: 's' }, end: { month: 4, day: 'Sun>=1', at: 120, basis: 's' }, save: 60 },
  Chile: { start: { month: 9, day: 'Sun>=2', at: 240, basis: 'u' }, end: { month: 4, day: 'Sun>=2', at: 180, basis: 'u' }, save: 60 },
  Zion: { start: { month: 3, day: 'Fri>=23', at: 120, basis: 'w' }, end: { month: 10, day: 'lastSun', at: 120, basis: 'w' }, save: 60 },
  Egypt: { start: { month: 4, day: 'lastFri', at: 0, basis: 'w' }, end: { month: 10, day: 'lastThu', at: 1440, basis: 'w' }, save: 60 },
};

/** Zone -> [standard offset in minutes east of UTC, rule name?]. */
/** @type {Record<string, [number, string?]>} */
export const ZONES = {
  UTC: [0],
  // Americas
  'America/New_York': [-300, 'US'],
  'America/Chicago': [-360, 'US'],
  'America/Denver': [-420, 'US'],
  'America/Phoenix': [-420],
  'America/Los_Angeles': [-480, 'US'],
  'America/Anchorage': [-540, 'US'],
  'Pacific/Honolulu': [-600],
  'America/Toronto': [-300, 'US'],
  'America/Vancouver': [-480, 'US'],
  'America/Halifax': [-240, 'US'],
  'America/St_Johns': [-210, 'US'],
  'America/Regina': [-360],
  'America/Havana': [-300, 'Cuba'],
  'America/Mexico_City': [-360],
  'America/Guatemala': [-360],
  'America/Costa_Rica': [-360],
  'America/Panama': [-300],
  'America/Bogota': [-300],
  'America/Lima': [-300],
  'America/Caracas': [-240],
  'America/La_Paz': [-240],
  'America/Puerto_Rico': [-240],
  'America/Santiago': [-240, 'Chile'],
  'America/Sao_Paulo': [-180],
  'America/Argentina/Buenos_Aires': [-180],
  'America/Montevideo': [-180],
  'Atlantic/Cape_Verde': [-60],
  // Europe
  'Atlantic/Reykjavik': [0],
  'Europe/London': [0, 'EU'],
  'Europe/Dublin': [0, 'EU'],
  'Europe/Lisbon': [0, 'EU'],
  'Atlantic/Canary': [0, 'EU'],
  'Europe/Paris': [60, 'EU'],
  'Europe/Berlin': [60, 'EU'],
  'Europe/Madrid': [60, 'EU'],
  'Europe/Rome': [60, 'EU'],
  'Europe/Amsterdam': [60, 'EU'],
  'Europe/Brussels': [60, 'EU'],
  'Europe/Vienna': [60, 'EU'],
  'Europe/Zurich': [60, 'EU'],
  'Europe/Stockholm': [60, 'EU'],
  'Europe/Oslo': [60, 'EU'],
  'Europe/Copenhagen': [60, 'EU'],
  'Europe/Warsaw': [60, 'EU'],
  'Europe/Prague': [60, 'EU'],
  'Europe/Budapest': [60, 'EU'],
  'Europe/Belgrade': [60, 'EU'],
  'Europe/Athens': [120, 'EU'],
  'Europe/Helsinki': [120, 'EU'],
  'Europe/Kyiv': [120, 'EU'],
  'Europe/Bucharest': [120, 'EU'],
  'Europe/Sofia': [120, 'EU'],
  'Europe/Riga': [120, 'EU'],
  'Europe/Vilnius': [120, 'EU'],
  'Europe/Tallinn': [120, 'EU'],
  'Asia/Nicosia': [120, 'EU'],
  'Europe/Istanbul': [180],
  'Europe/Minsk': [180],
  'Europe/Moscow': [180],
  'Europe/Samara': [240],
  // Africa
  'Africa/Abidjan': [0],
  'Africa/Accra': [0],
  'Africa/Lagos': [60],
  'Africa/Algiers': [60],
  'Africa/Cairo': [120, 'Egypt'],
  'Africa/Johannesburg': [120],
  'Africa/Nairobi': [180],
  'Africa/Addis_Ababa': [180],
  // Asia
  'Asia/Jerusalem': [120, 'Zion'],
  'Asia/Riyadh': [180],
  'Asia/Qatar': [180],
  'Asia/Baghdad': [180],
  'Asia/Tehran': [210],
  'Asia/Dubai': [240],
  'Asia/Baku': [240],
  'Asia/Tbilisi': [240],
  'Asia/Yerevan': [240],
  'Asia/Kabul': [270],
  'Asia/Karachi': [300],
  'Asia/Tashkent': [300],
  'Asia/Yekaterinburg': [300],
  'Asia/Kolkata': [330],
  'Asia/Colombo': [330],
  'Asia/Kathmandu': [345],
  'Asia/Dhaka': [360],
  'Asia/Yangon': [390],
  'Asia/Bangkok': [420],
  'Asia/Jakarta': [420],
  'Asia/Ho_Chi_Minh': [420],
  'Asia/Novosibirsk': [420],
  'Asia/Shanghai': [480],
  'Asia/Hong_Kong': [480],
  'Asia/Taipei': [480],
  'Asia/Singapore': [480],
  'Asia/Kuala_Lumpur': [480],
  'Asia/Manila': [480],
  'Asia/Tokyo': [540],
  'Asia/Seoul': [540],
  'Asia/Vladivostok': [600],
  // Oceania
  'Australia/Perth': [480],
  'Australia/Darwin': [570],
  'Australia/Adelaide': [570, 'AU'],
  'Australia/Brisbane': [600],
  'Australia/Sydney': [600, 'AU'],
  'Australia/Melbourne': [600, 'AU'],
  'Australia/Hobart': [600, 'AU'],
  'Pacific/Port_Moresby': [600],
  'Pacific/Guam': [600],
  'Pacific/Auckland': [720, 'NZ'],
  'Pacific/Fiji': [720],
  'Pacific/Tongatapu': [780],
  'Pacific/Kiritimati': [840],
  'Pacific/Pago_Pago': [-660],
};

/** Old and common alternative names people still type. */
export const ALIASES = {
  GMT: 'UTC',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  Zulu: 'UTC',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'US/Eastern': 'America/New_York',
  'US/Central': 'America/Chicago',
  'US/Mountain': 'America/Denver',
  'US/Pacific': 'America/Los_Angeles',
  'US/Hawaii': 'Pacific/Honolulu',
};

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
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

function daysInMonth(y, m) {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** Day of the month a rule's day spec names in year `y`. */
function ruleDay(y, m, spec) {
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

/** UTC milliseconds of a transition in year `y`; `before` is the offset in force just before it. */
function transitionMs(y, t, std, before) {
  const local = daysFromCivil(y, t.month, ruleDay(y, t.month, t.day)) * DAY_MS + t.at * MIN_MS;
  if (t.basis === 'u') return local;
  return local - (t.basis === 's' ? std : before) * MIN_MS;
}

/** `{offset, dst}` (minutes east of UTC) of a known zone at a UTC instant in milliseconds. */
export function offsetAt(zone, ms) {
  const [std, ruleName] = ZONES[zone];
  if (ruleName === undefined) return { offset: std, dst: false };
  const rule = RULES[ruleName];
  const y = civilFromDays(Math.floor((ms + std * MIN_MS) / DAY_MS)).year;
  const start = transitionMs(y, rule.start, std, std);
  const end = transitionMs(y, rule.end, std, std + rule.save);
  const dst = start < end ? ms >= start && ms < end : ms >= start || ms < end;
  return { offset: dst ? std + rule.save : std, dst };
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

/**
 * The UTC instant of a local wall-clock time (milliseconds as if the local time were UTC) in a zone. A time that
 * happens twice (clocks going back) is the earlier instant; a time skipped by clocks going forward moves forward by
 * the gap, as Temporal's "compatible" disambiguation does.
 */
export function localToUtc(zone, localMs) {
  const [std, ruleName] = ZONES[zone];
  const save = ruleName === undefined ? 0 : RULES[ruleName].save;
  const candidates = [std + save, std].map((off) => localMs - off * MIN_MS).filter((u) => offsetAt(zone, u).offset * MIN_MS === localMs - u);
  if (candidates.length > 0) return Math.min(...candidates);
  return localMs - offsetAt(zone, localMs - (std + save) * MIN_MS).offset * MIN_MS;
}

/** `+05:30` style offset text. */
export function formatOffset(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
