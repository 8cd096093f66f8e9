/**
 * The CronJob controller (kube v1.35 pkg/controller/cronjob: cronjob_controllerv2.go, utils.go),
 * with robfig/cron v3's schedules (core/model/cron.ts). One sync (`syncCronJob`), in kube's order:
 *
 * | step | kube |
 * |------|------|
 * | history | finished Jobs past `successfulJobsHistoryLimit` (3) / `failedJobsHistoryLimit` (1) deleted (background), oldest `startTime` first (none: newest), ties by name |
 * | reconcile | a finished Job (Complete or Failed) leaves `active`; `lastSuccessfulTime` is the latest completionTime of its Complete Jobs; a Job gone leaves `active` |
 * | suspend | nothing more (no schedule is looked at until resumed) |
 * | which time | the most recent scheduled time not yet handled: after `lastScheduleTime` (or the CronJob's creation), no earlier than `startingDeadlineSeconds` ago; only that one runs, never the older ones missed (utils.go mostRecentScheduleTime, with its shortcut for evenly spaced schedules) |
 * | handled | a Job of that name in `active`, or `lastScheduleTime` equal to it: nothing to do |
 * | Forbid | a Job still active: this time is skipped (lastScheduleTime unchanged, so when the Job ends the latest missed time still within the deadline runs, late) |
 * | Replace | the active Jobs deleted (background) first |
 * | the Job | `<cronjob>-<scheduled time in minutes since the epoch>`, the jobTemplate's labels and annotations plus `batch.kubernetes.io/cronjob-scheduled-timestamp` (RFC 3339 in the CronJob's time zone), owned by the CronJob; added to `active`, `lastScheduleTime` set to the scheduled time |
 * | next sync | at the next scheduled time (kube: 100 ms after it; ticks are whole seconds), and whenever one of its Jobs finishes or is deleted |
 *
 * Schedules run in `spec.timeZone` (UTC without one: kube uses the controller manager's zone).
 * Not simulated: the TooManyMissedTimes warning (the Job is still made, as kube's v2 controller
 * does), UnexpectedJob for Jobs it did not make.
 */
import type { EventDraft } from "../events/events.js";
import type { ObjectState } from "../cluster/objects.js";
import { nextScheduleTime, offsetAt, parseCronSchedule, type CronSchedule, type ZoneOffsets } from "../model/cron.js";
import { formatRfc3339 } from "../model/clock.js";
import type { WorkloadStatus } from "../model/objects.js";
import { sameJson, type CronJobSpec, type Workload } from "../model/workload.js";
import type { ControllerTimer, Reaction, WorkloadReader } from "./controller.js";
import type { WorkloadTimer } from "./deployment.js";

export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** utils.go getJobName: the CronJob's name and the scheduled time in minutes since the epoch. */
export function cronJobJobName(cronJob: string, scheduledEpoch: number): string {
  return `${cronJob}-${Math.floor(scheduledEpoch / 60)}`;
}

const schedules = new Map<string, CronSchedule>();
/** The parsed schedule (remembered: a CronJob syncs once per run of its schedule). */
function scheduleOf(text: string): CronSchedule {
  let schedule = schedules.get(text);
  if (schedule === undefined) {
    schedule = parseCronSchedule(text);
    schedules.set(text, schedule);
  }
  return schedule;
}

/** RFC 3339 in the zone, as Go's time.Format(RFC3339) writes it: `Z` for offset 0, else `+09:00`. */
export function formatInZone(epochSeconds: number, zone: ZoneOffsets | undefined): string {
  const offset = offsetAt(zone, epochSeconds);
  const local = formatRfc3339(epochSeconds + offset);
  if (offset === 0) return local;
  const sign = offset < 0 ? "-" : "+";
  const minutes = Math.abs(offset) / 60;
  return `${local.slice(0, -1)}${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

interface MostRecent {
  readonly earliest: number;
  readonly mostRecent?: number;
  readonly missed: "none" | "few" | "many";
}

/**
 * utils.go mostRecentScheduleTime (epoch seconds): from the earliest time (the last scheduled one or
 * the creation, moved up to `now − startingDeadlineSeconds` when asked), the latest scheduled time
 * at or before now, found from the spacing of the next two times as kube does.
 */
export function mostRecentScheduleTime(schedule: CronSchedule, zone: ZoneOffsets | undefined, earliestBase: number, now: number, deadline: number | undefined): MostRecent {
  const earliest = deadline === undefined ? earliestBase : Math.max(earliestBase, now - deadline);
  const t1 = nextScheduleTime(schedule, earliest, zone);
  if (t1 === undefined || now < t1) return { earliest, missed: "none" };
  const t2 = nextScheduleTime(schedule, t1, zone);
  if (t2 === undefined || now < t2) return { earliest, mostRecent: t1, missed: "few" };
  const diff = t2 - t1;
  const n = Math.floor((now - t1) / diff) + 1;
  let mostRecent: number | undefined;
  for (let t = nextScheduleTime(schedule, t1 + (n - 2) * diff, zone); t !== undefined && t <= now; t = nextScheduleTime(schedule, t, zone)) mostRecent = t;
  return { earliest, ...(mostRecent !== undefined ? { mostRecent } : {}), missed: n > 100 ? "many" : "few" };
}

/** A Job's record (a workload object). */
type JobRecord = ObjectState & { readonly object: Workload };

const finishedAs = (record: ObjectState): "Complete" | "Failed" | undefined => {
  for (const condition of record.status?.conditions ?? []) {
    if (condition.status !== "True") continue;
    if (condition.type === "Complete" || condition.type === "Failed") return condition.type;
  }
  return undefined;
};

/** One sync of the CronJob at `key`; `startTime` is tick 0's time (epoch seconds). */
export function syncCronJob(reader: WorkloadReader, key: string, now: number, startTime: number): Reaction<WorkloadTimer> {
  const record = reader.object(key);
  if (record === undefined || record.object.kind !== "CronJob" || record.object.cronJob === undefined) return { drafts: [], timers: [] };
  const cronJob = record.object;
  const spec = cronJob.cronJob as CronJobSpec;
  const stored = record.status;
  const drafts: EventDraft[] = [];
  const timers: ControllerTimer<WorkloadTimer>[] = [];
  const jobs: JobRecord[] = [];
  for (const jobKey of reader.objectsOwnedBy(key)) {
    const job = reader.object(jobKey);
    if (job !== undefined && job.object.kind === "Job" && job.object.ownerReferences.some((reference) => reference.controller && reference.uid === record.uid)) jobs.push(job as JobRecord);
  }
  const deleteJob = (job: JobRecord) => drafts.push({ type: "ObjectDeleted", kind: "Job", object: `${job.object.namespace}/${job.object.name}`, propagation: "Background" });

  // History: the oldest finished Jobs past each limit.
  const gone = new Set<string>();
  for (const [outcome, limit] of [["Complete", spec.successfulJobsHistoryLimit], ["Failed", spec.failedJobsHistoryLimit]] as const) {
    const finished = jobs.filter((job) => finishedAs(job) === outcome);
    if (finished.length <= limit) continue;
    finished.sort((a, b) => {
      const at = a.status?.startTime;
      const bt = b.status?.startTime;
      if (at !== bt) return at === undefined ? 1 : bt === undefined ? -1 : at - bt;
      return a.object.name < b.object.name ? -1 : a.object.name > b.object.name ? 1 : 0;
    });
    for (const job of finished.slice(0, finished.length - limit)) {
      deleteJob(job);
      gone.add(job.object.name);
    }
  }

  // Reconcile: finished Jobs leave `active`; the latest success is remembered; a Job gone leaves too.
  let active = [...(stored?.activeJobs ?? [])];
  let lastSuccessfulTime = stored?.lastSuccessfulTime;
  const present = new Set<string>();
  for (const job of jobs) {
    const outcome = finishedAs(job);
    if (outcome === undefined) {
      if (!gone.has(job.object.name)) present.add(job.object.name);
      continue;
    }
    const completion = job.status?.completionTime;
    if (outcome === "Complete" && completion !== undefined && (lastSuccessfulTime === undefined || completion > lastSuccessfulTime)) lastSuccessfulTime = completion;
  }
  active = active.filter((name) => present.has(name));
  let lastScheduleTime = stored?.lastScheduleTime;

  const wake = (epoch: number | undefined) => {
    if (epoch === undefined) return;
    timers.push({ at: Math.max(now + 1, epoch - startTime), payload: { kind: "workloadSync", object: key } });
  };
  const earliestBase = () => startTime + (lastScheduleTime ?? record.createdAt);
  /** nextScheduleTimeDuration: the next time after the most recent one (or after the earliest, or now). */
  const wakeForNext = (schedule: CronSchedule) => {
    const found = mostRecentScheduleTime(schedule, spec.zone, earliestBase(), startTime + now, undefined);
    const base = found.mostRecent ?? (found.missed === "none" ? found.earliest : startTime + now);
    wake(nextScheduleTime(schedule, base, spec.zone));
  };

  if (!spec.suspend) {
    const schedule = scheduleOf(spec.schedule);
    const nowEpoch = startTime + now;
    const found = mostRecentScheduleTime(schedule, spec.zone, earliestBase(), nowEpoch, spec.startingDeadlineSeconds);
    const scheduled = found.mostRecent;
    const name = scheduled === undefined ? undefined : cronJobJobName(cronJob.name, scheduled);
    const handled = scheduled === undefined || active.includes(name as string) || (lastScheduleTime !== undefined && startTime + lastScheduleTime === scheduled);
    const forbidden = spec.concurrencyPolicy === "Forbid" && active.length > 0;
    if (!handled && !forbidden && scheduled !== undefined && name !== undefined) {
      if (spec.concurrencyPolicy === "Replace") {
        for (const jobName of active) {
          const job = jobs.find((item) => item.object.name === jobName);
          if (job !== undefined) deleteJob(job);
        }
        active = [];
      }
      const existing = reader.object(`Job/${cronJob.namespace}/${name}`) as JobRecord | undefined;
      const ours = existing?.object.ownerReferences.some((reference) => reference.controller && reference.uid === record.uid) ?? false;
      // AlreadyExists: a Job of that name not ours, or ours already finished (two schedule times in one
      // minute share a name), stops the sync; ours still running is taken as made.
      if (existing === undefined || (ours && finishedAs(existing) === undefined)) {
        if (existing === undefined) drafts.push({ type: "ObjectApplied", kind: "Job", object: `${cronJob.namespace}/${name}`, spec: jobFor(cronJob, record, spec, name, scheduled) });
        active.push(name);
        lastScheduleTime = scheduled - startTime;
      }
    }
    wakeForNext(schedule);
  }

  const status: WorkloadStatus = {
    replicas: active.length, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [],
    activeJobs: active,
    ...(lastScheduleTime !== undefined ? { lastScheduleTime } : {}),
    ...(lastSuccessfulTime !== undefined ? { lastSuccessfulTime } : {}),
  };
  if (stored === undefined || !sameJson(stored, status)) drafts.push({ type: "WorkloadStatusChanged", kind: "CronJob", object: `${cronJob.namespace}/${cronJob.name}`, status });
  return { drafts, timers };
}

/** utils.go getJobFromTemplate2: the Job for one scheduled time. */
function jobFor(cronJob: Workload, record: ObjectState, spec: CronJobSpec, name: string, scheduled: number): Workload {
  const annotations = { ...spec.jobAnnotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, spec.zone) };
  const ownerReferences = [{ apiVersion: "batch/v1", kind: "CronJob", name: cronJob.name, uid: record.uid, controller: true, blockOwnerDeletion: true }];
  const jobTemplate = ((cronJob.manifest["spec"] as Record<string, unknown> | undefined)?.["jobTemplate"] ?? {}) as Record<string, unknown>;
  return {
    kind: "Job",
    namespace: cronJob.namespace,
    name,
    labels: spec.jobLabels,
    annotations,
    ownerReferences,
    replicas: 0,
    selector: { matchLabels: {}, matchExpressions: [] },
    minReadySeconds: 0,
    template: cronJob.template,
    job: spec.job,
    manifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace: cronJob.namespace, labels: spec.jobLabels, annotations, ownerReferences },
      spec: jobTemplate["spec"] ?? {},
    },
  };
}
