/**
 * The CronJob controller, rule by rule (cronjob_controllerv2.go, utils.go), through the engine on
 * both engines (their logs must be equal). Tick 0 is 2026-01-01T00:00:00Z (epoch 1,767,225,600 s,
 * minute 29,453,760), so the Job for the schedule's run at tick t is named
 * `<cronjob>-<29453760 + t/60>`. Pods start as they are bound and run for their `duration`.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { TimelineAction } from "../engine/scenario.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, runOnBothEngines } from "../testing/builders.js";
import { cronJobJobName, formatInZone } from "./cronjob.js";

function cronJob(name: string, spec: Record<string, unknown>, annotations: Record<string, string>, jobSpec: Record<string, unknown> = {}): Workload {
  const converted = workloadFromManifest({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace: "default" },
    spec: {
      jobTemplate: {
        metadata: { labels: { team: "data" } },
        spec: {
          ...jobSpec,
          template: { metadata: { annotations }, spec: { restartPolicy: "Never", containers: [{ name: "main", image: "w:1", resources: { requests: { cpu: "100m" } } }] } },
        },
      },
      ...spec,
    },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function run(objects: Workload[], untilSeconds: number, timeline: TimelineAction[] = []): RunResult {
  const scenario = { name: "cron", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes: [makeNode("n1", { cpu: "8", memory: "16Gi", pods: "110" })], pods: [], objects, timeline };
  return runOnBothEngines(scenario);
}

/** `t created|deleted <job>` for the CronJob's Jobs, in the log's order. */
function story(events: readonly ClusterEvent[], name: string): string[] {
  return events.flatMap((event) => {
    if (event.type === "ObjectApplied" && event.kind === "Job" && event.spec.name.startsWith(`${name}-`)) return [`${event.t} created ${event.spec.name}`];
    if (event.type === "ObjectDeleted" && event.kind === "Job" && event.object.startsWith(`default/${name}-`)) return [`${event.t} deleted ${event.object.slice("default/".length)}`];
    return [];
  });
}

const MINUTE_0 = 29_453_760;

describe("CronJob: schedules and names", () => {
  it("the Job's name is the scheduled time in minutes since the epoch", () => {
    expect(cronJobJobName("report", 1_767_225_600 + 300)).toBe(`report-${MINUTE_0 + 5}`);
  });

  it("*/5 with one-minute Jobs: a Job at 5, 10, 15 and 20 minutes; the fourth success deletes the oldest (3 successful kept)", () => {
    const result = run([cronJob("report", { schedule: "*/5 * * * *" }, { "sim.timoneiro.dev/duration": "60s" })], 1400);
    expect(story(result.events, "report")).toEqual([
      `300 created report-${MINUTE_0 + 5}`, `600 created report-${MINUTE_0 + 10}`, `900 created report-${MINUTE_0 + 15}`, `1200 created report-${MINUTE_0 + 20}`,
      // report-…780 completes at 1260: four successful, one over the limit.
      `1260 deleted report-${MINUTE_0 + 5}`,
    ]);
    const job = result.state.objects[`Job/default/report-${MINUTE_0 + 20}`]?.object as Workload;
    expect(job.labels).toEqual({ team: "data" });
    expect(job.annotations).toEqual({ "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-01-01T00:20:00Z" });
    expect(job.ownerReferences).toEqual([expect.objectContaining({ kind: "CronJob", name: "report", controller: true, blockOwnerDeletion: true })]);
    // The last schedule (1200) and the last success (1260, report-…780's completion).
    expect(result.state.objects["CronJob/default/report"]?.status).toMatchObject({ activeJobs: [], lastScheduleTime: 1200, lastSuccessfulTime: 1260 });
  });

  it("@every 90s runs from the CronJob's creation, not from the clock", () => {
    const result = run([cronJob("tick", { schedule: "@every 90s" }, { "sim.timoneiro.dev/duration": "10s" })], 300);
    // 90, 180, 270 s: minutes 1, 3 and 4 since tick 0.
    expect(story(result.events, "tick")).toEqual([`90 created tick-${MINUTE_0 + 1}`, `180 created tick-${MINUTE_0 + 3}`, `270 created tick-${MINUTE_0 + 4}`]);
  });

  it("a time zone: 09:00 in Asia/Tokyo (UTC+9) is 00:00Z; the creation instant itself does not count, so the first run is the next day", () => {
    const base = cronJob("daily", { schedule: "0 9 * * *", timeZone: "Asia/Tokyo" }, { "sim.timoneiro.dev/duration": "10s" });
    const tokyo = { ...base, cronJob: { ...base.cronJob!, zone: { name: "Asia/Tokyo", offsets: [{ from: 0, offset: 32_400 }] } } };
    const result = run([tokyo], 2 * 86_400);
    expect(story(result.events, "daily")).toEqual([`86400 created daily-${MINUTE_0 + 1440}`, `172800 created daily-${MINUTE_0 + 2880}`]);
    const job = result.state.objects[`Job/default/daily-${MINUTE_0 + 1440}`]?.object as Workload;
    expect(job.annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe("2026-01-02T09:00:00+09:00");
  });

  it("formatInZone writes Go's RFC 3339: Z at offset 0, else ±hh:mm (India's +05:30, a negative one)", () => {
    expect(formatInZone(1_767_225_600, undefined)).toBe("2026-01-01T00:00:00Z");
    expect(formatInZone(1_767_225_600, { name: "Asia/Kolkata", offsets: [{ from: 0, offset: 19_800 }] })).toBe("2026-01-01T05:30:00+05:30");
    expect(formatInZone(1_767_225_600, { name: "America/St_Johns", offsets: [{ from: 0, offset: -12_600 }] })).toBe("2025-12-31T20:30:00-03:30");
  });
});

describe("CronJob: concurrency policies (Jobs of 7 minutes every 5 minutes)", () => {
  const seven = { "sim.timoneiro.dev/duration": "7m" };

  it("Allow: a Job every 5 minutes, overlapping", () => {
    const result = run([cronJob("a", { schedule: "*/5 * * * *" }, seven)], 1200);
    expect(story(result.events, "a")).toEqual([`300 created a-${MINUTE_0 + 5}`, `600 created a-${MINUTE_0 + 10}`, `900 created a-${MINUTE_0 + 15}`, `1200 created a-${MINUTE_0 + 20}`]);
    // At 1200: …770 (600–1020) and …765 done; …775 (900–1320) and …780 running.
    expect(result.state.objects["CronJob/default/a"]?.status?.activeJobs).toEqual([`a-${MINUTE_0 + 15}`, `a-${MINUTE_0 + 20}`]);
  });

  it("Forbid: a time while one runs is skipped; when it ends, the latest missed time runs late (kube's catch-up), never the older ones", () => {
    const result = run([cronJob("f", { schedule: "*/5 * * * *", concurrencyPolicy: "Forbid" }, seven)], 1800);
    // 300–720; 600 skipped, run late at 720 (…770) until 1140; 900 skipped, run at 1140 (…775) until 1560;
    // 1200 and 1500 skipped: at 1560 only the latest, 1500 (…785), runs.
    expect(story(result.events, "f")).toEqual([`300 created f-${MINUTE_0 + 5}`, `720 created f-${MINUTE_0 + 10}`, `1140 created f-${MINUTE_0 + 15}`, `1560 created f-${MINUTE_0 + 25}`]);
  });

  it("Forbid with startingDeadlineSeconds 60: a time missed by more than a minute is dropped, not run late", () => {
    const result = run([cronJob("g", { schedule: "*/5 * * * *", concurrencyPolicy: "Forbid", startingDeadlineSeconds: 60 }, seven)], 1800);
    // 300–720: 600 is 120 s past at 720, dropped; next 900 (…775) until 1320; 1200 dropped; next 1500.
    expect(story(result.events, "g")).toEqual([`300 created g-${MINUTE_0 + 5}`, `900 created g-${MINUTE_0 + 15}`, `1500 created g-${MINUTE_0 + 25}`]);
  });

  it("Replace: the running Job is deleted and the new one made, at every run", () => {
    const result = run([cronJob("r", { schedule: "*/5 * * * *", concurrencyPolicy: "Replace" }, seven)], 900);
    expect(story(result.events, "r")).toEqual([
      `300 created r-${MINUTE_0 + 5}`, `600 deleted r-${MINUTE_0 + 5}`, `600 created r-${MINUTE_0 + 10}`, `900 deleted r-${MINUTE_0 + 10}`, `900 created r-${MINUTE_0 + 15}`,
    ]);
    // The replaced Job's pod goes with it (background deletion: the garbage collector).
    const deletedPods = result.events.filter((event) => event.type === "PodDeleted" && event.t === 600).map((event) => (event as { pod: string }).pod);
    expect(deletedPods).toEqual([expect.stringMatching(new RegExp(`^default/r-${MINUTE_0 + 5}-`))]);
  });
});

describe("CronJob: suspend, deadlines and failed history", () => {
  const suspended = (spec: Record<string, unknown>) => cronJob("s", { schedule: "*/5 * * * *", suspend: true, ...spec }, { "sim.timoneiro.dev/duration": "10s" });
  const resume = (workload: Workload, at: number): TimelineAction => ({
    at, action: "update", kind: "CronJob", object: "default/s", setsReplicas: false,
    workload: workloadFromManifest({ ...workload.manifest, spec: { ...(workload.manifest["spec"] as object), suspend: false } }).value as Workload,
  });

  it("suspended until 1000 s: nothing runs; on resuming, the latest missed time (900) runs at once, then 1200", () => {
    const workload = suspended({});
    const result = run([workload], 1300, [resume(workload, 1000)]);
    expect(story(result.events, "s")).toEqual([`1000 created s-${MINUTE_0 + 15}`, `1200 created s-${MINUTE_0 + 20}`]);
  });

  it("suspended until 1000 s with startingDeadlineSeconds 60: 900 is too old; the first run is 1200", () => {
    const workload = suspended({ startingDeadlineSeconds: 60 });
    const result = run([workload], 1300, [resume(workload, 1000)]);
    expect(story(result.events, "s")).toEqual([`1200 created s-${MINUTE_0 + 20}`]);
  });

  it("failedJobsHistoryLimit 1: the second failed Job deletes the first", () => {
    const result = run([cronJob("bad", { schedule: "*/5 * * * *" }, { "sim.timoneiro.dev/fail-after": "10s" }, { backoffLimit: 0 })], 700);
    // Each Job fails 10 s after its run (backoffLimit 0): the second at 610.
    expect(story(result.events, "bad")).toEqual([`300 created bad-${MINUTE_0 + 5}`, `600 created bad-${MINUTE_0 + 10}`, `610 deleted bad-${MINUTE_0 + 5}`]);
  });

  it("deleting the CronJob deletes its Jobs and their pods (background)", () => {
    const workload = cronJob("gone", { schedule: "*/5 * * * *" }, { "sim.timoneiro.dev/duration": "10m" });
    const result = run([workload], 900, [{ at: 700, action: "deleteObject", kind: "CronJob", object: "default/gone", propagation: "Background" }]);
    expect(story(result.events, "gone")).toEqual([`300 created gone-${MINUTE_0 + 5}`, `600 created gone-${MINUTE_0 + 10}`, `700 deleted gone-${MINUTE_0 + 5}`, `700 deleted gone-${MINUTE_0 + 10}`]);
    expect(Object.keys(result.state.objects).filter((key) => key.includes("gone"))).toEqual([]);
  });
});

describe("CronJob: two schedule times in one minute share a Job name", () => {
  // Found by the workloads property (fast-engine.test.ts): @every 45s runs at 180 s and 225 s, both in
  // minute 3, so both want the Job web-<minute 3>. The first one's Job fails at 225 s (its
  // activeDeadlineSeconds of 45 s), and the run at 225 s finds it: kube's create gets AlreadyExists
  // and the failed Job must not come back into `active`.
  it("a finished Job of the same name is not taken as the new run: active stays empty", () => {
    const web = cronJob("web", { schedule: "@every 45s", concurrencyPolicy: "Replace" }, {}, { activeDeadlineSeconds: 45, backoffLimit: 0 });
    const scenario = { name: "cron", seed: 1, untilSeconds: 225, options: DEFAULT_OPTIONS, nodes: [{ ...makeNode("n1", { cpu: "0", memory: "0", pods: "110" }), unschedulable: true }], pods: [], objects: [web], timeline: [] };
    const result = runOnBothEngines(scenario);
    const status = result.state.objects["CronJob/default/web"]?.status;
    expect(result.state.objects[`Job/default/web-${MINUTE_0 + 3}`]?.status?.conditions.map((item) => item.type)).toEqual(["FailureTarget", "Failed"]);
    expect(status?.activeJobs).toEqual([]);
  });
});
