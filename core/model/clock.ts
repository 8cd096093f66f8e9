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
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const check = new Date(utc * 1000);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new ClockError(`invalid time ${JSON.stringify(text)}: no such date or time of day`);
  }
  if (zone === "Z" || zone === "z") return utc;
  const sign = zone[0] === "-" ? -1 : 1;
  return utc - sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
}

/** `2026-01-01T00:01:30Z`. */
export function formatRfc3339(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** kubectl describe's time format (Go's time.RFC1123Z) in UTC: `Thu, 01 Jan 2026 00:01:30 +0000`. */
export function formatRfc1123z(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString().replace(/GMT$/, "+0000");
}
