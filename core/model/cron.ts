/**
 * CronJob schedules as kube-apiserver v1.35 checks them: robfig/cron v3's `ParseStandard` (five
 * fields — minute, hour, day of month, month, day of week — or a descriptor such as `@daily`), with
 * its own error texts, behind the apiserver's refusal of `TZ=` in the schedule
 * (pkg/apis/batch/validation/validation.go validateScheduleFormat).
 */
import { civilFromDays, daysFromCivil } from "./clock.js";

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTHS = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** robfig's field bounds, in ParseStandard's order. */
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** Why kube-apiserver refuses this schedule, in its words, or undefined if it is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  if (schedule.includes("TZ")) return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
  if (schedule.length === 0) return "empty spec string";
  if (schedule.startsWith("@")) {
    if (DESCRIPTORS.includes(schedule)) return undefined;
    if (schedule.startsWith("@every ")) {
      const duration = schedule.slice("@every ".length);
      return /^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$/.test(duration) ? undefined : `failed to parse duration ${schedule}: time: invalid duration ${JSON.stringify(duration)}`;
    }
    return `unrecognized descriptor: ${schedule}`;
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
  for (const [index, field] of fields.entries()) {
    for (const expression of field.split(",").filter((part) => part !== "")) {
      const error = rangeError(expression, FIELDS[index] as Bounds);
      if (error !== undefined) return error;
    }
  }
  return undefined;
}

/** robfig's getRange: `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function rangeError(expression: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expression.split("/");
  const lowAndHigh = (rangeAndStep[0] as string).split("-");
  let start: number;
  let end: number;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = bounds.min;
    end = bounds.max;
  } else {
    const low = intOrName(lowAndHigh[0] as string, bounds, expression);
    if (typeof low === "string") return low;
    start = low;
    end = low;
    if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1] as string, bounds, expression);
      if (typeof high === "string") return high;
      end = high;
    } else if (lowAndHigh.length > 2) {
      return `too many hyphens: ${expression}`;
    }
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = wholeNumber(rangeAndStep[1] as string, expression);
    if (typeof parsed === "string") return parsed;
    step = parsed;
    if (lowAndHigh.length === 1 && lowAndHigh[0] !== "*" && lowAndHigh[0] !== "?") end = bounds.max; // "N/step" means "N-max/step"
  } else if (rangeAndStep.length > 2) {
    return `too many slashes: ${expression}`;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expression}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expression}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expression}`;
  if (step === 0) return `step of range should be a positive number: ${expression}`;
  return undefined;
}

function intOrName(text: string, bounds: Bounds, expression: string): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  return named ?? wholeNumber(text, expression);
}

/** Go's strconv.Atoi, then robfig's refusal of negative numbers. */
function wholeNumber(text: string, expression: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const value = Number(text);
  if (value < 0) return `negative number (${value}) not allowed: ${expression}`;
  return value;
}

/*
 * Schedules as robfig/cron v3.0.1 runs them (spec.go Next, constantdelay.go), for the CronJob
 * controller: the first time strictly after a given one. Times are seconds since the epoch; a time
 * zone is a table of UTC offsets (`ZoneOffsets`) that the loader reads from the IANA database, so
 * core/ holds no zone data and reads no clock.
 */

/** A parsed schedule: minute/hour/day/month/weekday sets, or a constant delay (`@every`). */
export type CronSchedule =
  | {
      readonly kind: "spec";
      readonly minutes: readonly boolean[];
      readonly hours: readonly boolean[];
      readonly days: readonly boolean[];
      readonly months: readonly boolean[];
      readonly weekdays: readonly boolean[];
      /** robfig's star bit on day of month / day of week (`*` or `?`, no step above 1): the two then combine with AND, otherwise with OR. */
      readonly dayStar: boolean;
      readonly weekdayStar: boolean;
    }
  | { readonly kind: "every"; readonly seconds: number };

/** A zone's UTC offsets: `offset` seconds east of UTC from `from` (epoch seconds) on; before the first entry, the first offset. */
export interface ZoneOffsets {
  readonly name: string;
  readonly offsets: readonly { readonly from: number; readonly offset: number }[];
}

const DESCRIPTOR_SPECS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
};

const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A schedule `cronScheduleError` accepts, parsed. @throws Error for one it refuses. */
export function parseCronSchedule(schedule: string): CronSchedule {
  const error = cronScheduleError(schedule);
  if (error !== undefined) throw new Error(error);
  if (schedule.startsWith("@every ")) {
    let seconds = 0;
    for (const match of schedule.slice("@every ".length).matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)) seconds += Number(match[1]) * (GO_DURATION_UNITS[match[2] as string] as number);
    // constantdelay.go Every: at least one second, whole seconds.
    return { kind: "every", seconds: Math.max(1, Math.floor(seconds + 1e-9)) };
  }
  const fields = (DESCRIPTOR_SPECS[schedule] ?? schedule).trim().split(/\s+/);
  const sets = fields.map((field, index) => fieldSet(field, FIELDS[index] as Bounds));
  return {
    kind: "spec",
    minutes: sets[0]?.set as boolean[], hours: sets[1]?.set as boolean[], days: sets[2]?.set as boolean[],
    months: sets[3]?.set as boolean[], weekdays: sets[4]?.set as boolean[],
    dayStar: sets[2]?.star ?? false, weekdayStar: sets[4]?.star ?? false,
  };
}

/** The values a valid field allows (indexed by value), and robfig's star bit. */
function fieldSet(field: string, bounds: Bounds): { set: boolean[]; star: boolean } {
  const set: boolean[] = [];
  let star = false;
  for (const expression of field.split(",").filter((part) => part !== "")) {
    const [range, stepText] = expression.split("/") as [string, string | undefined];
    const ends = range.split("-");
    const value = (text: string) => bounds.names?.[text.toLowerCase()] ?? Number(text);
    const all = ends[0] === "*" || ends[0] === "?";
    const start = all ? bounds.min : value(ends[0] as string);
    let end = all ? bounds.max : ends.length === 2 ? value(ends[1] as string) : start;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && !all && ends.length === 1) end = bounds.max;
    if (all && step === 1) star = true;
    for (let at = start; at <= end; at += step) set[at] = true;
  }
  return { set, star };
}

/** The zone's offset at `utc`. */
export function offsetAt(zone: ZoneOffsets | undefined, utc: number): number {
  if (zone === undefined || zone.offsets.length === 0) return 0;
  let low = 0;
  let high = zone.offsets.length - 1;
  if (utc < (zone.offsets[0] as { from: number }).from) return (zone.offsets[0] as { offset: number }).offset;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((zone.offsets[middle] as { from: number }).from <= utc) low = middle;
    else high = middle - 1;
  }
  return (zone.offsets[low] as { offset: number }).offset;
}

/** The zone's offsets in use around `utc` (a day either side): those a wall-clock time there may carry. */
function offsetsNear(zone: ZoneOffsets | undefined, utc: number): number[] {
  const near = new Set([offsetAt(zone, utc - 86_400), offsetAt(zone, utc), offsetAt(zone, utc + 86_400)]);
  return [...near];
}

/**
 * robfig's SpecSchedule.Next in the zone: the first whole minute strictly after `utc` whose wall
 * clock there matches, or undefined if none does within five years (an impossible date such as
 * `0 0 30 2 *`). A wall-clock time that a spring-forward gap skips does not happen that day; one
 * that a fall-back overlap repeats happens twice (spec_test.go's DST cases).
 */
export function nextScheduleTime(schedule: CronSchedule, utc: number, zone?: ZoneOffsets): number | undefined {
  if (schedule.kind === "every") return utc + schedule.seconds;
  const near = offsetsNear(zone, utc);
  // A wall-clock time w happens at w − offset: only w > utc + (the smallest offset around) can fall after utc.
  let wall = Math.floor((utc + Math.min(...near)) / 60) * 60;
  const limit = wall + 5 * 366 * 86_400;
  let best: number | undefined;
  let stopAfter = limit;
  while (wall <= stopAfter) {
    const match = nextWallMinute(schedule, wall);
    if (match === undefined || match > stopAfter) break;
    const offsets = offsetsNear(zone, match);
    for (const offset of offsets) {
      const instant = match - offset;
      if (instant > utc && offsetAt(zone, instant) === offset && (best === undefined || instant < best)) best = instant;
    }
    // Once one is found, a later wall time can only come first across a change of offset: look that far on.
    if (best !== undefined) stopAfter = Math.min(stopAfter, match + Math.max(...offsets) - Math.min(...offsets));
    wall = match + 60;
  }
  return best;
}

/** The first wall-clock minute at or after `wall` (seconds, a whole minute, zone-free) that the spec matches. */
function nextWallMinute(spec: Extract<CronSchedule, { kind: "spec" }>, wall: number): number | undefined {
  let days = Math.floor(wall / 86_400);
  let minuteOfDay = Math.floor((wall - days * 86_400) / 60);
  for (let guard = 0; guard < 5 * 366 + 2; guard++) {
    const { year, month, day } = civilFromDays(days);
    if (!spec.months[month]) {
      // The first day of the next month.
      days = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
      minuteOfDay = 0;
      continue;
    }
    const weekday = (((days + 4) % 7) + 7) % 7;
    const dayMatch = spec.days[day] === true;
    const weekdayMatch = spec.weekdays[weekday] === true;
    const dayOk = spec.dayStar || spec.weekdayStar ? dayMatch && weekdayMatch : dayMatch || weekdayMatch;
    if (dayOk) {
      for (let hour = Math.floor(minuteOfDay / 60); hour < 24; hour++) {
        if (!spec.hours[hour]) continue;
        const first = hour === Math.floor(minuteOfDay / 60) ? minuteOfDay % 60 : 0;
        for (let minute = first; minute < 60; minute++) if (spec.minutes[minute]) return days * 86_400 + hour * 3600 + minute * 60;
      }
    }
    days++;
    minuteOfDay = 0;
  }
  return undefined;
}
