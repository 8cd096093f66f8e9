/**
 * CronJobs' time zones: core/ holds no zone data and reads no clock, so the loader reads each
 * `spec.timeZone` from the IANA database (Node's Intl) and hands the core a table of the zone's
 * UTC offsets over the run (`ZoneOffsets`): the offset at its start and every change until its end.
 * The table travels with the CronJob in the log, so a replay needs no zone data either.
 */
import type { ClusterObject, Scenario, TimelineAction, Workload, ZoneOffsets } from "../../core/index.js";

const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether the IANA database knows the zone (Go's time.LoadLocation). */
export function isKnownTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

function formatter(name: string): Intl.DateTimeFormat {
  let format = formats.get(name);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
    formats.set(name, format);
  }
  return format;
}

/** The zone's offset east of UTC, in seconds, at an epoch second ("GMT+05:30" → 19800; "GMT" → 0). */
export function zoneOffsetAt(name: string, epochSeconds: number): number {
  const text = formatter(name).formatToParts(new Date(epochSeconds * 1000)).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (match === null) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return match[1] === "-" ? -seconds : seconds;
}

const HOUR = 3600;

/** The zone's offsets from `from` to `to` (epoch seconds): hour by hour, each change found to the second. */
export function zoneOffsets(name: string, from: number, to: number): ZoneOffsets {
  const offsets = [{ from, offset: zoneOffsetAt(name, from) }];
  let previous = offsets[0]?.offset as number;
  for (let at = from + HOUR; at <= to + HOUR; at += HOUR) {
    const offset = zoneOffsetAt(name, at);
    if (offset === previous) continue;
    // The change lies in (at − 1 h, at]: bisect to the second.
    let low = at - HOUR;
    let high = at;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (zoneOffsetAt(name, middle) === previous) low = middle;
      else high = middle;
    }
    offsets.push({ from: high, offset });
    previous = offset;
  }
  return { name, offsets };
}

/** Two days either side of the run: a schedule's next time is looked up a little past its end. */
const MARGIN = 2 * 86_400;

function withZone(workload: Workload, from: number, to: number): Workload {
  const cronJob = workload.cronJob;
  // No zone, one the database does not know (refused at load), or a table already read.
  if (cronJob?.timeZone === undefined || cronJob.zone !== undefined || !isKnownTimeZone(cronJob.timeZone)) return workload;
  return { ...workload, cronJob: { ...cronJob, zone: zoneOffsets(cronJob.timeZone, from, to) } };
}

/** The scenario with each CronJob's zone table filled in (objects and the timeline's). */
export function withTimeZones(scenario: Scenario, startTime: number): Scenario {
  const from = startTime - MARGIN;
  const to = startTime + scenario.untilSeconds + MARGIN;
  const zoned = (object: ClusterObject): ClusterObject => (object.kind === "CronJob" ? withZone(object, from, to) : object);
  const timeline = scenario.timeline.map((action): TimelineAction => {
    if (action.action === "createObject") return { ...action, object: zoned(action.object) };
    if (action.action === "update" && action.kind === "CronJob") return { ...action, workload: withZone(action.workload, from, to) };
    return action;
  });
  return { ...scenario, ...(scenario.objects !== undefined ? { objects: scenario.objects.map(zoned) } : {}), timeline };
}
