/**
 * CronJob schedules as kube-apiserver v1.35 checks them: robfig/cron v3's `ParseStandard` (five
 * fields — minute, hour, day of month, month, day of week — or a descriptor such as `@daily`), with
 * its own error texts, behind the apiserver's refusal of `TZ=` in the schedule
 * (pkg/apis/batch/validation/validation.go validateScheduleFormat).
 */

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
