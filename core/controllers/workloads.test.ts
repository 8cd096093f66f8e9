/**
 * The workload controllers through the engine, rule by rule, each named by the kube rule it
 * checks. Every scenario runs on both engines and their logs must be byte-identical; the
 * expected numbers are worked out by hand beside each row, from kube's formulas (the sources are
 * named in deployment.ts, replicaset.ts and garbage-collector.ts).
 */
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../engine/engine.js";
import type { Scenario, TimelineAction } from "../engine/scenario.js";
import type { ClusterEvent } from "../events/events.js";
import { encodeEvent } from "../log/jsonl.js";
import { DEFAULT_OPTIONS } from "../cluster/state.js";
import type { ClusterObject } from "../model/objects.js";
import { strategicMerge } from "../model/patch.js";
import { workloadFromManifest, type Workload, type WorkloadKind } from "../model/workload.js";
import { makeNode, makeWorkload } from "../testing/builders.js";

function scenario(objects: ClusterObject[], timeline: TimelineAction[] = [], fields: Partial<Scenario> = {}): Scenario {
  return {
    name: "workloads", seed: 7, untilSeconds: 3600, options: DEFAULT_OPTIONS,
    nodes: [makeNode("n1", { cpu: "4", memory: "8Gi", pods: "110" }), makeNode("n2", { cpu: "4", memory: "8Gi", pods: "110" }), makeNode("n3", { cpu: "4", memory: "8Gi", pods: "110" })],
    pods: [], objects, timeline, ...fields,
  };
}

/** Runs on both engines; their logs must be equal byte for byte. */
function run(input: Scenario): RunResult {
  const fast = runScenario(input);
  const reference = runScenario(input, { engine: "reference" });
  expect(fast.events.map(encodeEvent)).toEqual(reference.events.map(encodeEvent));
  return fast;
}

/** The workload after a strategic merge patch, as the scenario loader resolves `update`. */
function patched(workload: Workload, patch: unknown): Workload {
  const converted = workloadFromManifest(strategicMerge(workload.manifest, patch) as Record<string, unknown>);
  if (converted.value === undefined) throw new Error(JSON.stringify(converted.diagnostics));
  return converted.value;
}

function update(at: number, workload: Workload, patch: unknown): TimelineAction {
  return { at, action: "update", kind: workload.kind, object: `default/${workload.name}`, workload: patched(workload, patch), setsReplicas: false };
}

const NEW_IMAGE = { spec: { template: { spec: { containers: [{ name: "app", image: "app:2" }] } } } };

/** `tick name from→to`. */
function timedScales(events: readonly ClusterEvent[], t: number): string[] {
  return scales(events, t, true);
}

/** `name from→to` for each scale of a ReplicaSet, naming ReplicaSets A, B … in creation order. */
function scales(events: readonly ClusterEvent[], t?: number, withTick = false): string[] {
  const names = new Map<string, string>();
  const sizes = new Map<string, number>();
  const out: string[] = [];
  for (const event of events) {
    if (!("kind" in event) || event.kind !== "ReplicaSet") continue;
    if (event.type === "ObjectApplied" || event.type === "WorkloadScaled") {
      if (!names.has(event.object)) names.set(event.object, String.fromCharCode(65 + names.size));
      const replicas = event.type === "WorkloadScaled" ? event.replicas : event.spec.kind === "ReplicaSet" ? event.spec.replicas : 0;
      const before = sizes.get(event.object) ?? 0;
      sizes.set(event.object, replicas);
      if (before !== replicas && (t === undefined || event.t >= t)) out.push(`${withTick ? `${event.t} ` : ""}${names.get(event.object)} ${before}→${replicas}`);
    }
  }
  return out;
}

/** Live pods (created, not yet gone) per tick boundary, and the fewest Running-and-not-terminating at any point after `from`. */
function podCounts(events: readonly ClusterEvent[], from: number): { maxPods: number; minAvailable: number } {
  const live = new Set<string>();
  const terminating = new Set<string>();
  const running = new Set<string>();
  let maxPods = 0;
  let minAvailable = Number.POSITIVE_INFINITY;
  for (const event of events) {
    switch (event.type) {
      case "PodCreated": live.add(event.pod); break;
      case "PodStarted": running.add(event.pod); break;
      case "PodDeleted": terminating.add(event.pod); running.delete(event.pod); break;
      case "ResourcesFreed": live.delete(event.pod); terminating.delete(event.pod); break;
      default: break;
    }
    if (event.t < from) continue;
    // kube's surge bound counts the replicas of the ReplicaSets (non-terminating pods).
    maxPods = Math.max(maxPods, live.size - terminating.size);
    minAvailable = Math.min(minAvailable, running.size);
  }
  return { maxPods, minAvailable };
}

describe("Deployment: RollingUpdate (rolling.go, deployment_util.go)", () => {
  const web = makeWorkload("Deployment", "web", 10);

  it("10 replicas at 25%/25%: surge ceil(2.5) = 3, unavailable floor(2.5) = 2 — new 0→3 with old 10→8, then 3→5, 8→3, 5→10, 3→0", () => {
    // Sync 1: NewRSNewReplicas = min(13 − 10, 10 − 0) = 3; maxScaledDown = 13 − 8 − 3 = 2 → old 10→8.
    // Sync 2 (all available): current 11 < 13 → new + min(2, 7) = 5.
    // Sync 3: current 13; available 13 > 8 → old down by 5 → 3.
    // Sync 4: new + min(13 − 8, 10 − 5) = 10.  Sync 5: old down by min(3, 13 − 8) → 0.
    const result = run(scenario([web], [update(60, web, NEW_IMAGE)]));
    expect(scales(result.events)).toEqual(["A 0→10", "B 0→3", "A 10→8", "B 3→5", "A 8→3", "B 5→10", "A 3→0"]);
    const counts = podCounts(result.events, 60);
    expect(counts.maxPods).toBeLessThanOrEqual(13);
    expect(counts.minAvailable).toBeGreaterThanOrEqual(8);
    // The new ReplicaSet is <deployment>-<pod-template-hash>, its pods <replicaset>-<5 chars>, labelled with the hash.
    const state = result.state;
    const replicaSets = Object.values(state.objects).filter((record) => record.object.kind === "ReplicaSet");
    expect(replicaSets).toHaveLength(2);
    const pods = Object.values(state.pods);
    expect(pods).toHaveLength(10);
    for (const pod of pods) {
      const hash = pod.pod.labels["pod-template-hash"] as string;
      expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
      expect(pod.pod.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.pod.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `web-${hash}`, uid: expect.any(String), controller: true, blockOwnerDeletion: true }]);
      expect(pod.pod.containers[0]?.image).toBe("app:2");
    }
    const status = state.objects["Deployment/default/web"]?.status;
    expect(status).toMatchObject({ replicas: 10, updatedReplicas: 10, readyReplicas: 10, availableReplicas: 10, unavailableReplicas: 0 });
    expect(status?.conditions.map((condition) => `${condition.type}=${condition.status} ${condition.reason}`).sort()).toEqual([
      "Available=True MinimumReplicasAvailable",
      "Progressing=True NewReplicaSetAvailable",
    ]);
  });

  it("maxSurge 0, maxUnavailable 1 on 3 replicas: one pod at a time, never more than 3", () => {
    // surge 0, unavailable 1 → minAvailable 2, maxTotal 3. Sync 1: new at min(3 − 3, 3) = 0; old 3→2 (13 − … : 3 − 2 − 0 = 1).
    const deployment = makeWorkload("Deployment", "one", 3, { cpu: "100m" }, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } });
    const result = run(scenario([deployment], [update(60, deployment, NEW_IMAGE)]));
    // The new ReplicaSet is created at 0 (no room to surge); each new pod is available as it starts, so all in one tick.
    expect(timedScales(result.events, 60)).toEqual(["60 A 3→2", "60 B 0→1", "60 A 2→1", "60 B 1→2", "60 A 1→0", "60 B 2→3"]);
    expect(podCounts(result.events, 60).maxPods).toBeLessThanOrEqual(3);
  });

  it("minReadySeconds 20 on 4 replicas (surge 1, unavailable 1): each step waits until new pods have been ready 20 s", () => {
    // t=100: B at min(5 − 4, 4) = 1; maxScaledDown = 5 − 3 − 1 = 1 → A 4→3; next sync: current 4 < 5 → B 1→2.
    //   B's two pods start at 100 and are not available yet: maxScaledDown = 5 − 3 − 2 = 0, nothing more.
    // t=120 (available): maxScaledDown = 5 − 3 − 0 = 2, available 5 > 3 → A 3→1; then current 3 → B 2→4.
    // t=140: available 1 + 4 = 5 > 3, A has 1 → A 1→0.
    const deployment = makeWorkload("Deployment", "slow", 4, { cpu: "100m" }, { minReadySeconds: 20 });
    const result = run(scenario([deployment], [update(100, deployment, NEW_IMAGE)]));
    expect(timedScales(result.events, 100)).toEqual(["100 B 0→1", "100 A 4→3", "100 B 1→2", "120 A 3→1", "120 B 2→4", "140 A 1→0"]);
    expect(podCounts(result.events, 100).maxPods).toBeLessThanOrEqual(5);
  });

  it("a rollout whose new pods never fit stalls at old 8, new 5 and says ProgressDeadlineExceeded 600 s after its last progress", () => {
    // Sync 1: B 0→3, A 10→8. Sync 2: B + min(13 − 11, 10 − 3) = 5. Then maxScaledDown = 13 − 8 − 5 = 0: stalled.
    const deployment = makeWorkload("Deployment", "stuck", 10);
    const huge = { spec: { template: { spec: { containers: [{ name: "app", image: "app:2", resources: { requests: { cpu: "64" } } }] } } } };
    const result = run(scenario([deployment], [update(60, deployment, huge)], { untilSeconds: 2000 }));
    expect(scales(result.events, 60)).toEqual(["B 0→3", "A 10→8", "B 3→5"]);
    const deadline = result.events.find((event) => event.type === "WorkloadStatusChanged" && event.status.conditions.some((condition) => condition.reason === "ProgressDeadlineExceeded"));
    // The last progress is at 60 (old pods deleted, new ReplicaSet scaled); the controller looks again one second after the deadline.
    expect(deadline?.t).toBe(60 + 600 + 1);
    const condition = deadline?.type === "WorkloadStatusChanged" ? deadline.status.conditions.find((item) => item.type === "Progressing") : undefined;
    expect(condition).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded", message: expect.stringMatching(/^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/) });
  });

  it("proportional scaling mid-rollout (GetReplicaSetProportion): old 8 / new 5 scaled 10→15 become 12 / 7", () => {
    // allowed = 15 + ceil(3.75) = 19; toAdd = 19 − 13 = 6. Largest first: A: round(8·19/13 = 11.69) − 8 = 4;
    // B: round(5·19/13 = 7.31) − 5 = 2 = min(2, 6 − 4); leftover 0.
    const deployment = makeWorkload("Deployment", "grow", 10);
    const huge = { spec: { template: { spec: { containers: [{ name: "app", image: "app:2", resources: { requests: { cpu: "64" } } }] } } } };
    const result = run(scenario([deployment], [update(60, deployment, huge), { at: 120, action: "scale", kind: "Deployment", object: "default/grow", replicas: 15 }]));
    expect(scales(result.events, 120)).toEqual(["A 8→12", "B 5→7"]);
  });

  it("revisionHistoryLimit 1: after three rollouts one old ReplicaSet is kept; revisions count up", () => {
    const deployment = makeWorkload("Deployment", "hist", 2, { cpu: "100m" }, { revisionHistoryLimit: 1 });
    const v2 = patched(deployment, NEW_IMAGE);
    const v3 = patched(v2, { spec: { template: { spec: { containers: [{ name: "app", image: "app:3" }] } } } });
    const result = run(scenario([deployment], [
      update(60, deployment, NEW_IMAGE),
      { at: 200, action: "update", kind: "Deployment", object: "default/hist", workload: v3, setsReplicas: false },
    ]));
    const replicaSets = Object.values(result.state.objects).filter((record) => record.object.kind === "ReplicaSet").map((record) => (record.object as Workload).annotations["deployment.kubernetes.io/revision"]);
    expect(replicaSets.sort()).toEqual(["2", "3"]);
    expect(result.events.filter((event) => event.type === "ObjectDeleted").map((event) => event.t)).toHaveLength(1);
  });

  it("paused: an update makes no new ReplicaSet; Progressing=Unknown DeploymentPaused", () => {
    const deployment = makeWorkload("Deployment", "held", 2, { cpu: "100m" }, { paused: true });
    const result = run(scenario([deployment], [update(60, deployment, NEW_IMAGE)]));
    // Paused from the start: kube makes no ReplicaSet at all until it is resumed.
    expect(Object.values(result.state.objects).filter((record) => record.object.kind === "ReplicaSet")).toHaveLength(0);
    expect(result.state.objects["Deployment/default/held"]?.status?.conditions.find((condition) => condition.type === "Progressing")).toMatchObject({ status: "Unknown", reason: "DeploymentPaused" });
  });
});

describe("Deployment: Recreate (recreate.go)", () => {
  it("old ReplicaSet to 0, then the new one at full size only once the old pods are gone (30 s grace)", () => {
    const deployment = makeWorkload("Deployment", "db", 3, { cpu: "100m" }, { strategy: { type: "Recreate" } });
    const result = run(scenario([deployment], [update(60, deployment, NEW_IMAGE)]));
    expect(scales(result.events, 60)).toEqual(["A 3→0", "B 0→3"]);
    const created = result.events.find((event) => event.type === "ObjectApplied" && event.kind === "ReplicaSet" && event.t >= 60);
    expect(created?.t).toBe(90);
  });
});

describe("ReplicaSet (replica_set.go, controller_utils.go)", () => {
  it("a deleted pod is replaced at once (terminating pods are not active); a ReplicationController names pods the same way", () => {
    for (const kind of ["ReplicaSet", "ReplicationController"] as WorkloadKind[]) {
      const owner = makeWorkload(kind, "rs", 3);
      const start = run(scenario([owner], [], { untilSeconds: 10 }));
      const victim = Object.keys(start.state.pods).sort()[0] as string;
      const result = run(scenario([owner], [{ at: 30, action: "deletePod", pod: victim }], { untilSeconds: 100 }));
      const at30 = result.events.filter((event) => event.t === 30).map((event) => event.type);
      expect(at30).toEqual(["PodDeleted", "PodCreated", "PodBound", "PodStarted"]);
      const pods = Object.values(result.state.pods);
      expect(pods).toHaveLength(3);
      for (const pod of pods) {
        expect(pod.pod.name).toMatch(/^rs-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        expect(pod.pod.ownerReferences?.[0]).toMatchObject({ kind, apiVersion: kind === "ReplicaSet" ? "apps/v1" : "v1", name: "rs", controller: true });
      }
    }
  });

  it("scale-down deletes unassigned pods first, then from the node holding more of the Deployment's pods (rank)", () => {
    // 5 replicas of 1.5 cpu: n1 (4 cpu) holds 2, n2 (2 cpu) holds 1, two stay pending. Scaled to 2, the ReplicaSet
    // deletes 3: the 2 unassigned, then one on n1 (2 pods of the family there, against 1 on n2).
    const deployment = makeWorkload("Deployment", "w", 5, { cpu: "1500m" });
    const nodes = [makeNode("n1", { cpu: "4", memory: "8Gi", pods: "110" }), makeNode("n2", { cpu: "2", memory: "8Gi", pods: "110" })];
    const result = run(scenario([deployment], [{ at: 10, action: "scale", kind: "Deployment", object: "default/w", replicas: 2 }], { nodes, untilSeconds: 20 }));
    const bound = new Map<string, string>();
    for (const event of result.events) if (event.type === "PodBound") bound.set(event.pod, event.node);
    expect([...bound.values()].sort()).toEqual(["n1", "n1", "n2"]);
    const deleted = result.events.flatMap((event) => (event.type === "PodDeleted" && event.t === 10 ? [event] : []));
    expect(deleted.map((event) => bound.get(event.pod) ?? "unassigned")).toEqual(["unassigned", "unassigned", "n1"]);
    // An unassigned pod goes with grace 0 (CheckGracefulDelete), a running one with its own 30 s.
    expect(deleted.map((event) => event.gracePeriodSeconds)).toEqual([0, 0, 30]);
  });
});

describe("garbage collection (garbagecollector.go)", () => {
  it("deleting a Deployment (background) deletes its ReplicaSet, then the pods through their grace period", () => {
    const deployment = makeWorkload("Deployment", "gone", 2);
    const result = run(scenario([deployment], [{ at: 60, action: "deleteObject", kind: "Deployment", object: "default/gone", propagation: "Background" }]));
    const at60 = result.events.filter((event) => event.t === 60).map((event) => `${event.type}${"kind" in event ? ` ${event.kind}` : ""}`);
    expect(at60).toEqual(["ObjectDeleted Deployment", "ObjectDeleted ReplicaSet", "PodDeleted", "PodDeleted"]);
    expect(result.events.filter((event) => event.type === "ResourcesFreed").map((event) => event.t)).toEqual([90, 90]);
    expect(Object.keys(result.state.pods)).toHaveLength(0);
    expect(Object.keys(result.state.objects)).toHaveLength(0);
  });

  it("orphan: the pods stay without owner; a new ReplicaSet of the same name makes its own (no adoption)", () => {
    const owner = makeWorkload("ReplicaSet", "keep", 2);
    const result = run(scenario([owner], [
      { at: 60, action: "deleteObject", kind: "ReplicaSet", object: "default/keep", propagation: "Orphan" },
      { at: 120, action: "createObject", object: owner },
    ]));
    const pods = Object.values(result.state.pods);
    expect(pods).toHaveLength(4);
    expect(pods.filter((pod) => (pod.pod.ownerReferences ?? []).length === 0)).toHaveLength(2);
  });
});
