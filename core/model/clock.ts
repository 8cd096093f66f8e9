/**
 * The scenario clock: tick 0's absolute time, so schedules, time zones and names that hold a
 * time (a CronJob's Jobs) and people reading dates have one. `core/` reads no clock: the time is
 * the scenario's `spec.startTime` (RFC 3339), or this fixed default, so a run is reproducible.
 */

/** 2026-01-01T00:00:00Z, in seconds since the Unix epoch: tick 0 unless a scenario says otherwise. */
export const DEFAULT_START_TIME = 1_767_225_600;

/** RFC 3339 date-time: `2026-01-01T00:00:00Z`, `2026-03-29T01:30:00+02:00`, optional fractions (dropped: ticks are seconds). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export class ClockError extends Error {
  override readonly name = "ClockError";
}

/** Seconds since the epoch of an RFC 3339 time (fractions of a second dropped). @throws ClockError */
export function parseRfc3339(text: string): number {
  const match = RFC3339.exec(text);
  if (match === null) throw new ClockError(`invalid time ${JSON.stringify(text)}: an RFC 3339 time is expected, e.g. "2026-01-01T00:00:00Z" or "2026-01-01T09:00:00+01:00"`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const zone = match[8] as string;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new ClockError(`invalid time ${JSON.stringify(text)}: no such date or time of day`);
  }
  const utc = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
  if (zone === "Z" || zone === "z") return utc;
  const sign = zone[0] === "-" ? -1 : 1;
  return utc - sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
}

/*
 * The calendar by arithmetic (core/ uses no Date: time is a value here): days since 1970-01-01 in
 * the proleptic Gregorian calendar, and back (H. Hinnant's days_from_civil / civil_from_days).
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function parts(epochSeconds: number): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const days = Math.floor(epochSeconds / 86_400);
  const rest = epochSeconds - days * 86_400;
  // 1970-01-01 was a Thursday (4, counting Sunday as 0).
  return { ...civilFromDays(days), hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60), second: rest % 60, weekday: (((days + 4) % 7) + 7) % 7 };
}

/** `2026-01-01T00:01:30Z`. */
export function formatRfc3339(epochSeconds: number): string {
  const t = parts(epochSeconds);
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}Z`;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** kubectl describe's time format (Go's time.RFC1123Z) in UTC: `Thu, 01 Jan 2026 00:01:30 +0000`. */
export function formatRfc1123z(epochSeconds: number): string {
  const t = parts(epochSeconds);
  return `${WEEKDAYS[t.weekday]}, ${pad(t.day)} ${MONTHS[t.month - 1]} ${pad(t.year, 4)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)} +0000`;
}
