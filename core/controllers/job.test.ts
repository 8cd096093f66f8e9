/**
 * The Job controller, rule by rule (job_controller.go, backoff_utils.go, pod_failure_policy.go),
 * through the engine on both engines (their logs must be equal). Pods start as they are bound (no
 * image pull), run for their `duration` or fail after `fail-after`, and terminate in 30 s when
 * deleted, so every tick below is worked out from those numbers.
 */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../engine/engine.js";
import type { TimelineAction } from "../engine/scenario.js";
import type { ClusterEvent } from "../events/events.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import type { WorkloadStatus } from "../model/objects.js";
import { workloadFromManifest, type Workload } from "../model/workload.js";
import { makeNode, runOnBothEngines } from "../testing/builders.js";
import { jobBackoffSeconds } from "./job.js";

function job(name: string, spec: Record<string, unknown>, annotations: Record<string, string>, container = "main"): Workload {
  const converted = workloadFromManifest({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: "default" },
    spec: {
      template: {
        metadata: { annotations },
        spec: { restartPolicy: "Never", containers: [{ name: container, image: "w:1", resources: { requests: { cpu: "100m" } } }] },
      },
      ...spec,
    },
  });
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function run(objects: Workload[], timeline: TimelineAction[] = [], untilSeconds = 600): RunResult {
  const scenario = { name: "jobs", seed: 1, untilSeconds, options: DEFAULT_OPTIONS, nodes: [makeNode("n1", { cpu: "8", memory: "16Gi", pods: "110" })], pods: [], objects, timeline };
  return runOnBothEngines(scenario);
}

/** `t created|deleted <pod>` and `t <Condition> <reason>` in the log's order (a sync's pod events before its status), for one Job. */
function story(events: readonly ClusterEvent[], name: string): string[] {
  const seen = new Set<string>();
  return events.flatMap((event) => {
    if (event.type === "PodCreated" && event.spec.name.startsWith(`${name}-`)) return [`${event.t} created`];
    if (event.type === "PodDeleted" && event.pod.startsWith(`default/${name}-`)) return [`${event.t} deleted`];
    if (event.type === "ObjectDeleted" && event.object === `default/${name}`) return [`${event.t} job deleted`];
    if (event.type !== "WorkloadStatusChanged" || event.object !== `default/${name}`) return [];
    return event.status.conditions.flatMap((condition) => {
      const key = `${condition.type} ${condition.status} ${condition.reason}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [`${condition.lastTransitionTime} ${key}`];
    });
  });
}

const statusOf = (result: RunResult, name: string): WorkloadStatus | undefined => result.state.objects[`Job/default/${name}`]?.status;
const podsOf = (result: RunResult, name: string) => result.events.flatMap((event) => (event.type === "PodCreated" && event.spec.name.startsWith(`${name}-`) ? [event.spec] : []));

describe("Job: completions and parallelism", () => {
  it("completions 3, parallelism 2, 60 s each: two pods at 0, the third at 60, Complete at 120; ttlSecondsAfterFinished 100 deletes it at 220", () => {
    const result = run([job("batch", { completions: 3, parallelism: 2, ttlSecondsAfterFinished: 100 }, { "sim.timoneiro.dev/duration": "60s" })]);
    expect(story(result.events, "batch")).toEqual([
      "0 created", "0 created", "60 created",
      "120 SuccessCriteriaMet True CompletionsReached", "120 Complete True CompletionsReached",
      // The TTL controller deletes the Job; the garbage collector then deletes its three finished pods.
      "220 job deleted", "220 deleted", "220 deleted", "220 deleted",
    ]);
    const pods = podsOf(result, "batch");
    expect(pods.map((pod) => pod.name)).toEqual(pods.map(() => expect.stringMatching(/^batch-[bcdfghjklmnpqrstvwxz2456789]{5}$/)));
    expect(pods[0]?.labels).toMatchObject({ "batch.kubernetes.io/job-name": "batch", "job-name": "batch", "batch.kubernetes.io/controller-uid": expect.any(String) });
    expect(pods[0]?.ownerReferences).toEqual([expect.objectContaining({ kind: "Job", name: "batch", controller: true })]);
  });

  it("the status before the TTL: 3 succeeded, started at 0, completed at 120", () => {
    const result = run([job("batch", { completions: 3, parallelism: 2 }, { "sim.timoneiro.dev/duration": "60s" })], [], 200);
    expect(statusOf(result, "batch")).toMatchObject({ active: 0, succeeded: 3, failed: 0, startTime: 0, completionTime: 120 });
  });

  it("completions unset, parallelism 3 (a work queue): three pods, Complete when one has succeeded and none is active", () => {
    // All three end at 30: succeeded > 0 and none active, so nothing is replaced.
    const jobs = [job("queue", { parallelism: 3 }, { "sim.timoneiro.dev/duration": "30s" })];
    const result = run(jobs, [], 100);
    expect(story(result.events, "queue")).toEqual(["0 created", "0 created", "0 created", "30 SuccessCriteriaMet True CompletionsReached", "30 Complete True CompletionsReached"]);
    expect(statusOf(result, "queue")).toMatchObject({ succeeded: 3, active: 0 });
  });

  it("Indexed: pods <job>-<index>-xxxxx with the completion index as label and annotation; every index must succeed", () => {
    const result = run([job("idx", { completions: 3, parallelism: 3, completionMode: "Indexed" }, { "sim.timoneiro.dev/duration": "10s" })], [], 60);
    const pods = podsOf(result, "idx");
    expect(pods.map((pod) => pod.name)).toEqual([expect.stringMatching(/^idx-0-.{5}$/), expect.stringMatching(/^idx-1-.{5}$/), expect.stringMatching(/^idx-2-.{5}$/)]);
    expect(pods[2]?.labels["batch.kubernetes.io/job-completion-index"]).toBe("2");
    expect(pods[2]?.annotations["batch.kubernetes.io/job-completion-index"]).toBe("2");
    expect(statusOf(result, "idx")).toMatchObject({ succeeded: 3, completedIndexes: [0, 1, 2], completionTime: 10 });
  });
});

describe("Job: failures, back-off and deadlines", () => {
  it("backoff_utils.go: 10 s after the first failure, doubling, at most 10 minutes", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(jobBackoffSeconds)).toEqual([0, 10, 20, 40, 80, 160, 320, 600, 600]);
  });

  it("backoffLimit 2, each pod failing after 10 s: pods at 0, 20 (10 s back-off), 50 (20 s); the third failure at 60 exceeds the limit", () => {
    const result = run([job("flaky", { backoffLimit: 2 }, { "sim.timoneiro.dev/fail-after": "10s" })], [], 300);
    expect(story(result.events, "flaky")).toEqual([
      "0 created", "20 created", "50 created",
      "60 FailureTarget True BackoffLimitExceeded", "60 Failed True BackoffLimitExceeded",
    ]);
    const failed = result.state.objects["Job/default/flaky"]?.status?.conditions.find((condition) => condition.type === "Failed");
    expect(failed?.message).toBe("Job has reached the specified backoff limit");
    expect(statusOf(result, "flaky")).toMatchObject({ failed: 3, succeeded: 0, active: 0 });
    expect(statusOf(result, "flaky")?.completionTime).toBeUndefined();
  });

  it("activeDeadlineSeconds 30 on a 100 s pod: FailureTarget and the pod deleted at 30, Failed once it is gone at 60; it counts as failed", () => {
    const result = run([job("slow", { activeDeadlineSeconds: 30 }, { "sim.timoneiro.dev/duration": "100s" })], [], 120);
    expect(story(result.events, "slow")).toEqual(["0 created", "30 deleted", "30 FailureTarget True DeadlineExceeded", "60 Failed True DeadlineExceeded"]);
    expect(statusOf(result, "slow")).toMatchObject({ failed: 1, active: 0, readyReplicas: 0 });
  });

  it("a pod deleted before it succeeds counts as failed (TerminatingOrFailed): its replacement comes after the 10 s back-off", () => {
    const jobs = [job("work", {}, { "sim.timoneiro.dev/duration": "100s" })];
    const first = podsOf(run(jobs, [], 10), "work")[0]?.name;
    const result = run(jobs, [{ at: 20, action: "deletePod", pod: `default/${first}` }], 300);
    // 20: deleted (1 failure) → 30: replaced → 130: succeeded.
    expect(story(result.events, "work")).toEqual(["0 created", "20 deleted", "30 created", "130 SuccessCriteriaMet True CompletionsReached", "130 Complete True CompletionsReached"]);
    expect(statusOf(result, "work")).toMatchObject({ failed: 1, succeeded: 1 });
  });

  it("podReplacementPolicy Failed: the replacement waits until the deleted pod is gone (30 s grace), then counts it failed and backs off 10 s", () => {
    const jobs = [job("work", { podReplacementPolicy: "Failed" }, { "sim.timoneiro.dev/duration": "100s" })];
    const first = podsOf(run(jobs, [], 10), "work")[0]?.name;
    const result = run(jobs, [{ at: 20, action: "deletePod", pod: `default/${first}` }], 300);
    // 20: deleted → 50: gone, 1 failure → 60: replaced → 160: succeeded.
    expect(story(result.events, "work")).toEqual(["0 created", "20 deleted", "60 created", "160 SuccessCriteriaMet True CompletionsReached", "160 Complete True CompletionsReached"]);
    expect(statusOf(result, "work")).toMatchObject({ failed: 1, succeeded: 1 });
  });

  it("suspend deletes the active pod; resuming restarts the deadline's clock and creates a new one", () => {
    const base = job("pause", { activeDeadlineSeconds: 150 }, { "sim.timoneiro.dev/duration": "100s" });
    const withSuspend = (suspend: boolean) => workloadFromManifest({ ...base.manifest, spec: { ...(base.manifest["spec"] as object), suspend } }).value as Workload;
    const result = run([base], [
      { at: 20, action: "update", kind: "Job", object: "default/pause", workload: withSuspend(true), setsReplicas: false },
      { at: 60, action: "update", kind: "Job", object: "default/pause", workload: withSuspend(false), setsReplicas: false },
    ], 400);
    // 20: suspended, the pod deleted (a failure: back-off until 30) → 60: resumed, startTime 60, a new pod → 160: done,
    // before the deadline (60 + 150 = 210), which would have passed at 150 had the clock not restarted.
    expect(story(result.events, "pause")).toEqual([
      "0 created", "20 deleted", "20 Suspended True JobSuspended", "60 created", "60 Suspended False JobResumed",
      "160 SuccessCriteriaMet True CompletionsReached", "160 Complete True CompletionsReached",
    ]);
    expect(statusOf(result, "pause")).toMatchObject({ startTime: 60, completionTime: 160 });
  });
});

describe("Job: podFailurePolicy", () => {
  const failing = (code: string) => ({ "sim.timoneiro.dev/fail-after": "10s", "sim.timoneiro.dev/exit-code": code });

  it("FailJob on exit code 42 fails the Job at the first such failure, with kube's message", () => {
    const rules = [{ action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } }];
    const result = run([job("bug", { podFailurePolicy: { rules } }, failing("42"))], [], 120);
    expect(story(result.events, "bug")).toEqual(["0 created", "10 FailureTarget True PodFailurePolicy", "10 Failed True PodFailurePolicy"]);
    const pod = podsOf(result, "bug")[0]?.name;
    const failed = result.state.objects["Job/default/bug"]?.status?.conditions.find((condition) => condition.type === "Failed");
    expect(failed?.message).toBe(`Container main for pod default/${pod} failed with exit code 42 matching FailJob rule at index 0`);
  });

  it("Ignore: the failure is not counted and the pod is replaced at once, with no back-off", () => {
    const rules = [{ action: "Ignore", onExitCodes: { operator: "In", values: [1, 2] } }];
    const result = run([job("retry", { backoffLimit: 0, podFailurePolicy: { rules } }, failing("1"))], [], 55);
    expect(story(result.events, "retry")).toEqual(["0 created", "10 created", "20 created", "30 created", "40 created", "50 created"]);
    expect(statusOf(result, "retry")).toMatchObject({ failed: 0, active: 1 });
  });

  it("no rule matching (NotIn 1 on exit 1, another container's name): counted, so backoffLimit 0 fails the Job", () => {
    const rules = [
      { action: "FailJob", onExitCodes: { operator: "NotIn", values: [1] } },
      { action: "Ignore", onExitCodes: { containerName: "sidecar", operator: "In", values: [1] } },
    ];
    const converted = workloadFromManifest({
      apiVersion: "batch/v1", kind: "Job", metadata: { name: "count", namespace: "default" },
      spec: {
        backoffLimit: 0, podFailurePolicy: { rules },
        template: { metadata: { annotations: failing("1") }, spec: { restartPolicy: "Never", containers: [{ name: "main", image: "w:1" }, { name: "sidecar", image: "s:1" }] } },
      },
    });
    const result = run([converted.value as Workload], [], 60);
    expect(story(result.events, "count")).toEqual(["0 created", "10 FailureTarget True BackoffLimitExceeded", "10 Failed True BackoffLimitExceeded"]);
  });
});
